from expectations.urls import agreements, charter, reviews

app_name = "expectations"

urlpatterns = [*charter.urlpatterns, *agreements.urlpatterns, *reviews.urlpatterns]

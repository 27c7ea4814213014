from expectations.urls import agreements, charter

app_name = "expectations"

urlpatterns = [*charter.urlpatterns, *agreements.urlpatterns]

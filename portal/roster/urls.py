from django.urls import path

from portal.roster import views

app_name = "roster"

urlpatterns = [
    path("municipality/import/", views.import_list, name="import_list"),
    path("municipality/import/format/", views.import_example, name="import_example"),
    path("municipality/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("municipality/import/<int:pk>/apply/", views.import_apply, name="import_apply"),
]

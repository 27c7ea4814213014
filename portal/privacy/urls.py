from django.urls import path

from portal.privacy import retention_views, views

app_name = "privacy"

urlpatterns = [
    path("children/<int:child_pk>/my-data/", views.export_list, name="export_list"),
    path("children/<int:child_pk>/my-data/<int:pk>.<str:fmt>", views.export_download, name="export_download"),
    path("municipality/retention/", retention_views.retention, name="retention"),
]

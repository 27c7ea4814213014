from django.urls import path

from portal.privacy import retention_views

app_name = "privacy"

urlpatterns = [
    path("municipality/retention/", retention_views.retention, name="retention"),
]

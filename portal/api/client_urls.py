"""The administrators' pages for the API's clients (keys), in the portal."""

from django.urls import path

from portal.api import client_views

app_name = "api_clients"

urlpatterns = [
    path("municipality/api-clients/", client_views.client_list, name="client_list"),
    path("municipality/api-clients/<int:pk>/revoke/", client_views.client_revoke, name="client_revoke"),
]

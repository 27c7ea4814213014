from django.urls import path

from portal.notices import views

app_name = "notices"

urlpatterns = [
    path("messages/choices/", views.preferences, name="preferences"),
]

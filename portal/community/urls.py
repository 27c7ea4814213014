from django.urls import path

from portal.community import views

app_name = "community"

urlpatterns = [
    path("children/<int:child_pk>/group/", views.group_names, name="group_names"),
]

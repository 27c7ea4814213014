from django.urls import include, path

from children import views

app_name = "children"

urlpatterns = [
    path("", include("children.urls_competences")),
    path("family/", views.parent_home, name="parent_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/access-log/", views.access_log, name="access_log"),
    path("children/<int:child_pk>/goals/new/", views.goal_create, name="goal_create"),
    path("children/<int:child_pk>/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("children/<int:child_pk>/goals/<int:pk>/status/", views.goal_status, name="goal_status"),
]

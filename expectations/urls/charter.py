from django.urls import path

from expectations.views import charter as views

urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/versions/", views.charter_version_list, name="charter_version_list"),
    path("charter/versions/new/", views.charter_version_create, name="charter_version_create"),
    path("charter/versions/<int:pk>/", views.charter_version_detail, name="charter_version_detail"),
    path("charter/versions/<int:pk>/edit/", views.charter_version_edit, name="charter_version_edit"),
    path("charter/versions/<int:pk>/changes/", views.charter_version_diff, name="charter_version_diff"),
    path("charter/versions/<int:pk>/approve/", views.charter_version_approve, name="charter_version_approve"),
    path(
        "charter/versions/<int:pk>/in-force/",
        views.charter_version_put_in_force,
        name="charter_version_put_in_force",
    ),
    path(
        "charter/versions/<int:version_pk>/items/new/", views.charter_item_create, name="charter_item_create"
    ),
    path(
        "charter/versions/<int:version_pk>/items/<int:pk>/edit/",
        views.charter_item_edit,
        name="charter_item_edit",
    ),
    path(
        "charter/versions/<int:version_pk>/items/<int:pk>/delete/",
        views.charter_item_delete,
        name="charter_item_delete",
    ),
    path(
        "charter/versions/<int:version_pk>/items/<int:pk>/move/",
        views.charter_item_move,
        name="charter_item_move",
    ),
    path(
        "charter/institutions/<int:institution_pk>/principles/",
        views.principles_detail,
        name="principles_detail",
    ),
    path(
        "charter/institutions/<int:institution_pk>/principles/new/",
        views.principles_create,
        name="principles_create",
    ),
]

from django.urls import path

from portal.organisation import views

app_name = "organisation"

urlpatterns = [
    path("municipality/", views.admin_home, name="admin_home"),
    path("municipality/institutions/", views.institution_list, name="institution_list"),
    path("municipality/access-log/", views.audit_search, name="audit_search"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("institutions/<int:institution_pk>/groups/new/", views.group_create, name="group_create"),
    path("institutions/<int:institution_pk>/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path(
        "institutions/<int:institution_pk>/staff/<int:pk>/edit/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "institutions/<int:institution_pk>/staff/<int:pk>/end/", views.membership_end, name="membership_end"
    ),
]

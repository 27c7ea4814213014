from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/staff/", views.invitation_create_staff, name="invitation_create_staff"),
    path(
        "invitations/new/administrator/",
        views.invitation_create_administrator,
        name="invitation_create_administrator",
    ),
    path(
        "children/<int:child_pk>/invite-guardian/",
        views.invitation_create_guardian,
        name="invitation_create_guardian",
    ),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("account/2fa/confirm/", views.mfa_setup_confirm, name="mfa_setup_confirm"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "invitation/<str:token>/with/<str:provider_id>/",
        views.invitation_accept_with_provider,
        name="invitation_accept_with_provider",
    ),
]

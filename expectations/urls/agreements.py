from django.urls import path

from expectations.views import agreements as views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("children/<int:child_pk>/agreements/", views.child_agreements, name="child_agreements"),
    path("children/<int:child_pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/propose/", views.agreement_propose, name="agreement_propose"),
    path("agreements/<int:pk>/accept/", views.agreement_accept, name="agreement_accept"),
    path("agreements/<int:pk>/comment/", views.agreement_comment, name="agreement_comment"),
    path(
        "agreements/<int:pk>/commitments/<int:commitment_pk>/progress/",
        views.commitment_progress,
        name="commitment_progress",
    ),
]

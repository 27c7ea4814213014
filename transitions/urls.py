from django.urls import path

from transitions import views
from transitions.views import readiness

app_name = "transitions"

urlpatterns = [
    path("children/<int:child_pk>/transitions/new/", views.transition_create, name="transition_create"),
    path("transitions/cohort/", views.cohort_create, name="cohort_create"),
    path("transitions/incoming/", views.incoming, name="incoming"),
    path("transitions/sharing/", views.sharing_settings, name="sharing_settings"),
    path("handovers/<int:pk>/cancel/", views.transition_cancel, name="transition_cancel"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path(
        "handovers/<int:pk>/sections/<slug:kind>/", views.handover_section_save, name="handover_section_save"
    ),
    path("handovers/<int:pk>/parents-view/", views.handover_parents_view, name="handover_parents_view"),
    path("handovers/<int:pk>/consent/", views.handover_consent, name="handover_consent"),
    path("handovers/<int:pk>/send/", views.handover_send, name="handover_send"),
    path("handovers/<int:pk>/receive/", views.handover_receive, name="handover_receive"),
    path("handovers/<int:pk>/readiness/", readiness.readiness_start, name="readiness_start"),
    path("readiness/<int:pk>/", readiness.readiness_detail, name="readiness_detail"),
    path("readiness/<int:pk>/parts/<slug:kind>/", readiness.readiness_part_save, name="readiness_part_save"),
    path("readiness/<int:pk>/complete/", readiness.readiness_complete, name="readiness_complete"),
    path("readiness/<int:pk>/confirm/", readiness.readiness_confirm, name="readiness_confirm"),
    path("readiness/<int:pk>/decide/", readiness.readiness_decide, name="readiness_decide"),
]

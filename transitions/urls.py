from django.urls import path

from transitions import views
from transitions.views import canon, education, networks, readiness, visits

app_name = "transitions"

urlpatterns = [
    path("children/<int:child_pk>/transitions/new/", views.transition_create, name="transition_create"),
    path("transitions/cohort/", views.cohort_create, name="cohort_create"),
    path("transitions/incoming/", views.incoming, name="incoming"),
    path("transitions/sharing/", views.sharing_settings, name="sharing_settings"),
    path("handovers/<int:pk>/cancel/", views.transition_cancel, name="transition_cancel"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/form.pdf", views.handover_pdf, name="handover_pdf"),
    path(
        "handovers/<int:pk>/sections/<slug:kind>/", views.handover_section_save, name="handover_section_save"
    ),
    path("handovers/<int:pk>/parents-view/", views.handover_parents_view, name="handover_parents_view"),
    path("handovers/<int:pk>/consent/", views.handover_consent, name="handover_consent"),
    path("handovers/<int:pk>/send/", views.handover_send, name="handover_send"),
    path("handovers/<int:pk>/receive/", views.handover_receive, name="handover_receive"),
    path("education-plans/", education.education_plans, name="education_plans"),
    path(
        "children/<int:child_pk>/education-plan/start/",
        education.education_plan_start,
        name="education_plan_start",
    ),
    path("education-plans/<int:pk>/", education.education_plan_detail, name="education_plan_detail"),
    path(
        "education-plans/<int:pk>/guidance/",
        education.education_plan_guidance,
        name="education_plan_guidance",
    ),
    path("education-plans/<int:pk>/effort/", education.education_plan_effort, name="education_plan_effort"),
    path(
        "education-plans/<int:pk>/remarks/", education.education_plan_remarks, name="education_plan_remarks"
    ),
    path(
        "education-plans/<int:pk>/confirm/", education.education_plan_confirm, name="education_plan_confirm"
    ),
    path("pupil/education-plan/", education.education_plan_pupil, name="education_plan_pupil"),
    path("youth-educations/", education.youth_educations, name="youth_educations"),
    path("youth-educations/<int:pk>/", education.youth_education_edit, name="youth_education_edit"),
    path("transitions/<int:transition_pk>/visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("handovers/<int:pk>/readiness/", readiness.readiness_start, name="readiness_start"),
    path("readiness/<int:pk>/", readiness.readiness_detail, name="readiness_detail"),
    path("readiness/<int:pk>/parts/<slug:kind>/", readiness.readiness_part_save, name="readiness_part_save"),
    path("readiness/<int:pk>/complete/", readiness.readiness_complete, name="readiness_complete"),
    path("readiness/<int:pk>/confirm/", readiness.readiness_confirm, name="readiness_confirm"),
    path("readiness/<int:pk>/decide/", readiness.readiness_decide, name="readiness_decide"),
    path("canon/", canon.canon_admin, name="canon_admin"),
    path("canon/new/", canon.canon_item_create, name="canon_item_create"),
    path("canon/<int:pk>/edit/", canon.canon_item_edit, name="canon_item_edit"),
    path("canon/<int:pk>/retire/", canon.canon_item_retire, name="canon_item_retire"),
    path("groups/<int:pk>/canon/", canon.group_canon, name="group_canon"),
    path("groups/<int:pk>/canon/<int:item_pk>/mark/", canon.group_canon_mark, name="group_canon_mark"),
    path("groups/<int:pk>/canon/<int:item_pk>/unmark/", canon.group_canon_unmark, name="group_canon_unmark"),
    path("children/<int:child_pk>/canon/", canon.child_canon, name="child_canon"),
    path("transitions/incoming/canon/", canon.incoming_canon, name="incoming_canon"),
    path("networks/", networks.networks, name="networks"),
    path("networks/new/", networks.network_create, name="network_create"),
    path("networks/<int:pk>/", networks.network_detail, name="network_detail"),
    path("networks/<int:pk>/families/", networks.network_members_add, name="network_members_add"),
    path("networks/<int:pk>/close/", networks.network_close, name="network_close"),
    path(
        "networks/<int:pk>/families/<int:member_pk>/remove/",
        networks.network_member_remove,
        name="network_member_remove",
    ),
    path("networks/<int:pk>/meetings/new/", networks.network_meeting_create, name="network_meeting_create"),
    path(
        "networks/<int:pk>/meetings/<int:meeting_pk>/cancel/",
        networks.network_meeting_cancel,
        name="network_meeting_cancel",
    ),
    path("children/<int:child_pk>/network/", networks.network_family, name="network_family"),
]

from django.urls import include, path

from children import views
from children.views import evidence, plans, pupils, related, timeline

app_name = "children"

urlpatterns = [
    path("", include("children.urls_competences")),
    path("family/", views.parent_home, name="parent_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path(
        "children/<int:child_pk>/related-plans/new/",
        related.related_plan_create,
        name="related_plan_create",
    ),
    path("related-plans/<int:pk>/", related.related_plan_detail, name="related_plan_detail"),
    path("related-plans/<int:pk>/consent/", related.related_plan_consent, name="related_plan_consent"),
    path("related-plans/<int:pk>/end/", related.related_plan_end, name="related_plan_end"),
    path("children/<int:pk>/timeline/", timeline.child_timeline, name="child_timeline"),
    path("children/<int:pk>/access-log/", views.access_log, name="access_log"),
    path("children/<int:child_pk>/goals/new/", views.goal_create, name="goal_create"),
    path("children/<int:child_pk>/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("children/<int:child_pk>/goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("children/<int:child_pk>/plan/start/", plans.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/versions/<int:number>/", plans.plan_version, name="plan_version"),
    path("plans/<int:pk>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/notes/", plans.plan_note_create, name="plan_note_create"),
    path("plans/<int:pk>/focus-points/new/", plans.focus_point_create, name="focus_point_create"),
    path("plans/<int:pk>/focus-points/<int:point_pk>/edit/", plans.focus_point_edit, name="focus_point_edit"),
    path("groups/<int:pk>/plans/", plans.group_plans, name="group_plans"),
    path("children/<int:child_pk>/pupil-login/", pupils.pupil_login, name="pupil_login"),
    path("children/<int:child_pk>/pupil-login/end/", pupils.pupil_login_revoke, name="pupil_login_revoke"),
    path("pupil/", pupils.pupil_home, name="pupil_home"),
    path("pupil/reflections/", pupils.pupil_reflection_create, name="pupil_reflection_create"),
    path("pupil/messages/", pupils.pupil_message_create, name="pupil_message_create"),
    path("pupil/start/", pupils.pupil_signup, name="pupil_signup"),
    path("plans/<int:pk>/evidence/", evidence.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/thumbnail/", evidence.evidence_thumbnail, name="evidence_thumbnail"),
    path("evidence/<int:pk>/take-down/", evidence.evidence_takedown, name="evidence_takedown"),
    path("evidence/<int:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
]

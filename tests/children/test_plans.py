"""Learning plans: drafts and published versions, history, notes by role, notices, read receipts, the
group overview, and their query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from children.models import (
    FocusPoint,
    LearningGoal,
    LearningPlan,
    PlanChange,
    PlanNote,
    PlanRead,
    PlanVersion,
)
from children.policies.plans import plan_viewer
from children.services import plans as plan_services
from portal.meetings.models import FollowUp, Notification
from tests import factories as f
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db

GOAL = {
    "title": "Kan fortælle om sin dag",
    "theme": "language",
    "description": "Emil øver at fortælle med hele sætninger.",
    "home_activity": "Spørg ved aftensmaden: hvad var det sjoveste i dag?",
    "status": "in_progress",
}


def _goal(client, cast, **changes):
    client.post(reverse("children:goal_create", args=[cast.emil.pk]), {**GOAL, **changes})
    return LearningGoal.objects.filter(child=cast.emil).latest("pk")


def _publish(client, plan, note=""):
    return client.post(reverse("children:plan_publish", args=[plan.pk]), {"note": note})


def test_publishing_freezes_a_version_and_later_edits_wait_in_the_draft(
    client, cast, login, django_capture_on_commit_callbacks
):
    login(client, cast.carla)
    goal = _goal(client, cast)
    plan = goal.plan
    with django_capture_on_commit_callbacks(execute=True):
        assert _publish(client, plan, "Første plan").status_code == 302
    v1 = PlanVersion.objects.get(plan=plan)
    assert (v1.number, v1.published_by, v1.note) == (1, cast.carla, "Første plan")
    assert v1.snapshot["goals"][0]["title"] == GOAL["title"]

    # An edit is a draft: version 1 is untouched and the family still reads it.
    client.post(reverse("children:goal_edit", args=[cast.emil.pk, goal.pk]), {**GOAL, "title": "Fortæller"})
    v1.refresh_from_db()
    assert v1.snapshot["goals"][0]["title"] == GOAL["title"]
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("children:plan_detail", args=[plan.pk])).content.decode()
    assert GOAL["title"] in body and "Fortæller" not in body

    login(client, cast.carla)
    assert _publish(client, plan).status_code == 302
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [2, 1]


def test_publishing_without_changes_is_refused_and_writes_nothing(client, cast, login):
    login(client, cast.carla)
    plan = _goal(client, cast).plan
    _publish(client, plan)
    response = _publish(client, plan)
    assert response.status_code == 200
    errors = response.context["publish_form"].non_field_errors()
    assert errors == ["Intet er ændret, siden den seneste version blev offentliggjort."]
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_an_empty_plan_cannot_be_published(client, cast, login):
    login(client, cast.carla)
    client.post(reverse("children:plan_start", args=[cast.emil.pk]))
    plan = LearningPlan.objects.get(child=cast.emil)
    assert _publish(client, plan).status_code == 200
    assert not PlanVersion.objects.exists()


def test_every_change_to_a_goal_is_kept_with_who_before_and_after(client, cast, login):
    login(client, cast.carla)
    goal = _goal(client, cast)
    client.post(reverse("children:goal_status", args=[cast.emil.pk, goal.pk]), {"status": "achieved"})
    client.post(
        reverse("children:goal_edit", args=[cast.emil.pk, goal.pk]),
        {**GOAL, "status": "achieved", "title": "Ny"},
    )
    changes = list(
        PlanChange.objects.filter(goal=goal).order_by("pk").values_list("action", "field", "before", "after")
    )
    assert changes == [
        ("created", "", "", GOAL["title"]),
        ("status", "status", "in_progress", "achieved"),
        ("edited", "title", GOAL["title"], "Ny"),
    ]
    assert set(PlanChange.objects.values_list("actor", flat=True)) == {cast.carla.pk}
    body = client.get(reverse("children:plan_history", args=[goal.plan.pk])).content.decode()
    assert "Ny" in body and "Carla Hansen" in body


def _pupil_plan(cast):
    return LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)


def test_a_focus_point_offers_the_areas_of_the_pupils_class_level(client, cast, login):
    plan = _pupil_plan(cast)
    login(client, cast.dorte)
    url = reverse("children:focus_point_create", args=[plan.pk])
    areas = [value for value, _label in client.get(url).context["form"].fields["area"].choices if value]
    assert areas == ["danish", "mathematics", "support"]
    response = client.post(
        url,
        {
            "area": "after_school",
            "title": "Uddannelse",
            "school_effort": "x",
            "home_support": "y",
            "status": "planned",
        },
    )
    assert response.status_code == 200 and not FocusPoint.objects.exists()  # 7.–9. klasse only
    assert FocusPoint.areas_for(0, support=False) == ["language_awareness", "maths_awareness"]
    assert FocusPoint.areas_for(8, support=False) == ["danish", "mathematics", "after_school"]


@pytest.mark.parametrize(
    ("persona", "kinds"),
    [
        ("anna", {"comment", "at_home", "tried"}),
        ("mikkel", {"comment"}),  # without custody: reads and comments, decides nothing
        ("carla", {"progress", "next_step", "comment"}),
        ("lene", {"progress", "next_step", "comment"}),
    ],
)
def test_who_may_write_which_note_on_emils_plan(cast, persona, kinds):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    assert plan_viewer(getattr(cast, persona), goal.plan).note_kinds == kinds


def test_staff_of_another_group_read_but_write_no_note(cast):
    goal = f.LearningGoalFactory(child=cast.ida, institution=cast.solsikken)
    viewer = plan_viewer(cast.carla, goal.plan)
    assert not viewer.writes and viewer.note_kinds == frozenset()


def test_a_progress_note_needs_its_date_and_nothing_is_written_without_it(client, cast, login):
    login(client, cast.carla)
    goal = _goal(client, cast)
    url = reverse("children:plan_note_create", args=[goal.plan.pk])
    response = client.post(url, {"entry": f"goal-{goal.pk}", "kind": "progress", "text": "Fortalte om turen"})
    assert response.status_code == 200
    assert response.context["note_form_error"].errors == {"observed_on": ["Skriv den dato, I så det."]}
    assert not PlanNote.objects.exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.post(url, {"entry": f"goal-{goal.pk}", "kind": "progress", "text": "x", "observed_on": tomorrow})
    assert not PlanNote.objects.exists()
    today = timezone.localdate().isoformat()
    client.post(
        url, {"entry": f"goal-{goal.pk}", "kind": "progress", "text": "Fortalte", "observed_on": today}
    )
    note = PlanNote.objects.get()
    assert (note.kind, note.author_role, note.goal) == ("progress", "staff", goal)


def test_parent_marks_a_home_activity_tried_and_staff_see_it(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, created_by=cast.carla)
    f.publish_plan(goal.plan)
    login(client, cast.anna, mfa=False)
    url = reverse("children:plan_note_create", args=[goal.plan.pk])
    client.post(
        url, {"entry": f"goal-{goal.pk}", "kind": "tried", "text": "Vi spillede brætspil, det gik fint"}
    )
    assert PlanNote.objects.get().author_role == "custody"
    login(client, cast.carla)
    assert (
        "Vi spillede brætspil"
        in client.get(reverse("children:plan_detail", args=[goal.plan.pk])).content.decode()
    )


def test_families_read_receipts_are_shown_to_staff(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    version = f.publish_plan(goal.plan)
    login(client, cast.anna, mfa=False)
    client.get(reverse("children:plan_detail", args=[goal.plan.pk]))
    client.get(reverse("children:plan_detail", args=[goal.plan.pk]))
    assert list(PlanRead.objects.values_list("version", "user")) == [(version.pk, cast.anna.pk)]
    login(client, cast.carla)
    reads = client.get(reverse("children:plan_detail", args=[goal.plan.pk])).context["reads"]
    assert {r.guardian.user: bool(r.read_at) for r in reads} == {cast.anna: True, cast.mikkel: False}


def test_a_family_never_sees_a_draft(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Hemmelig kladde")
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("children:plan_detail", args=[goal.plan.pk])).content.decode()
    assert "Hemmelig kladde" not in body and not PlanRead.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(("kind", "number"), [("daycare", 1), ("daycare", 2), ("pupil", 1), ("pupil", 2)])
def test_publishing_notifies_each_guardian_once_in_their_language(cast, language, kind, number):
    cast.anna.language = language
    cast.anna.save(update_fields=["language"])
    institution = cast.solsikken if kind == "daycare" else cast.school
    plan = LearningPlan.objects.create(child=cast.emil, institution=institution, kind=kind)
    f.LearningGoalFactory(child=cast.emil, institution=institution)
    version = None
    for _ in range(number):
        version = f.publish_plan(plan)
    assert plan_services.plan_published_notices_send(version_id=version.pk) == 2
    assert plan_services.plan_published_notices_send(version_id=version.pk) == 2
    notice = Notification.objects.get(user=cast.anna)
    assert notice.kind == "plan_published" and notice.url == reverse("children:plan_detail", args=[plan.pk])
    with translation.override(language):
        title, line = plan_services.plan_notice_text(version)
    assert (notice.title, notice.body) == (title, line)
    assert "Emil" in title and institution.name in line
    with translation.override("en"):
        english = plan_services.plan_notice_text(version)
    with translation.override("da"):
        danish = plan_services.plan_notice_text(version)
    assert english != danish
    expected = {
        ("daycare", 1): "Emil's learning plan is ready to read",
        ("daycare", 2): "A new version of Emil's learning plan",
        ("pupil", 1): "Emil's pupil plan is ready to read",
        ("pupil", 2): "A new version of Emil's pupil plan",
    }
    assert english[0] == expected[(kind, number)]
    assert Notification.objects.filter(kind="plan_published").count() == 2  # Anna and Mikkel


def test_the_publish_view_queues_the_notice_after_commit(
    client, cast, login, django_capture_on_commit_callbacks
):
    login(client, cast.carla)
    plan = _goal(client, cast).plan
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish(client, plan)
    assert not Notification.objects.exists() and callbacks
    for callback in callbacks:
        callback()
    assert set(Notification.objects.values_list("user", flat=True)) == {cast.anna.pk, cast.mikkel.pk}


def test_meeting_follow_ups_appear_on_the_plan(client, cast, login):
    from tests.portal.test_todos import meeting

    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    m = meeting(cast.emil, cast.solsikken, starts_in=timedelta(days=-1))
    FollowUp.objects.create(
        meeting=m, text="Øve at tage tøj på selv", follow_up_on=timezone.localdate(), learning_goal=goal
    )
    FollowUp.objects.create(meeting=m, text="Ringe til PPR", follow_up_on=timezone.localdate())
    login(client, cast.carla)
    body = client.get(reverse("children:plan_detail", args=[goal.plan.pk])).content.decode()
    assert "Øve at tage tøj på selv" in body and "Ringe til PPR" in body
    f.publish_plan(goal.plan)
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("children:plan_detail", args=[goal.plan.pk])).content.decode()
    assert "Ringe til PPR" not in body  # the summary is not shared with the family yet


@pytest.mark.parametrize(("person", "queries"), [("carla", 17), ("anna", 12)])
def test_plan_page_costs_the_same_with_1_and_25_goals(client, cast, login, person, queries):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    PlanNote.objects.create(
        plan=goal.plan, goal=goal, kind="comment", text="x", author=cast.anna, author_name="Anna",
        author_role="custody", created_at=timezone.now(),
    )  # fmt: skip
    f.publish_plan(goal.plan)
    login(client, getattr(cast, person), mfa=person == "carla")

    def grow():
        for _ in range(24):
            g = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
            PlanNote.objects.create(
                plan=g.plan, goal=g, kind="comment", text="y", author=cast.anna, author_name="Anna",
                author_role="custody", created_at=timezone.now(),
            )  # fmt: skip
        f.publish_plan(goal.plan)

    url = reverse("children:plan_detail", args=[goal.plan.pk])
    assert_exact_queries(client, url, queries, grow, lambda r: len(r.context["entries"]))


def test_group_overview_costs_the_same_with_1_and_25_children_and_flags_the_quiet_ones(client, cast, login):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    PlanChange.objects.create(
        plan=goal.plan, goal=goal, action="created", actor=cast.carla, actor_name="Carla", at=timezone.now()
    )
    login(client, cast.carla)
    url = reverse("children:group_plans", args=[cast.mariehonen.pk])

    def grow():
        for _ in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            f.LearningGoalFactory(child=child, institution=cast.solsikken)

    assert_exact_queries(client, url, 8, grow, lambda r: len(r.context["rows"]))
    rows = client.get(url).context["rows"]
    quiet = {row.child.pk: row.quiet for row in rows}  # by id: a new child may be called Emil too
    assert quiet.pop(cast.emil.pk) is False and all(quiet.values())

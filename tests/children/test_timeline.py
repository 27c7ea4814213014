"""The child's timeline: one query for the order of every source, keyset pages, a fixed number of
queries whatever the history's length, each kind as its policy allows, printable by period."""

import datetime
import uuid

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from children.models import Enrollment, LanguageAssessment, LearningGoal, LearningPlan, PlanVersion
from children.services import plans as plan_services
from children.timeline import _SOURCES, Entry, Reader, TimelineSource, key, register, timeline_rows
from children.timeline.selectors import Cursor, timeline_order, timeline_page
from expectations.models import ExpectationAgreement
from portal.audit.models import AccessEvent
from portal.meetings.models import Meeting
from tests import factories as f
from tests.queries import warm_queries
from transitions.models import EducationPlan, Handover, ReadinessAssessment, SharingModel, Transition

KINDS = {"place", "plan", "goal", "agreement", "meeting", "language", "handover", "readiness", "education"}
# The timeline page for a guardian and for staff: session, user, roles, the child, the viewer's role,
# the one query of the order, one per kind on the page (two for a guardian's goals: the words as
# published), and the access log.
GUARDIAN_BUDGET = 17
STAFF_BUDGET = 17


def _history(cast, n: int):
    """``n`` events of every kind for Emil, the newest today, one day apart, every kind on each day."""
    emil, solsikken = cast.emil, cast.solsikken
    now = timezone.now()
    today = timezone.localdate()
    plan = plan_services.plan_for_place(child=emil, institution=solsikken)
    for i in range(n):
        day = today - datetime.timedelta(days=i)
        at = now - datetime.timedelta(days=i)
        if i:  # the open place at Mariehønen is the first
            Enrollment.objects.create(child=emil, institution=solsikken, started_on=day, ended_on=day)
        goal = f.LearningGoalFactory(child=emil, institution=solsikken, title=f"Mål {i}")
        LearningGoal.objects.filter(pk=goal.pk).update(created_at=at - datetime.timedelta(hours=1))
        ExpectationAgreement.objects.create(
            child=emil,
            institution=solsikken,
            status=ExpectationAgreement.Status.PROPOSED,
            review_due_on=today + datetime.timedelta(days=30),
            starts_on=today - datetime.timedelta(days=n),
            proposed_at=at - datetime.timedelta(hours=2),
        )
        Meeting.objects.create(
            kind="daycare_conversation",
            institution=solsikken,
            child=emil,
            starts_at=at - datetime.timedelta(hours=3),
            ends_at=at - datetime.timedelta(hours=2),
        )
        LanguageAssessment.objects.create(
            child=emil, institution=solsikken, stage=LanguageAssessment.Stage.AGE_THREE, planned_on=day
        )
        school = f.InstitutionFactory(
            municipality=cast.aarhus, name=f"Skole {i} {uuid.uuid4().hex[:6]}", kind="school"
        )
        transition = Transition.objects.create(
            child=emil,
            kind=Transition.Kind.DAYCARE_TO_SCHOOL,
            planned_on=day,
            sending_institution=solsikken,
            receiving_institution=school,
        )
        Handover.objects.create(transition=transition, sharing_model=SharingModel.CONSENT)
        ReadinessAssessment.objects.create(
            transition=transition,
            reason=ReadinessAssessment.Reason.DOUBT,
            status=ReadinessAssessment.Status.OPEN,
            started_at=at - datetime.timedelta(hours=4),
        )
        EducationPlan.objects.create(
            child=emil,
            institution=school,
            school_year=2000 + len(EducationPlan.objects.filter(child=emil)),
            class_level=8,
            deadline=today,
            created_at=at - datetime.timedelta(hours=5),
        )
    # Versions, the newest now with every goal in it, the others a day apart before.
    first = plan.published_number + 1
    for i in reversed(range(n)):
        PlanVersion.objects.create(
            plan=plan,
            number=first + (n - 1 - i),
            published_by_name="Carla Hansen",
            published_at=now - datetime.timedelta(days=i, minutes=-1),
            snapshot=plan_services.plan_snapshot(plan),
        )
    LearningPlan.objects.filter(pk=plan.pk).update(published_number=first + n - 1, published_at=now)


def _shown(response) -> list[str]:
    return [e.kind for e in response.context["page"].entries]


@pytest.mark.parametrize(("who", "budget"), [("anna", GUARDIAN_BUDGET), ("carla", STAFF_BUDGET)])
def test_timeline_costs_the_same_queries_with_1_and_25_of_every_kind(cast, client, login, who, budget):
    login(client, getattr(cast, who))
    url = reverse("children:child_timeline", args=[cast.emil.pk])
    _history(cast, 1)
    few, sql = warm_queries(client, url)
    kinds = _shown(client.get(url))
    assert set(kinds) >= KINDS, kinds
    assert few == budget, f"{few} queries, not {budget}:\n{sql}"
    _history(cast, 24)  # 25 of each kind
    many, sql = warm_queries(client, url)
    response = client.get(url)
    assert len(_shown(response)) == 25 and set(_shown(response)) >= KINDS
    assert few == many, f"queries grew from {few} to {many}:\n{sql}"
    assert response.context["page"].next_cursor


def test_pages_follow_one_another_without_gaps_or_repeats(cast):
    _history(cast, 6)
    reader = Reader(cast.carla, cast.emil, None)
    seen, cursor = [], None
    while True:
        page = timeline_page(reader, cursor=Cursor.decode(cursor), size=4)
        seen += [(e.at, e.kind, e.id) for e in page.entries]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    everything = [(r["tl_at"], r["tl_kind"], r["tl_id"]) for r in timeline_order(reader, size=1000)]
    assert seen == everything
    assert len(set(seen)) == len(seen) == len(KINDS) * 6 + 1  # six of each kind, and the birth
    assert seen == sorted(seen, reverse=True)


def test_a_guardian_reads_published_goals_only_and_in_their_published_words(cast):
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Som udgivet")
    f.publish_plan(goal.plan)
    LearningGoal.objects.filter(pk=goal.pk).update(title="Kladde-ord")
    f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Helt ny kladde")
    guardian = Reader(cast.anna, cast.emil, cast.emil.guardianships.get(user=cast.anna))
    titles = [e.title.split(": ", 1)[1] for e in timeline_page(guardian).entries if e.kind == "goal"]
    assert titles == ["Som udgivet"]
    staff = timeline_page(Reader(cast.carla, cast.emil, None)).entries
    assert sorted(e.title.split(": ", 1)[1] for e in staff if e.kind == "goal") == [
        "Helt ny kladde",
        "Kladde-ord",
    ]


def test_a_period_narrows_the_timeline_and_bad_dates_are_a_form_error(cast, client, login):
    _history(cast, 5)
    login(client, cast.anna)
    url = reverse("children:child_timeline", args=[cast.emil.pk])
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.get(url, {"since": day.isoformat(), "until": day.isoformat()})
    assert response.status_code == 200
    entries = response.context["page"].entries
    assert entries and {e.at.date() for e in entries} <= {
        day,
        day - datetime.timedelta(days=1),
        day + datetime.timedelta(days=1),
    }
    assert len(entries) < len(timeline_page(Reader(cast.anna, cast.emil, None), size=100).entries)
    response = client.get(url, {"since": "2026-13-40", "until": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
    assert "until" in response.context["form"].errors
    assert client.get(url, {"after": "not-a-cursor"}).status_code == 200


def test_reading_the_timeline_is_in_the_access_log(cast, client, login):
    login(client, cast.carla)
    client.get(reverse("children:child_timeline", args=[cast.emil.pk]))
    event = AccessEvent.objects.get(child=cast.emil, subject="timeline")
    assert event.actor == cast.carla and event.action == AccessEvent.Action.VIEW


def test_the_child_page_links_to_the_timeline(cast, client, login):
    login(client, cast.mikkel)
    response = client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    assert reverse("children:child_timeline", args=[cast.emil.pk]) in response.content.decode()


def test_an_app_adds_a_source_of_its_own(cast):
    def rows(reader):
        return timeline_rows(
            Enrollment.objects.filter(child=reader.child), at=F("started_on"), key=key("readiness")
        )

    def entries(reader, ids):
        return {pk: Entry(title="Skoleparathed") for pk in ids}

    try:
        register(TimelineSource("readiness", "Readiness", rows, entries))
        page = timeline_page(Reader(cast.carla, cast.emil, None))
        assert [e.title for e in page.entries if e.kind == "readiness"] == ["Skoleparathed"]
    finally:
        _SOURCES.pop("readiness", None)


def test_a_cursor_is_checked_before_it_is_used():
    at = timezone.now()
    assert Cursor.decode(Cursor(at, "meeting", 7).encode()) == Cursor(at, "meeting", 7)
    for bad in ("", "x" * 300, "bm90IGEgY3Vyc29y", Cursor(at, "meeting", 0).encode()):
        assert Cursor.decode(bad) is None

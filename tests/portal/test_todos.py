""" "What needs you now" on every home: each person sees their own to-dos, with deadlines and one tap to
act, soonest first; and each home costs the same number of queries with 1 and with 25 of each kind."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from children.models import Evidence, LearningGoal, LearningPlan, PlanRead, PlanVersion, RelatedPlan
from expectations.models import (
    AgreementAcceptance,
    CharterVersion,
    ExpectationAgreement,
    InstitutionReview,
    ReviewRound,
    SurveyParticipation,
)
from portal.audit.models import AccessEvent
from portal.community.models import Election, GroupMessage, ParentFriend, PlayDate, Welcome
from portal.meetings.models import BookingPeriod, FollowUp, Meeting
from portal.privacy.models import DataExport
from portal.roster.models import ImportRun
from portal.todos import LIMIT, Todo, admin_todos, by_deadline, parent_todos, staff_todos
from tests import factories as f
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

Status = ExpectationAgreement.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def now():
    return timezone.now()


def today():
    return timezone.localdate()


def agreement(child, institution, status=Status.PROPOSED, **extra):
    return ExpectationAgreement.objects.create(
        child=child,
        institution=institution,
        status=status,
        review_due_on=extra.pop("review_due_on", today() + 180 * DAY),
        proposed_at=now() if status != Status.DRAFT else None,
        agreed_at=now() if status == Status.IN_FORCE else None,
        **extra,
    )


def period(group, *, deadline_days=3, title="Forældresamtaler"):
    return BookingPeriod.objects.create(
        institution=group.institution,
        group=group,
        title=title,
        booking_deadline=now() + deadline_days * DAY,
        published_at=now(),
    )


def meeting(child, institution, *, starts_in, kind="daycare_conversation", **extra):
    start = now() + starts_in
    return Meeting.objects.create(
        kind=kind,
        institution=institution,
        child=child,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        **extra,
    )


def open_round(municipality, *, due_in_days=10, title="Forventningsafstemning 2026"):
    return ReviewRound.objects.create(
        municipality=municipality,
        title=title,
        period_start=today() - 300 * DAY,
        period_end=today() - DAY,
        answers_due_on=today() + due_in_days * DAY,
        status=ReviewRound.Status.OPEN,
    )


def kinds(todos):
    return sorted(t.kind for t in todos)


# --- parents -------------------------------------------------------------------------------------------
def anna_world(cast):
    """Emil has a proposed agreement, an open booking round, a meeting next week, a new goal, and Aarhus
    runs an open survey."""
    a = agreement(cast.emil, cast.solsikken)
    p = period(cast.mariehonen, deadline_days=5)
    m = meeting(cast.emil, cast.solsikken, starts_in=8 * DAY, preparation="Tag Emils tegning med.")
    f.publish_plan(f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken).plan)
    r = open_round(cast.aarhus, due_in_days=20)
    return a, p, m, r


def test_annas_home_shows_what_she_must_do_with_deadlines_soonest_first(client, cast, login):
    a, p, m, r = anna_world(cast)
    login(client, cast.anna, mfa=False)
    response = client.get(reverse("children:parent_home"))
    todos = response.context["todos"]
    assert [t.kind for t in todos] == ["booking", "agreement", "meeting", "survey", "plan"]
    booking, answer, prepare, survey, plan = todos
    assert booking.url == reverse("meetings:period_book", args=[p.pk]) + f"?child={cast.emil.pk}"
    assert booking.deadline == p.booking_deadline and booking.title == "Book a time for Emil's conversation"
    assert answer.url == reverse("expectations:agreement_detail", args=[a.pk])
    assert answer.title == "Answer the agreement about Emil" and answer.deadline == today() + 7 * DAY
    assert prepare.url == reverse("meetings:meeting_detail", args=[m.pk])
    assert prepare.action == "Get ready for the meeting"
    assert survey.url == reverse("expectations:survey_answer", args=[r.pk, cast.solsikken.pk])
    emil_plan = LearningPlan.objects.get(child=cast.emil)
    assert plan.url == reverse("children:plan_detail", args=[emil_plan.pk]) and plan.deadline is None
    assert plan.title == "Emil's learning plan has a new version" and plan.action == "Read the new plan"
    page = response.content.decode()
    for todo in todos:
        assert f'href="{todo.url.replace("&", "&amp;")}"' in page


def test_the_deadlines_are_written_in_danish_with_lower_case_months(client, cast, login, settings):
    settings.LANGUAGE_CODE = "da"
    _a, *_rest = anna_world(cast)
    login(client, cast.anna, mfa=False)
    page = client.get(reverse("children:parent_home")).content.decode()
    with translation.override("da"):
        day = date_format(today() + 7 * DAY, "l j. F")
    assert f"Senest {day}" in page and day == day.lower()
    assert "Det skal du nu" in page and "Svar på aftalen om Emil" in page


def test_what_is_done_is_no_longer_on_the_home(cast):
    a, p, m, r = anna_world(cast)
    AgreementAcceptance.objects.create(agreement=a, user=cast.anna, role="guardian", revision=a.revision)
    Meeting.objects.filter(pk=m.pk).update(period=p)  # Emil's time in the round is booked
    SurveyParticipation.objects.create(round=r, institution=cast.solsikken, user=cast.anna)
    version = PlanVersion.objects.get(plan__child=cast.emil)
    PlanRead.objects.create(version=version, user=cast.anna, read_at=version.published_at)  # she read it
    assert kinds(parent_todos(cast.anna)) == ["meeting"]


def test_an_agreement_changed_after_annas_yes_asks_her_again(cast):
    a, *_rest = anna_world(cast)
    AgreementAcceptance.objects.create(agreement=a, user=cast.anna, role="guardian", revision=1)
    ExpectationAgreement.objects.filter(pk=a.pk).update(revision=2)
    assert "agreement" in kinds(parent_todos(cast.anna))


def test_mikkel_without_custody_is_not_asked_to_answer_or_book(cast):
    anna_world(cast)
    assert kinds(parent_todos(cast.mikkel)) == ["meeting", "plan", "survey"]


def test_bo_sees_nothing_of_emil(cast):
    anna_world(cast)
    assert all(t.child in (None, cast.freja) for t in parent_todos(cast.bo))
    assert kinds(parent_todos(cast.bo)) == ["survey"]


def _moving_to_school(cast, child):
    """A transition to Skovvangskolen whose handover is being written."""
    from tests.transitions.conftest import request_by, school_start
    from transitions.models import Transition
    from transitions.services import transition_create

    transition_create(
        request=request_by(cast.carla),
        child=child,
        enrollment=child.enrollments.order_by("pk").first(),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=None,
        planned_on=school_start(),
    )


def _ready_copy(child, user):
    DataExport.objects.create(
        child=child,
        requested_by=user,
        status=DataExport.Status.READY,
        expires_at=timezone.now() + 3 * DAY,
        json_key="x.json",
    )


def _grow_family(cast, n=24, handovers=False):
    for i in range(n):
        group = f.GroupFactory(institution=f.InstitutionFactory(municipality=cast.aarhus))
        child = f.ChildFactory(municipality=cast.aarhus)
        f.GuardianshipFactory(child=child, user=cast.anna)
        # New in the group: the home asks whether the group may see the child's first name.
        f.EnrollmentFactory(child=child, group=group, started_on=today() - (i % 20) * DAY)
        f.publish_plan(f.LearningGoalFactory(child=child, institution=group.institution).plan)
        agreement(child, group.institution)
        period(group, deadline_days=4 + i)
        meeting(child, group.institution, starts_in=(9 + i % 4) * DAY)
        RelatedPlan.objects.create(
            child=child, kind=RelatedPlan.Kind.SOCIAL_ACTION, coordinator_name="Rådgiver", since=today()
        )
        if handovers:
            _moving_to_school(cast, child)
        _ready_copy(child, cast.anna)


def _play_and_welcome(child, group, user):
    """A classmate invites the child to a play date, and a new family asks Anna to welcome them."""
    classmate = f.ChildFactory(municipality=child.municipality)
    f.EnrollmentFactory(child=classmate, group=group)
    host = f.UserFactory()
    PlayDate.objects.create(
        group=group, host_child=classmate, host=host, host_name="Vært", day=today() + 3 * DAY,
        starts_at=datetime.time(15), ends_at=datetime.time(17), place="Legepladsen", invited=child,
    )  # fmt: skip
    friend = ParentFriend.objects.create(group=group, user=user, user_name="Anna", child=child)
    Welcome.objects.create(friend=friend, user=host, user_name="Ny familie", child=classmate)
    # The group's parents choose their contact parents.
    Election.objects.create(group=group, closes_at=timezone.now() + 5 * DAY)


def test_parent_home_costs_the_same_with_one_and_25_of_each_to_do(client, cast, login):
    """Every kind of the parent's to-do, with one item and with 25 (``assert_constant_queries`` checks
    that the page shows more of them after ``grow``)."""
    anna_world(cast)
    _moving_to_school(cast, cast.emil)
    _ready_copy(cast.emil, cast.anna)
    _play_and_welcome(cast.emil, cast.mariehonen, cast.anna)

    def grow():
        _grow_family(cast, handovers=True)
        for guardianship in cast.anna.guardianships.exclude(child=cast.emil).select_related("child"):
            child = guardianship.child
            _play_and_welcome(child, child.enrollments.get().group, cast.anna)

    login(client, cast.anna, mfa=False)
    assert_constant_queries(client, reverse("children:parent_home"), 30, grow)
    todos = parent_todos(cast.anna)
    # 25 of each kind: each contribution reads the LIMIT soonest.
    assert {k: kinds(todos).count(k) for k in set(kinds(todos))} == {
        "agreement": LIMIT,
        "booking": LIMIT,
        "meeting": LIMIT,
        "survey": LIMIT,
        "plan": LIMIT,
        "handover": LIMIT,
        "related_plan": LIMIT,
        "community": LIMIT,
        "data_export": LIMIT,
        "play_date": LIMIT,
        "welcome": LIMIT,
        "election": LIMIT,
    }


# --- staff ---------------------------------------------------------------------------------------------
def carla_world(cast):
    """Emil's agreement waits for staff; Ida's (Bien) too, but Carla does not decide for Ida; a round in
    Mariehønen nobody has booked; Emil's meeting later today with a follow-up due; no goal in progress."""
    a = agreement(cast.emil, cast.solsikken)
    agreement(cast.ida, cast.solsikken)
    p = period(cast.mariehonen, deadline_days=4)
    m = meeting(cast.emil, cast.solsikken, starts_in=datetime.timedelta(seconds=20))
    held = meeting(cast.emil, cast.solsikken, starts_in=-30 * DAY, status=Meeting.Status.HELD)
    FollowUp.objects.create(meeting=held, text="Tal om søvn igen", follow_up_on=today() + 2 * DAY)
    return a, p, m


def test_carlas_home_shows_agreements_bookings_meetings_follow_ups_and_goal_gaps(client, cast, login):
    _a, p, m = carla_world(cast)
    login(client, cast.carla)
    response = client.get(reverse("children:staff_home"))
    todos = response.context["todos"]
    assert kinds(todos) == ["agreement", "booking", "follow_up", "goal", "meeting"]
    by_kind = {t.kind: t for t in todos}
    assert by_kind["agreement"].title == "Accept the agreement about Emil"  # not Ida's
    assert by_kind["booking"].title == "1 family has not booked a time"
    assert by_kind["booking"].url == reverse("meetings:period_detail", args=[p.pk])
    assert by_kind["meeting"].url == reverse("meetings:staff_meeting_detail", args=[m.pk])
    assert by_kind["goal"].title == "1 child in Mariehønen has no goal in progress"
    assert todos[-1].kind == "goal"  # no deadline: last
    # The children named on the home are in the access log.
    assert AccessEvent.objects.filter(actor=cast.carla, subject="staff_home", child=cast.emil).exists()
    assert not AccessEvent.objects.filter(subject="staff_home", child=cast.ida).exists()
    assert "Mariehønen" in response.content.decode()  # the groups are still there


def test_staff_todos_go_away_when_done(cast):
    a, p, m = carla_world(cast)
    AgreementAcceptance.objects.create(agreement=a, user=cast.lene, role="staff", revision=1)
    Meeting.objects.filter(pk=m.pk).update(period=p)
    FollowUp.objects.update(done_at=now())
    f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, status=LearningGoal.Status.IN_PROGRESS)
    assert kinds(staff_todos(cast.carla, now=now())) == ["meeting"]


def test_agreements_due_for_review_and_own_drafts_are_on_the_staff_home(cast):
    agreement(cast.emil, cast.solsikken, status=Status.IN_FORCE, review_due_on=today() + 10 * DAY)
    agreement(cast.emil, cast.solsikken, status=Status.DRAFT, created_by=cast.carla)
    titles = [t.title for t in staff_todos(cast.carla) if t.kind == "agreement"]
    assert titles == [
        "Talk about the agreement about Emil again",
        "Propose your draft agreement about Emil",
    ]


def test_lene_also_answers_the_review_for_her_institution(cast):
    r = open_round(cast.aarhus)
    review = [t for t in staff_todos(cast.lene) if t.kind == "review"]
    assert [t.url for t in review] == [
        reverse("expectations:institution_review_edit", args=[r.pk, cast.solsikken.pk])
    ]
    assert not [t for t in staff_todos(cast.carla) if t.kind == "review"]
    InstitutionReview.objects.create(round=r, institution=cast.solsikken, submitted_at=now())
    assert not [t for t in staff_todos(cast.lene) if t.kind == "review"]


def taken_down(child, institution):
    """A photo in the child's plan that a guardian has asked to be taken down (staff's to-do)."""
    goal = f.LearningGoalFactory(child=child, institution=institution, status="achieved")
    plan = goal.plan
    return Evidence.objects.create(
        plan=plan, goal=goal, kind="image", caption="Foto", content_type="image/jpeg", size=1,
        original_name="a.jpg", storage_key=f"k/{plan.pk}", uploaded_by_name="Carla", uploader_role="staff",
        uploaded_at=timezone.now(), takedown_requested_at=timezone.now(),
    )  # fmt: skip


def _grow_staff(cast, n=24, handovers=False):
    membership = cast.carla.staff_memberships.get()
    for i in range(n):
        group = f.GroupFactory(institution=cast.solsikken, name=f"Stue {i:02}")
        membership.groups.add(group)
        child = f.ChildFactory(municipality=cast.aarhus)
        f.GuardianshipFactory(child=child, user=f.UserFactory())
        f.EnrollmentFactory(child=child, group=group)
        agreement(child, cast.solsikken)
        period(group, deadline_days=4 + i)
        meeting(child, cast.solsikken, starts_in=datetime.timedelta(seconds=30 + i))
        held = meeting(child, cast.solsikken, starts_in=-30 * DAY, status=Meeting.Status.HELD)
        FollowUp.objects.create(meeting=held, text=f"Opfølgning {i}", follow_up_on=today() + DAY)
        _conference_with_unread_plan(
            child, cast.solsikken, starts_in=2 * DAY + i * datetime.timedelta(hours=1)
        )
        taken_down(child, cast.solsikken)
        GroupMessage.objects.create(group=group, author_name="Kontaktforælder", body=f"Besked {i}")
        if handovers:
            _moving_to_school(cast, child)
        _ready_copy(child, cast.anna)


def _conference_with_unread_plan(child, institution, *, starts_in):
    """A conference coming up about a child whose published plan nobody of the family has opened."""
    goal = f.LearningGoalFactory(child=child, institution=institution, status=LearningGoal.Status.PLANNED)
    f.publish_plan(goal.plan)
    meeting(child, institution, starts_in=starts_in, kind="conference")


def test_staff_home_costs_the_same_with_one_and_25_of_each_to_do(client, cast, login):
    carla_world(cast)
    _conference_with_unread_plan(cast.emil, cast.solsikken, starts_in=3 * DAY)
    taken_down(cast.emil, cast.solsikken)
    _moving_to_school(cast, cast.emil)
    GroupMessage.objects.create(group=cast.mariehonen, author_name="Kontaktforælder", body="Hej")
    login(client, cast.carla)
    assert_constant_queries(
        client, reverse("children:staff_home"), 17, lambda: _grow_staff(cast, handovers=True)
    )
    todos = staff_todos(cast.carla)
    counts = {k: kinds(todos).count(k) for k in set(kinds(todos))}
    assert counts == {
        "agreement": LIMIT,
        "booking": LIMIT,
        "meeting": LIMIT,
        "follow_up": LIMIT,
        "goal": LIMIT,
        "plan_unread": LIMIT,
        "evidence": LIMIT,
        "handover": LIMIT,
        "group_message": LIMIT,
    }


def test_leader_home_costs_the_same_with_one_and_25_reviews_due(client, cast, login):
    open_round(cast.aarhus)
    login(client, cast.lene)

    def grow():
        for i in range(24):
            open_round(cast.aarhus, title=f"Runde {i}")

    assert_constant_queries(client, reverse("children:staff_home"), 20, grow)
    assert len([t for t in staff_todos(cast.lene) if t.kind == "review"]) == LIMIT


# --- administrators -------------------------------------------------------------------------------------
def test_eriks_home_shows_rounds_to_close_and_charter_drafts(client, cast, login):
    r = open_round(cast.aarhus, due_in_days=-2)
    open_round(cast.aarhus, due_in_days=5, title="Ikke færdig endnu")
    open_round(cast.other, due_in_days=-2, title="Skanderborgs runde")
    draft = CharterVersion.objects.create(municipality=cast.aarhus, number=1, title="Fælles ansvar")
    CharterVersion.objects.create(municipality=cast.other, number=1, title="Skanderborgs udkast")
    login(client, cast.erik)
    response = client.get(reverse("organisation:admin_home"))
    todos = response.context["todos"]
    assert [(t.kind, t.url) for t in todos] == [
        ("review", reverse("expectations:review_round_detail", args=[r.pk])),
        ("charter", reverse("expectations:charter_version_detail", args=[draft.pk])),
    ]
    assert todos[0].overdue
    assert "Skanderborg" not in response.content.decode()


def _checked_import(municipality):
    return ImportRun.objects.create(municipality=municipality, status=ImportRun.Status.CHECKED, files="a.csv")


def test_admin_home_costs_the_same_with_one_and_25_to_dos(client, cast, login):
    open_round(cast.aarhus, due_in_days=-2)
    CharterVersion.objects.create(municipality=cast.aarhus, number=1, title="Udkast 1")
    _checked_import(cast.aarhus)
    login(client, cast.erik)

    def grow():
        for i in range(24):
            open_round(cast.aarhus, due_in_days=-3, title=f"Runde {i}")
            CharterVersion.objects.create(municipality=cast.aarhus, number=i + 2, title=f"Udkast {i + 2}")
            _checked_import(cast.aarhus)

    assert_constant_queries(client, reverse("organisation:admin_home"), 10, grow)
    assert len(admin_todos(cast.erik, cast.aarhus)) == 3 * LIMIT


def test_a_checked_import_waits_on_the_admin_home_of_its_municipality_only(client, cast, login):
    run = _checked_import(cast.aarhus)
    _checked_import(cast.other)
    ImportRun.objects.create(municipality=cast.aarhus, status=ImportRun.Status.APPLIED, files="b.csv")
    login(client, cast.erik)
    todos = client.get(reverse("organisation:admin_home")).context["todos"]
    assert [(t.kind, t.url) for t in todos] == [("import", reverse("roster:import_detail", args=[run.pk]))]
    assert todos[0].deadline == timezone.localdate() + datetime.timedelta(days=7)


# --- the order --------------------------------------------------------------------------------------------
def test_to_dos_are_sorted_by_deadline_times_before_whole_days_and_none_last():
    at = timezone.make_aware(datetime.datetime.combine(today() + DAY, datetime.time(9)))
    todos = [
        Todo(kind="goal", title="no deadline", url="/", action="x"),
        Todo(kind="agreement", title="tomorrow", url="/", action="x", deadline=today() + DAY),
        Todo(kind="booking", title="tomorrow 9", url="/", action="x", deadline=at),
        Todo(kind="review", title="overdue", url="/", action="x", deadline=today() - DAY),
    ]
    assert [t.title for t in by_deadline(todos)] == ["overdue", "tomorrow 9", "tomorrow", "no deadline"]


def test_a_home_shows_the_twelve_soonest_and_says_when_there_is_more(client, cast, login):
    from portal.todos import ON_HOME

    for n in range(ON_HOME + 3):
        open_round(cast.aarhus, due_in_days=-n - 1, title=f"Runde {n:02}")
    login(client, cast.erik)
    response = client.get(reverse("organisation:admin_home"))
    shown = response.context["todos"]
    assert len(shown) == ON_HOME and response.context["more_todos"]
    assert [t.title for t in shown] == [f"Close the review round “Runde {n:02}”" for n in range(14, 2, -1)]
    assert "More things need you than fit here" in response.content.decode()


def test_each_contribution_comes_in_deadline_order_so_the_soonest_are_never_cut(client, cast, login):
    """More agreements due for review than a contribution reads, and one proposal that waits for an
    answer sooner than any of them: the proposal is on the home, first."""
    for n in range(LIMIT + 2):
        child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn {n:02}")
        f.EnrollmentFactory(child=child, group=cast.mariehonen)
        agreement(child, cast.solsikken, status=Status.IN_FORCE, review_due_on=today() + (n + 5) * DAY)
    urgent = agreement(cast.emil, cast.solsikken, review_due_on=today() + 300 * DAY)
    ExpectationAgreement.objects.filter(pk=urgent.pk).update(proposed_at=now() - 6 * DAY)
    login(client, cast.carla)
    shown = client.get(reverse("children:staff_home")).context["todos"]
    assert shown[0].title == "Accept the agreement about Emil"
    assert [t.deadline for t in shown[1:4]] == [today() + (n + 5) * DAY for n in range(3)]

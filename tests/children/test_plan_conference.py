"""Before the conference: the preparation points at the child's published plan, staff see who of the
family has read it, and their home names conferences coming up where nobody has."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.models import FocusPoint, LearningPlan
from children.selectors.reading import CONFERENCE_READ_DAYS, conference_unread_plan_todos
from portal.meetings.models import Meeting
from portal.meetings.services import booking, delivery
from portal.todos import staff_todos
from tests import factories as f
from tests.meetings.conftest import make_period, req

pytestmark = pytest.mark.django_db


def _pupil_plan(cast, *, published=True):
    plan = LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)
    FocusPoint.objects.create(
        plan=plan,
        area="danish",
        title="Læser med forståelse",
        school_effort="Læsebånd",
        home_support="Læs højt",
    )
    if published:
        f.publish_plan(plan)
    return plan


def _conference(cast, *, days=5, kind="conference", **extra):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        kind=kind,
        institution=cast.school,
        child=cast.freja,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        **extra,
    )


def _unread(cast):
    return [t for t in staff_todos(cast.dorte) if t.kind == "plan_unread"]


def test_staff_are_told_of_a_conference_whose_family_has_not_read_the_plan_until_someone_does(
    client, cast, login
):
    plan = _pupil_plan(cast)
    meeting = _conference(cast)
    (todo,) = _unread(cast)
    assert todo.title == "Frejas familie har ikke læst planen før samtalen"
    assert todo.deadline == meeting.starts_at and todo.child.pk == cast.freja.pk
    assert str(todo.url) == reverse("meetings:staff_meeting_detail", args=[meeting.pk]) + "#plan-read"

    login(client, cast.bo, mfa=False)
    client.get(reverse("children:plan_detail", args=[plan.pk]))  # Bo reads version 1
    assert _unread(cast) == []

    FocusPoint.objects.filter(plan=plan).update(title="Læser længere tekster")
    LearningPlan.objects.filter(pk=plan.pk).update(draft_changed_at=timezone.now())
    f.publish_plan(plan)  # version 2: what Bo read is no longer the plan
    assert len(_unread(cast)) == 1


@pytest.mark.parametrize(
    "setup",
    ["far_ahead", "not_published", "not_a_conference", "held", "cancelled", "another_teacher"],
)
def test_no_reminder_to_read_when_it_does_not_apply(cast, setup):
    _pupil_plan(cast, published=setup != "not_published")
    if setup == "far_ahead":
        _conference(cast, days=CONFERENCE_READ_DAYS + 1)
    elif setup == "not_a_conference":
        _conference(cast, kind="daycare_conversation")
    elif setup in ("held", "cancelled"):
        _conference(cast, status=setup)
    else:
        _conference(cast)
    if setup == "another_teacher":
        assert [t for t in staff_todos(cast.carla) if t.kind == "plan_unread"] == []
    else:
        assert _unread(cast) == []


def test_the_reminders_to_read_cost_one_query_whatever_their_number(cast, django_assert_num_queries):
    _pupil_plan(cast)
    _conference(cast)
    now = timezone.now()
    staff_todos(cast.dorte)  # compiles the statement and reads the person's scope
    with django_assert_num_queries(1):
        assert len(conference_unread_plan_todos(cast.dorte, now=now)) == 1
    for i in range(24):
        child = f.ChildFactory(municipality=cast.aarhus)
        f.EnrollmentFactory(child=child, group=cast.class_1a)
        plan = LearningPlan.objects.create(child=child, institution=cast.school, kind="pupil")
        FocusPoint.objects.create(plan=plan, area="danish", title="x", school_effort="x", home_support="x")
        f.publish_plan(plan)
        start = now + timedelta(days=1, minutes=i)
        Meeting.objects.create(
            kind="conference", institution=cast.school, child=child, starts_at=start,
            ends_at=start + timedelta(minutes=15),
        )  # fmt: skip
    with django_assert_num_queries(1):
        assert len(conference_unread_plan_todos(cast.dorte, now=now)) == 13  # the home's limit + 1


def test_the_meeting_page_shows_staff_who_has_read_the_plan(client, cast, login):
    plan = _pupil_plan(cast)
    meeting = _conference(cast)
    login(client, cast.dorte)
    url = reverse("meetings:staff_meeting_detail", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert reverse("children:plan_detail", args=[plan.pk]) in body
    assert "Bo Nielsen" in body and "har ikke læst den endnu" in body
    login(client, cast.bo, mfa=False)
    client.get(reverse("children:plan_detail", args=[plan.pk]))
    login(client, cast.dorte)
    reading = client.get(url).context["page"].plan_reading
    assert reading.read and [r.guardian.user for r in reading.readers if r.read_at] == [cast.bo]


def test_the_meeting_page_says_when_nothing_is_published(client, cast, login):
    _pupil_plan(cast, published=False)
    meeting = _conference(cast)
    login(client, cast.dorte)
    response = client.get(reverse("meetings:staff_meeting_detail", args=[meeting.pk]))
    assert response.context["page"].plan_reading is None
    assert "er ikke offentliggjort endnu" in response.content.decode()


def test_the_round_of_conferences_shows_which_families_have_read_the_plan(client, cast, login):
    plan = _pupil_plan(cast)
    period = make_period(user=cast.dorte, group=cast.class_1a, kind="conference")
    slot = period.slots.order_by("starts_at").first()
    booking.meeting_book(request=req(cast.bo), user=cast.bo, slot=slot, child=cast.freja)
    login(client, cast.dorte)
    url = reverse("meetings:period_detail", args=[period.pk])
    assert "har ikke læst planen endnu" in client.get(url).content.decode()
    login(client, cast.bo, mfa=False)
    client.get(reverse("children:plan_detail", args=[plan.pk]))
    login(client, cast.dorte)
    body = client.get(url).content.decode()
    assert "har læst planen" in body and "har ikke læst planen endnu" not in body


@pytest.mark.parametrize(
    ("prepare_with", "published", "expected"),
    [
        ("learning_plan", True, "plan"),
        ("learning_plan", False, "child"),
        ("", True, "plan"),  # a conference with nothing chosen: the published plan is the preparation
        ("", False, None),
        ("agreement", True, "agreements"),
    ],
)
def test_the_family_prepares_for_the_conference_with_the_published_plan(
    client, cast, login, prepare_with, published, expected
):
    plan = _pupil_plan(cast, published=published)
    meeting = _conference(cast, prepare_with=prepare_with)
    login(client, cast.bo, mfa=False)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).context["page"]
    urls = {
        "plan": reverse("children:plan_detail", args=[plan.pk]),
        "child": reverse("children:child_detail", args=[cast.freja.pk]),
        "agreements": reverse("expectations:child_agreements", kwargs={"child_pk": cast.freja.pk}),
        None: "",
    }
    assert page.prepare_url == urls[expected]
    my = client.get(reverse("meetings:my_meetings")).content.decode()
    assert (urls[expected] in my) if expected else True


def test_the_reminder_mail_links_to_the_published_plan(cast, settings, django_capture_on_commit_callbacks):
    plan = _pupil_plan(cast)
    period = make_period(user=cast.dorte, group=cast.class_1a, kind="conference")
    slot = period.slots.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        booking.meeting_book(request=req(cast.bo), user=cast.bo, slot=slot, child=cast.freja)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.reminders_sweep()
    (message,) = [m for m in mail.outbox if cast.bo.email in m.to[0]]
    assert f"{settings.SITE_URL}{reverse('children:plan_detail', args=[plan.pk])}" in message.body

"""The staff's meeting pages cost the same number of queries with one row as with 25: meetings on the
overview, bookings in the slot grid, follow-ups on a meeting's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.meetings.models import FollowUp, Meeting
from tests import factories as f
from tests.meetings.conftest import make_period
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


def _conversation(cast, *, child=None, slot=None, days=3):
    """A conversation Carla holds with a family of Mariehønen (a new child unless ``child``)."""
    if child is None:
        child = f.ChildFactory(municipality=cast.aarhus)
        f.EnrollmentFactory(child=child, group=cast.mariehonen)
        f.GuardianshipFactory(child=child)
    starts_at = slot.starts_at if slot else timezone.now() + timedelta(days=days)
    meeting = Meeting.objects.create(
        kind="daycare_conversation",
        institution=cast.solsikken,
        child=child,
        period=slot.period if slot else None,
        slot=slot,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
    )
    meeting.hosts.set([cast.carla])
    return meeting


def test_staff_overview_costs_the_same_queries_with_1_and_25_meetings(client, cast, login):
    _conversation(cast, child=cast.emil)
    login(client, cast.carla)
    assert_exact_queries(
        client,
        reverse("meetings:staff_meetings"),
        8,
        lambda: [_conversation(cast, days=3 + i) for i in range(24)],
        lambda response: len(response.context["overview"].meetings),
    )


def test_slot_grid_costs_the_same_queries_with_1_and_25_bookings(client, cast, login):
    period = make_period(user=cast.carla, group=cast.mariehonen, days=3, slot_minutes=10)  # 36 slots
    slots = list(period.slots.order_by("starts_at"))
    _conversation(cast, child=cast.emil, slot=slots[0])
    f.publish_plan(f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken).plan)
    login(client, cast.carla)
    assert_exact_queries(  # two of them: the published plans and who has read them
        client,
        reverse("meetings:period_detail", args=[period.pk]),
        12,
        lambda: [_conversation(cast, slot=slot) for slot in slots[1:25]],
        lambda response: response.context["page"].booked_count,
    )


def test_meeting_page_costs_the_same_queries_with_1_and_25_follow_ups(client, cast, login):
    meeting = _conversation(cast, child=cast.emil)

    def follow_ups(n):
        for i in range(n):
            FollowUp.objects.create(meeting=meeting, text=f"Følg op {i}", follow_up_on=timezone.localdate())

    follow_ups(1)
    f.publish_plan(f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken).plan)
    login(client, cast.carla)
    assert_exact_queries(  # two of them: the published plan and who has read it
        client,
        reverse("meetings:staff_meeting_detail", args=[meeting.pk]),
        14,
        lambda: follow_ups(24),
        lambda response: len(response.context["page"].follow_ups),
    )

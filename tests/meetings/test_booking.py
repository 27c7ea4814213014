"""Booking rules: one booking per slot and per child, deadlines, custody, and the outbox rows that are
written with every booking, move and cancellation."""

import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from children.models import Enrollment
from portal.meetings.models import BookingPeriod, Meeting, MeetingSettings, Reminder, Slot
from portal.meetings.services import booking
from portal.meetings.services.booking import BookingError
from tests import factories as f
from tests.meetings.conftest import make_period, req

R = Reminder


def book(cast, period, *, user=None, child=None, index=0, **kw):
    user = user or cast.anna
    slot = period.slots.order_by("starts_at")[index]
    return booking.meeting_book(request=req(user), user=user, slot=slot, child=child or cast.emil, **kw)


def test_period_create_makes_slots_around_the_break(cast):
    period = make_period(
        user=cast.carla,
        group=cast.mariehonen,
        start=time(8, 0),
        end=time(12, 0),
        slot_minutes=30,
        pause_minutes=10,
        break_start=time(10, 0),
        break_end=time(10, 30),
        days=2,
    )
    starts = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in period.slots.all()]
    assert starts[:5] == ["08:00", "08:40", "09:20", "10:30", "11:10"]
    assert len(starts) == 10


def test_period_create_in_parallel_makes_a_slot_per_host(cast):
    period = make_period(user=cast.lene, group=cast.mariehonen, hosts=[cast.carla, cast.lene], parallel=True)
    assert period.slots.count() == 12
    assert set(period.slots.values_list("host_id", flat=True)) == {cast.carla.pk, cast.lene.pk}


def test_period_create_refuses_a_deadline_after_the_first_slot(cast):
    with pytest.raises(Exception, match="deadline"):
        make_period(user=cast.carla, group=cast.mariehonen, deadline_days_before=-1)
    assert not BookingPeriod.objects.exists()


def test_booking_plans_reminders_and_confirmations_for_everyone_with_information(cast, emil_period):
    meeting = book(cast, emil_period, interpreter_language="arabisk", topic="Søvn")
    rows = set(R.objects.values_list("recipient_id", "kind", "offset_minutes", "status"))
    assert rows == {
        (cast.anna.pk, "reminder", 10080, "pending"),
        (cast.anna.pk, "reminder", 1440, "pending"),
        (cast.mikkel.pk, "reminder", 10080, "pending"),
        (cast.mikkel.pk, "reminder", 1440, "pending"),
        (cast.anna.pk, "confirmation", 0, "pending"),
        (cast.mikkel.pk, "confirmation", 0, "pending"),
    }
    reminder = R.objects.get(recipient=cast.anna, offset_minutes=1440)
    assert reminder.due_at == meeting.starts_at - timedelta(hours=24)
    assert meeting.topics.get().text == "Søvn" and meeting.interpreter_language == "arabisk"


def test_booking_close_to_the_meeting_skips_the_week_reminder(cast):
    period = make_period(user=cast.carla, group=cast.mariehonen, days_ahead=3, deadline_days_before=1)
    book(cast, period)
    week = R.objects.get(recipient=cast.anna, offset_minutes=10080)
    assert (week.status, week.skip_reason) == ("skipped", "too_late")


def test_municipality_chooses_its_reminder_times(cast, emil_period):
    MeetingSettings.objects.create(municipality=cast.aarhus, reminder_offsets=[2880, 120])
    book(cast, emil_period)
    offsets = set(
        R.objects.filter(kind="reminder", recipient=cast.anna).values_list("offset_minutes", flat=True)
    )
    assert offsets == {2880, 120}


def test_a_taken_slot_and_a_second_booking_are_refused(cast, emil_period):
    book(cast, emil_period)
    with pytest.raises(BookingError, match="already has a time"):
        book(cast, emil_period, index=1)
    assert Meeting.objects.count() == 1


def test_guardian_cannot_book_after_the_deadline_but_staff_can_assign(cast):
    period = make_period(user=cast.carla, group=cast.mariehonen, days_ahead=3, deadline_days_before=5)
    with pytest.raises(BookingError, match="closed"):
        book(cast, period)
    meeting = book(cast, period, user=cast.carla, by_staff=True)
    assert meeting.booked_by == cast.carla


def test_a_child_outside_the_group_cannot_be_booked(cast, emil_period):
    with pytest.raises(BookingError):
        book(cast, emil_period, user=cast.bo, child=cast.freja)


def test_moving_re_plans_reminders_and_tells_the_family(cast, emil_period):
    meeting = book(cast, emil_period)
    R.objects.filter(kind="confirmation").update(status="sent", sent_at=timezone.now())
    new_slot = emil_period.slots.order_by("starts_at")[3]
    meeting = booking.meeting_move(request=req(cast.anna), user=cast.anna, meeting=meeting, slot=new_slot)
    assert meeting.starts_at == new_slot.starts_at and meeting.sequence == 1
    day = R.objects.get(recipient=cast.anna, offset_minutes=1440)
    assert day.due_at == new_slot.starts_at - timedelta(hours=24) and day.sequence == 1
    assert R.objects.filter(kind="change", status="pending").count() == 2
    # The old slot is free again.
    assert not Meeting.objects.live().filter(slot=emil_period.slots.order_by("starts_at")[0]).exists()


def test_cancelling_withdraws_reminders_and_sends_a_notice(cast, emil_period):
    meeting = book(cast, emil_period)
    booking.meeting_cancel(request=req(cast.anna), user=cast.anna, meeting=meeting)
    assert not R.objects.filter(kind="reminder", status="pending").exists()
    assert R.objects.filter(kind="cancellation", status="pending").count() == 2
    assert R.objects.filter(kind="confirmation", status="cancelled").count() == 2
    # The slot can be booked again.
    again = book(cast, emil_period)
    assert again.pk != meeting.pk


@pytest.mark.django_db(transaction=True)
def test_two_guardians_racing_for_one_slot_get_one_booking(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    period = make_period(user=cast.carla, group=cast.mariehonen)
    # Ida moves to Mariehønen, so two families may book this period.
    Enrollment.objects.filter(child=cast.ida).update(group=cast.mariehonen)
    ida_guardian = f.GuardianshipFactory(child=cast.ida, user=f.UserFactory())
    slot = period.slots.order_by("starts_at").first()
    barrier = threading.Barrier(2)
    results = []

    def attempt(user, child):
        try:
            barrier.wait()
            booking.meeting_book(request=req(user), user=user, slot=slot, child=child)
            results.append("booked")
        except BookingError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(cast.anna, cast.emil)),
        threading.Thread(target=attempt, args=(ida_guardian.user, cast.ida)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["booked", "taken"]
    assert Meeting.objects.filter(slot=slot).count() == 1


def test_the_confirmation_goes_out_as_soon_as_the_booking_is_committed(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = book(cast, emil_period)
    confirmations = R.objects.filter(meeting=meeting, kind="confirmation")
    assert set(confirmations.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mailoutbox) == [cast.anna.email, cast.mikkel.email]
    assert set(R.objects.filter(meeting=meeting, kind="reminder").values_list("status", flat=True)) == {
        "pending"
    }


# ---------------------------------------------------------------------------------------------------
# One open round per group and kind
# ---------------------------------------------------------------------------------------------------
def rounds():
    return list(BookingPeriod.objects.order_by("pk").values_list("title", "published_at"))


def test_a_round_overlapping_a_published_one_of_the_same_group_and_kind_is_refused(cast):
    first = make_period(user=cast.carla, group=cast.mariehonen, days_ahead=14, days=3, title="Efterår")
    before, slots = rounds(), Slot.objects.count()
    # Ending on its first day, on a day within it, starting on its last day:
    for days_ahead, days in ((12, 3), (15, 1), (16, 2)):
        with pytest.raises(ValidationError) as refused:
            make_period(user=cast.carla, group=cast.mariehonen, days_ahead=days_ahead, days=days)
        assert refused.value.code == "overlap" and "Efterår" in refused.value.messages[0]
    assert rounds() == before and Slot.objects.count() == slots
    assert first.is_published


def test_rounds_on_other_days_of_another_kind_or_for_another_group_are_fine(cast):
    make_period(user=cast.carla, group=cast.mariehonen, days_ahead=14, days=3)
    make_period(user=cast.carla, group=cast.mariehonen, days_ahead=17, title="Dagen efter")
    make_period(user=cast.carla, group=cast.mariehonen, days_ahead=14, kind="language_assessment")
    make_period(user=cast.lene, group=cast.bien, days_ahead=14)
    assert BookingPeriod.objects.filter(published_at__isnull=False).count() == 4


def test_of_two_overlapping_drafts_only_the_first_is_published(cast):
    """Drafts may overlap while staff plan; publishing is where the rule holds."""
    first = make_period(user=cast.carla, group=cast.mariehonen, publish=False, title="Udkast 1")
    second = make_period(user=cast.carla, group=cast.mariehonen, publish=False, title="Udkast 2")
    assert booking.period_publish(user=cast.carla, period=first)
    with pytest.raises(ValidationError) as refused:
        booking.period_publish(user=cast.carla, period=second)
    assert "Udkast 1" in refused.value.messages[0]
    second.refresh_from_db()
    assert second.published_at is None


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_rounds_published_at_once_give_one_open_round(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite runs one writing transaction at a time)")
    drafts = [
        make_period(user=cast.carla, group=cast.mariehonen, publish=False, title=f"Runde {i}") for i in (1, 2)
    ]
    barrier = threading.Barrier(2)
    results = []

    def attempt(period):
        try:
            barrier.wait()
            results.append(booking.period_publish(user=cast.carla, period=period))
        except ValidationError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [True, "overlap"]
    assert BookingPeriod.objects.filter(published_at__isnull=False).count() == 1

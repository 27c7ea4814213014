"""Meeting messages by the notification centre's choices: a topic turned off or gathered in the summary
sends no e-mail at once, quiet hours hold a reminder until they end, and an urgent change (cancelled or
moved less than a day before) comes at once whatever was chosen and whatever the hour."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.meetings import sms
from portal.meetings.models import Meeting, MeetingKind, Notification, Reminder
from portal.meetings.services import claims, delivery
from portal.notices.models import Delivery, Preference
from portal.notices.services.routing import notices_route
from portal.notices.topics import Channel, Mode, Topic

pytestmark = pytest.mark.django_db
R = Reminder


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "portal.meetings.sms.LocMemBackend"
    sms.outbox.clear()


def deliver(now):
    ids, lease = claims.reminders_claim(now=now, size=200)
    return delivery.reminders_send(reminder_ids=ids, now=now, lease=lease)


def meeting(cast, starts):
    return Meeting.objects.create(
        kind=MeetingKind.DAYCARE_CONVERSATION,
        institution=cast.solsikken,
        child=cast.emil,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
        location="Stuen",
    )


def reminder(cast, starts, *, kind=R.Kind.REMINDER, due=None, user=None):
    return R.objects.create(
        meeting=meeting(cast, starts), recipient=user or cast.anna, kind=kind, offset_minutes=1440,
        due_at=due or timezone.now() - timedelta(minutes=1),
    )  # fmt: skip


def choose(user, channel, mode):
    Preference.objects.create(user=user, topic=Topic.MEETINGS, channel=channel, mode=mode)


def test_meetings_off_by_email_send_no_email_but_the_inbox_has_it(cast):
    choose(cast.anna, Channel.EMAIL, Mode.OFF)
    row = reminder(cast, timezone.now() + timedelta(days=2))
    deliver(timezone.now())
    row.refresh_from_db()
    assert row.status == R.Status.SENT and not mail.outbox
    notice = Notification.objects.get(reminder=row)
    assert notice.sent_by == ""
    notices_route()
    assert not Delivery.objects.exists()


def test_meetings_in_the_summary_go_in_the_summary_not_at_once(cast):
    choose(cast.anna, Channel.EMAIL, Mode.DIGEST)
    row = reminder(cast, timezone.now() + timedelta(days=2))
    deliver(timezone.now())
    assert not mail.outbox
    notices_route()
    assert Delivery.objects.get().notification.reminder_id == row.pk
    assert Delivery.objects.get().mode == Mode.DIGEST


def test_by_default_a_reminder_is_emailed_at_once_and_routing_adds_nothing(cast):
    row = reminder(cast, timezone.now() + timedelta(days=2))
    deliver(timezone.now())
    assert len(mail.outbox) == 1
    assert Notification.objects.get(reminder=row).sent_by == "email"
    notices_route()
    assert not Delivery.objects.exists()


def test_quiet_hours_hold_a_reminder_until_they_end_without_counting_an_attempt(cast, settings):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    night = timezone.make_aware(timezone.datetime(2026, 12, 3, 22, 0))
    row = reminder(cast, night + timedelta(days=1), due=night - timedelta(minutes=1))
    deliver(night)
    row.refresh_from_db()
    assert row.status == R.Status.PENDING and row.attempts == 0 and not mail.outbox
    assert row.due_at == timezone.make_aware(timezone.datetime(2026, 12, 4, 7, 0))
    assert deliver(night + timedelta(hours=1)) == 0
    assert deliver(row.due_at) == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize("kind", [R.Kind.CANCELLATION, R.Kind.CHANGE])
def test_an_urgent_change_comes_at_once_at_night_even_when_meetings_are_off(cast, settings, kind):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    cast.anna.phone, cast.anna.notify_by_sms = "+4512345678", True
    cast.anna.save()
    choose(cast.anna, Channel.EMAIL, Mode.OFF)
    choose(cast.anna, Channel.SMS, Mode.OFF)
    night = timezone.make_aware(timezone.datetime(2026, 12, 3, 22, 0))
    row = reminder(cast, night + timedelta(hours=11), kind=kind, due=night)
    if kind == R.Kind.CANCELLATION:
        Meeting.objects.filter(pk=row.meeting_id).update(status=Meeting.Status.CANCELLED)
    assert deliver(night) == 1
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    assert Notification.objects.get(reminder=row).urgent


def test_a_change_more_than_a_day_ahead_keeps_the_quiet_hours(cast, settings):
    settings.NOTICE_QUIET_HOURS = "20:00-07:00"
    night = timezone.make_aware(timezone.datetime(2026, 12, 3, 22, 0))
    row = reminder(cast, night + timedelta(days=3), kind=R.Kind.CHANGE, due=night)
    deliver(night)
    row.refresh_from_db()
    assert row.status == R.Status.PENDING and not mail.outbox

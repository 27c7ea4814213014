"""Reminder and notice delivery: each message once, in the guardian's language, to people who still
have access, over the channels they chose; late reminders still go out, those for begun meetings not."""

import shutil
import threading
from collections import Counter
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from children.models import Guardianship
from portal.meetings import sms
from portal.meetings.models import Meeting, MeetingKind, MeetingResponse, Notification, PrepareWith, Reminder
from portal.meetings.services import booking, claims, delivery
from tests.meetings.conftest import req

R = Reminder


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "portal.meetings.sms.LocMemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def book(cast, period, *, user=None, index=0):
    user = user or cast.anna
    slot = period.slots.order_by("starts_at")[index]
    return booking.meeting_book(request=req(user), user=user, slot=slot, child=cast.emil)


def sweep(capture, **kw):
    """Run the beat sweep; its send tasks run eagerly after commit."""
    with capture(execute=True):
        return delivery.reminders_sweep(**kw)


def deliver(now):
    """What the beat sweep and its send task do, at ``now``."""
    ids, lease = claims.reminders_claim(now=now, size=200)
    return delivery.reminders_send(reminder_ids=ids, now=now, lease=lease)


def make_due(cast, meetings: int, *, hours_ahead: int = 48):
    """``meetings`` meetings about Emil, each with a 7-day and a 24-hour reminder to Anna and Mikkel,
    all due now (the worker was down for a while)."""
    now = timezone.now()
    rows = []
    for i in range(meetings):
        starts = now + timedelta(hours=hours_ahead, minutes=30 * i)
        meeting = Meeting.objects.create(
            kind=MeetingKind.DAYCARE_CONVERSATION,
            institution=cast.solsikken,
            child=cast.emil,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=20),
            location="Stuen",
        )
        for user in (cast.anna, cast.mikkel):
            for offset in (10080, 1440):
                rows.append(
                    R(
                        meeting=meeting,
                        recipient=user,
                        offset_minutes=offset,
                        due_at=now - timedelta(minutes=offset % 7 + 1),
                    )
                )
    return R.objects.bulk_create(rows)


def parent_meeting(cast):
    """A parent meeting for Mariehønen (Emil's group) in three days."""
    starts = timezone.now() + timedelta(days=3)
    return Meeting.objects.create(
        kind=MeetingKind.PARENT_MEETING,
        institution=cast.solsikken,
        group=cast.mariehonen,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


def kind_of(message) -> str:
    """The kind of reminder row a message was sent for, read from its Message-ID."""
    return message.extra_headers["Message-ID"].split("-")[1]


def message_for(user):
    (message,) = [m for m in mail.outbox if user.email in m.to[0]]
    return message


def test_confirmation_goes_to_each_guardian_in_their_language(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mikkel.language = "en"
    cast.mikkel.save(update_fields=["language"])
    meeting = book(cast, emil_period)
    assert sweep(django_capture_on_commit_callbacks) == 2  # the two confirmations; reminders are not due
    local = timezone.localtime(meeting.starts_at)
    for user, language in ((cast.anna, "da"), (cast.mikkel, "en")):
        with translation.override(language):
            weekday = date_format(local, "l")
        message = message_for(user)
        assert weekday in message.body and weekday in message.alternatives[0].content
        assert "Emil" in message.subject and "Emil" in message.body
        assert user.first_name in message.body.splitlines()[0]
    assert "Thank you for booking" in message_for(cast.mikkel).body
    assert "Stuen" in message_for(cast.anna).body
    rows = R.objects.filter(kind=R.Kind.CONFIRMATION)
    assert {(r.status, r.channels) for r in rows} == {("sent", "email,portal")}


def test_message_has_stable_message_id_and_calendar_file_in_utc(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    row = R.objects.get(recipient=cast.anna, kind=R.Kind.CONFIRMATION)
    message = message_for(cast.anna)
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.message()["Message-ID"] == row.message_id
    (attachment,) = message.attachments
    assert attachment.mimetype == "text/calendar; method=REQUEST"
    event = Calendar.from_ical(attachment.content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == meeting.starts_at.astimezone(UTC)
    assert event.get("DTSTART").to_ical().endswith(b"Z")


def test_late_reminder_is_sent_when_the_meeting_has_not_begun(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = book(cast, emil_period)
    # The worker was down for a week: both reminders are overdue, the meeting is in an hour.
    deliver(meeting.starts_at - timedelta(hours=1))
    reminders = R.objects.filter(kind=R.Kind.REMINDER)
    assert set(reminders.values_list("status", flat=True)) == {"sent"}
    assert len([m for m in mailoutbox if kind_of(m) == "reminder"]) == 4


def test_reminder_for_a_meeting_that_has_begun_is_skipped(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = book(cast, emil_period)
    deliver(meeting.starts_at + timedelta(minutes=5))
    reminders = R.objects.filter(kind=R.Kind.REMINDER)
    assert set(reminders.values_list("status", "skip_reason")) == {("skipped", "started")}
    assert not Notification.objects.filter(reminder__kind=R.Kind.REMINDER).exists()
    assert not [m for m in mailoutbox if kind_of(m) == "reminder"]


def test_cancelled_meeting_sends_no_reminder_but_a_cancellation(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = book(cast, emil_period)
    booking.meeting_cancel(request=req(cast.anna), user=cast.anna, meeting=meeting)
    deliver(meeting.starts_at - timedelta(hours=1))
    assert [kind_of(m) for m in mailoutbox] == ["cancellation", "cancellation"]
    assert "method=CANCEL" in mailoutbox[0].attachments[0].mimetype
    assert "METHOD:CANCEL" in mailoutbox[0].attachments[0].content
    statuses = dict(R.objects.values_list("kind", "status").distinct())
    assert statuses == {"reminder": "cancelled", "confirmation": "cancelled", "cancellation": "sent"}


def test_reminder_of_a_meeting_cancelled_after_the_claim_is_cancelled(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = book(cast, emil_period)
    now = meeting.starts_at - timedelta(hours=1)
    ids, lease = claims.reminders_claim(now=now, size=50)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == 0
    assert set(R.objects.values_list("status", flat=True)) == {"cancelled"}
    assert mailoutbox == []


def test_guardian_who_lost_access_gets_nothing(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    book(cast, emil_period)
    Guardianship.objects.filter(user=cast.mikkel).update(ended_on=timezone.localdate())
    sweep(django_capture_on_commit_callbacks)
    mikkel = R.objects.get(recipient=cast.mikkel, kind=R.Kind.CONFIRMATION)
    assert (mikkel.status, mikkel.skip_reason) == ("skipped", "no_access")
    assert [m.to for m in mailoutbox] == [[cast.anna.email]]


def test_parent_meeting_reaches_guardians_of_children_in_the_group_now(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = parent_meeting(cast)
    R.objects.bulk_create(
        [R(meeting=meeting, recipient=u, due_at=timezone.now()) for u in (cast.anna, cast.bo)]
    )
    sweep(django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.anna.email]]
    assert "Mariehønen" in mailoutbox[0].subject
    assert R.objects.get(recipient=cast.bo).skip_reason == "no_access"


def test_a_guardian_who_is_not_coming_gets_no_reminder_but_still_hears_of_a_change(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = parent_meeting(cast)
    MeetingResponse.objects.create(meeting=meeting, guardian=cast.anna, coming=False, adults=0)
    now = timezone.now()
    R.objects.bulk_create(
        [R(meeting=meeting, recipient=u, due_at=now) for u in (cast.anna, cast.mikkel)]
        + [R(meeting=meeting, recipient=cast.anna, due_at=now, kind=R.Kind.CHANGE)]
    )
    sweep(django_capture_on_commit_callbacks)
    anna = R.objects.get(recipient=cast.anna, kind=R.Kind.REMINDER)
    assert (anna.status, anna.skip_reason) == ("skipped", "not_coming")
    assert sorted((m.to[0], kind_of(m)) for m in mailoutbox) == sorted(
        [(cast.anna.email, "change"), (cast.mikkel.email, "reminder")]
    )


def test_guardian_who_chose_text_messages_gets_an_sms_and_a_notification_not_an_email(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    cast.anna.notify_by_email, cast.anna.notify_by_sms, cast.anna.phone = False, True, "+4512345678"
    cast.anna.save()
    meeting = book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.mikkel.email]]
    (text,) = sms.outbox
    row = R.objects.get(recipient=cast.anna, kind=R.Kind.CONFIRMATION)
    assert text.to == "+4512345678" and "Emil" in text.body and "Stuen" in text.body
    assert text.reference == row.message_id
    assert row.channels == "portal,sms"
    notification = Notification.objects.get(reminder=row)
    assert notification.user == cast.anna and notification.meeting == meeting
    assert "Emil" in notification.title


def test_preparation_links_to_the_childs_learning_plan(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks, settings
):
    emil_period.prepare_with = PrepareWith.LEARNING_PLAN
    emil_period.agenda, emil_period.preparation = "Trivsel og venskaber", "Tag gerne tegningen med"
    emil_period.save()
    meeting = book(cast, emil_period)
    meeting.agenda = "Søvn og leg"
    meeting.save(update_fields=["agenda"])
    sweep(django_capture_on_commit_callbacks)
    body = message_for(cast.anna).body
    assert f"{settings.SITE_URL}/children/{cast.emil.pk}/" in body
    assert "Søvn og leg" in body and "Trivsel" not in body  # the meeting's own agenda wins
    assert "Tag gerne tegningen med" in body
    assert settings.SITE_URL in body


def test_sending_again_sends_nothing_twice(cast, emil_period, mailoutbox, django_capture_on_commit_callbacks):
    book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    ids = list(R.objects.filter(kind=R.Kind.CONFIRMATION).values_list("pk", flat=True))
    assert delivery.reminders_send(reminder_ids=ids) == 0
    assert sweep(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2


def test_a_crash_before_the_rows_were_marked_resends_nothing(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    """The journal knows the messages the server accepted; the notifications are not doubled."""
    book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    confirmations = R.objects.filter(kind=R.Kind.CONFIRMATION)
    # As if the worker died after sending, before its UPDATE: the lease ran out and the rows are due.
    confirmations.update(status=R.Status.QUEUED, lease_until=timezone.now() - timedelta(minutes=1))
    assert sweep(django_capture_on_commit_callbacks) == 2
    assert len(mailoutbox) == 2
    assert set(confirmations.values_list("status", "channels")) == {("sent", "email,portal")}
    assert Notification.objects.count() == 2


def test_a_stale_task_does_nothing_after_the_rows_were_claimed_again(
    cast, emil_period, mailoutbox, django_capture_on_commit_callbacks
):
    book(cast, emil_period)
    now = timezone.now()
    ids, old_lease = claims.reminders_claim(now=now, size=50)
    later = now + timedelta(minutes=11)
    ids_again, new_lease = claims.reminders_claim(now=later, size=50)
    assert ids_again == ids
    assert delivery.reminders_send(reminder_ids=ids, now=later, lease=old_lease) == 0
    assert delivery.reminders_send(reminder_ids=ids, now=later, lease=new_lease.isoformat()) == 2
    assert R.objects.get(pk=ids[0]).attempts == 2


def test_a_row_whose_every_claim_failed_is_given_up_and_reported(cast, mailoutbox, caplog):
    rows = make_due(cast, 1)
    now = timezone.now()
    for attempt in range(claims.MAX_ATTEMPTS):  # each claim's task was lost: the lease ran out
        at = now + timedelta(minutes=11 * attempt)
        assert claims.reminders_claim(now=at, size=50)[0] == sorted(r.pk for r in rows)
    later = now + timedelta(minutes=11 * claims.MAX_ATTEMPTS)
    with caplog.at_level("ERROR", logger="portal.meetings.services.claims"):
        assert delivery.reminders_sweep(now=later) == 0
    assert set(R.objects.values_list("status", "skip_reason")) == {("skipped", "gave_up")}
    assert "Gave up on 4 meeting messages" in caplog.text
    assert mailoutbox == []


def test_every_kind_of_message_is_written_from_the_columns_loaded_with_the_batch(
    cast, emil_period, freja_period, mailoutbox, monkeypatch
):
    """The batch loads only the columns a message needs (``delivery.LOADED``); reading any other
    would cost a query per row, so here it fails."""
    cast.anna.notify_by_sms, cast.anna.phone, cast.anna.language = True, "+4512345678", "en"
    cast.anna.save()
    emil_period.prepare_with = PrepareWith.LEARNING_PLAN
    emil_period.save()
    book(cast, emil_period)  # confirmations; Anna by e-mail and text, in English
    freja = booking.meeting_book(
        request=req(cast.bo), user=cast.bo, slot=freja_period.slots.first(), child=cast.freja
    )
    booking.meeting_cancel(request=req(cast.bo), user=cast.bo, meeting=freja)  # a cancellation
    group_meeting = parent_meeting(cast)
    R.objects.create(meeting=group_meeting, recipient=cast.anna, due_at=timezone.now())

    def deferred_load(instance, *args, **kwargs):
        raise AssertionError(f"{type(instance).__name__}.{kwargs.get('fields')} was not loaded")

    monkeypatch.setattr("django.db.models.Model.refresh_from_db", deferred_load)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=200)
    delivery.reminders_send(reminder_ids=ids, now=now, lease=lease)
    monkeypatch.undo()
    kinds = Counter(kind_of(m) for m in mailoutbox)
    assert kinds == {"confirmation": 2, "cancellation": 1, "reminder": 1}
    assert {t.to for t in sms.outbox} == {"+4512345678"}
    assert any("Mariehønen" in m.subject for m in mailoutbox)


def test_queries_per_batch_are_constant(cast, django_assert_num_queries, mailoutbox):
    make_due(cast, 1)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=1)
    # Load with access check, mark sent, insert notifications (+ the savepoint around the writes).
    with django_assert_num_queries(5):
        assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == 1
    make_due(cast, 7)
    ids, lease = claims.reminders_claim(now=now, size=25)
    assert len(ids) == 25
    with django_assert_num_queries(5):
        assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == 25
    assert len(mailoutbox) == 26


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_claim_disjoint_rows_and_send_each_once(cast, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    rows = make_due(cast, 15)
    barrier = threading.Barrier(2)
    claimed: list[list[tuple[list[int], object]]] = [[], []]

    def run(index):
        try:
            barrier.wait()
            while True:
                ids, lease = claims.reminders_claim(now=timezone.now(), size=4)
                if not ids:
                    break
                claimed[index].append((ids, lease))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    first = {pk for ids, _l in claimed[0] for pk in ids}
    second = {pk for ids, _l in claimed[1] for pk in ids}
    assert first and second, "both sweeps should have claimed work"
    assert not first & second
    assert first | second == {r.pk for r in rows}
    for ids, lease in claimed[0] + claimed[1]:
        delivery.reminders_send(reminder_ids=ids, lease=lease)
    ids_sent = Counter(m.extra_headers["Message-ID"] for m in mailoutbox)
    assert ids_sent == Counter({r.message_id: 1 for r in R.objects.all()})


def test_rows_whose_task_the_broker_lost_are_claimed_again_at_the_next_sweep(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Redis restarted empty: the send tasks it held are gone, and the next sweep (within a minute)
    claims their rows again instead of waiting for the lease; the lost task, should it turn up, sends
    nothing."""
    from tests.meetings.test_worker_restart import PrivateRedis, running

    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    for broker in running(PrivateRedis()):
        settings.CELERY_BROKER_URL = broker.url
        rows = make_due(cast, 1)
        now = timezone.now()
        assert claims.reminders_release_lost(now=now) == 0  # the first sweep leaves its mark
        ids, lease = claims.reminders_claim(now=now, size=50)
        assert claims.reminders_release_lost(now=now + timedelta(minutes=1)) == 0  # the queue is there
        broker.restart()
        assert sweep(django_capture_on_commit_callbacks, now=now + timedelta(minutes=1)) == len(rows)
        assert set(R.objects.values_list("status", "attempts")) == {("sent", 2)}
        assert delivery.reminders_send(reminder_ids=ids, lease=lease) == 0
        assert len(mailoutbox) == len(rows)

"""A municipality's meeting settings, and re-planning its upcoming reminders when they change."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.enqueue import enqueue
from portal.meetings.models import Meeting, MeetingSettings, Reminder
from portal.meetings.services.outbox import reminder_offsets


@transaction.atomic
def meeting_settings_update(*, municipality, reminder_offsets: list[int]) -> MeetingSettings:
    """Save the reminder times and re-plan the municipality's upcoming meetings after commit."""
    offsets = sorted({int(o) for o in reminder_offsets if int(o) > 0}, reverse=True)
    settings_row, _created = MeetingSettings.objects.update_or_create(
        municipality=municipality, defaults={"reminder_offsets": offsets}
    )
    enqueue("meetings.replan_reminders", municipality.pk)
    return settings_row


@transaction.atomic
def reminders_replan_municipality(*, municipality_id: int, now=None) -> tuple[int, int]:
    """Bring the open reminders of every upcoming meeting in the municipality in line with its reminder
    times: one UPDATE withdraws the rows of times no longer used, one re-arms withdrawn rows of times in
    use again, and per reminder time one query finds the missing rows, which are inserted in batches
    (``ignore_conflicts``: a concurrent booking may have planned them). Idempotent; runs in Celery.
    The send-time access check still stops a reminder to someone who has lost access. Returns
    (withdrawn, added)."""
    now = now or timezone.now()
    offsets = reminder_offsets(municipality_id)
    upcoming = Meeting.objects.live().filter(institution__municipality_id=municipality_id, starts_at__gt=now)
    withdrawn = (
        Reminder.objects.filter(
            kind=Reminder.Kind.REMINDER, status=Reminder.Status.PENDING, meeting__in=upcoming
        )
        .exclude(offset_minutes__in=offsets)
        .update(status=Reminder.Status.CANCELLED)
    )
    Reminder.objects.filter(
        kind=Reminder.Kind.REMINDER,
        status=Reminder.Status.CANCELLED,
        meeting__in=upcoming,
        offset_minutes__in=offsets,
        due_at__gt=now,
    ).update(status=Reminder.Status.PENDING)
    added = 0
    # Who is reminded about a meeting: the recipients its rows were planned for (one row per offset).
    planned = (
        Reminder.objects.filter(kind=Reminder.Kind.REMINDER, meeting__in=upcoming)
        .exclude(status=Reminder.Status.CANCELLED)
        .values("meeting_id", "recipient_id", "meeting__starts_at")
        .distinct()
    )
    for offset in offsets:
        missing = planned.filter(meeting__starts_at__gt=now + timedelta(minutes=offset)).exclude(
            Exists(
                Reminder.objects.filter(
                    meeting=OuterRef("meeting_id"),
                    recipient=OuterRef("recipient_id"),
                    kind=Reminder.Kind.REMINDER,
                    offset_minutes=offset,
                )
            )
        )
        rows = [
            Reminder(
                meeting_id=m["meeting_id"],
                recipient_id=m["recipient_id"],
                kind=Reminder.Kind.REMINDER,
                offset_minutes=offset,
                due_at=m["meeting__starts_at"] - timedelta(minutes=offset),
            )
            for m in missing.iterator(chunk_size=2000)
        ]
        added += len(Reminder.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True))
    return withdrawn, added

"""Planning the outbox: which reminder and notice rows a meeting needs. Always called inside the
transaction that books, moves or cancels the meeting, so the rows exist exactly when the change does.
Delivery is in ``delivery.py``."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from portal.enqueue import enqueue
from portal.meetings.models import Meeting, MeetingSettings, Reminder
from portal.meetings.policies import recipients_of

Kind, Status, Skip = Reminder.Kind, Reminder.Status, Reminder.SkipReason
UPSERT_FIELDS = [
    "due_at",
    "status",
    "sequence",
    "skip_reason",
    "lease_until",
    "sent_at",
    "attempts",
    "channels",
    "email_status",
    "email_detail",
    "sms_status",
    "sms_detail",
]


def reminder_offsets(municipality_id: int) -> list[int]:
    """Minutes before a meeting at which guardians are reminded, largest first."""
    configured = (
        MeetingSettings.objects.filter(municipality_id=municipality_id)
        .values_list("reminder_offsets", flat=True)
        .first()
    )
    offsets = configured if configured is not None else settings.MEETING_REMINDER_OFFSETS
    return sorted({int(o) for o in offsets if int(o) > 0}, reverse=True)


def _recipient_ids(meeting: Meeting) -> list[int]:
    # order_by(): Guardianship's default ordering would join the DISTINCT and repeat a guardian of two
    # children in the group, and PostgreSQL refuses an upsert that touches one row twice.
    return list(recipients_of(meeting).order_by().values_list("user_id", flat=True).distinct())


def _upsert(rows: list[Reminder]) -> None:
    Reminder.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["meeting", "recipient", "kind", "offset_minutes"],
        update_fields=UPSERT_FIELDS,
    )


def reminders_plan(*, meeting: Meeting, now=None) -> int:
    """Arm one reminder per recipient and offset for the meeting's current time (idempotent).

    A row whose time has already passed when it is planned (booked three days ahead: no 7-day
    reminder) is recorded as skipped. Re-planning after a move re-arms every row with the meeting's
    new sequence, and cancels the open rows of people who are no longer told. Returns the rows armed.
    """
    now = now or timezone.now()
    recipients = _recipient_ids(meeting)
    offsets = reminder_offsets(meeting.institution.municipality_id)
    rows = []
    for offset in offsets:
        due = meeting.starts_at - timedelta(minutes=offset)
        late = due <= now
        for user_id in recipients:
            rows.append(
                Reminder(
                    meeting=meeting,
                    recipient_id=user_id,
                    kind=Kind.REMINDER,
                    offset_minutes=offset,
                    due_at=due,
                    status=Status.SKIPPED if late else Status.PENDING,
                    skip_reason=Skip.TOO_LATE if late else Skip.NONE,
                    sequence=meeting.sequence,
                    lease_until=None,
                    sent_at=None,
                    attempts=0,
                    channels="",
                )
            )
    if rows:
        _upsert(rows)
    Reminder.objects.open().filter(meeting=meeting, kind=Kind.REMINDER).filter(
        ~Q(recipient_id__in=recipients) | ~Q(offset_minutes__in=offsets)
    ).update(status=Status.CANCELLED, lease_until=None)
    return sum(1 for r in rows if r.status == Status.PENDING)


def notices_plan(*, meeting: Meeting, kind: str, now=None) -> int:
    """Arm a notice (confirmation, invitation, change or cancellation) to every recipient, due now."""
    now = now or timezone.now()
    rows = [
        Reminder(
            meeting=meeting,
            recipient_id=user_id,
            kind=kind,
            offset_minutes=0,
            due_at=now,
            status=Status.PENDING,
            skip_reason=Skip.NONE,
            sequence=meeting.sequence,
            lease_until=None,
            sent_at=None,
            attempts=0,
            channels="",
        )
        for user_id in _recipient_ids(meeting)
    ]
    if rows:
        _upsert(rows)
        # Notices are due now: sweep once the change is committed instead of waiting for the beat.
        # Sweeps claim with SKIP LOCKED, so this and the beat's never send a row twice.
        enqueue("meetings.sweep_reminders")
    return len(rows)


def outbox_cancel(*, meeting: Meeting) -> int:
    """Withdraw every unsent reminder and notice of a meeting (it was cancelled)."""
    return Reminder.objects.open().filter(meeting=meeting).update(status=Status.CANCELLED, lease_until=None)

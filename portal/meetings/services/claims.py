"""Claiming due reminders and notices for sending, each row by one sweep only.

A claim turns ``PENDING`` rows that are due, and ``QUEUED`` rows whose lease ran out (their task was
lost), into ``QUEUED`` rows with a new lease and ``attempts + 1``; after ``MAX_ATTEMPTS`` claims a row
is given up. When the broker lost its queue, the rows whose tasks it held are released at once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q

from portal.meetings.models import Reminder
from portal.meetings.services.ledger import JOURNAL_ERRORS, redis_client

logger = logging.getLogger(__name__)

Status, Skip = Reminder.Status, Reminder.SkipReason
MAX_ATTEMPTS = 10

CLAIM_SQL = """
UPDATE meetings_reminder SET status = 'queued', lease_until = %s, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM meetings_reminder
    WHERE ((status = 'pending' AND due_at <= %s) OR (status = 'queued' AND lease_until < %s))
      AND attempts < %s
    ORDER BY due_at, meeting_id
    LIMIT %s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def reminders_claim(*, now: datetime, size: int) -> tuple[list[int], datetime]:
    """Claim up to ``size`` due rows with one lease; returns their ids and the lease's end."""
    lease = now + timedelta(seconds=settings.MEETING_REMINDER_LEASE_SECONDS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, [lease, now, now, MAX_ATTEMPTS, size])
            return sorted(row[0] for row in cursor.fetchall()), lease
    # SQLite has no SKIP LOCKED; its transactions are IMMEDIATE, so the select and the update below
    # hold the write lock together and a second sweep waits for them.
    with transaction.atomic():
        due = Reminder.objects.filter(
            Q(status=Status.PENDING, due_at__lte=now) | Q(status=Status.QUEUED, lease_until__lt=now),
            attempts__lt=MAX_ATTEMPTS,
        )
        ids = list(due.order_by("due_at", "meeting_id").values_list("pk", flat=True)[:size])
        if ids:
            Reminder.objects.filter(pk__in=ids).update(
                status=Status.QUEUED, lease_until=lease, attempts=F("attempts") + 1
            )
    return sorted(ids), lease


def reminders_give_up(*, now: datetime) -> int:
    """Rows whose every claim failed (``MAX_ATTEMPTS`` of them, the last lease run out) are skipped as
    "gave up" and logged as an error for the operators, instead of staying claimed for ever."""
    count = Reminder.objects.filter(
        status=Status.QUEUED, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(status=Status.SKIPPED, skip_reason=Skip.GAVE_UP, lease_until=None)
    if count:
        logger.error("Gave up on %d meeting messages after %d failed attempts each.", count, MAX_ATTEMPTS)
    return count


BROKER_MARK = "meetings:broker-mark"


def reminders_release_lost(*, now: datetime) -> int:
    """After the broker lost its data (Redis restarted empty), the send tasks it held are gone: release
    their rows at once instead of after their lease. The sweep keeps a mark in the broker; when the
    mark is missing, every row claimed before now had its task there. A task that still turns up
    (one a worker had already taken) holds an old lease and does nothing; one already sending stops
    at its next message (:class:`Ledger`)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return 0
    try:
        if not redis_client(url).set(BROKER_MARK, now.isoformat(), nx=True):
            return 0
    except JOURNAL_ERRORS:
        return 0  # the broker is away: nothing can be queued now anyway
    count = Reminder.objects.filter(status=Status.QUEUED, lease_until__gte=now).update(
        lease_until=now - timedelta(seconds=1)
    )
    if count:
        logger.warning("The broker lost its queue: %d claimed meeting messages are claimed again now.", count)
    return count

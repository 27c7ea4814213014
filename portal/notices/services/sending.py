"""Sending letters: the notification centre's outbox, with the meeting reminders' discipline.

The sweep claims due letters in batches (``FOR UPDATE SKIP LOCKED``, a lease, ``attempts + 1``) and
queues a send task per batch after commit. A send loads its letters and their notices in two queries,
writes each message in the person's language, and sends the e-mails over the reminders' sender
(``EmailSender``): each accepted message is recorded on its row before the next one goes out on that
connection, and its key goes into the journal in Redis; a letter the row or the journal knows is never
sent again, and its ``Message-ID`` is the row's. A worker that dies mid-batch leaves its letters
claimed until the lease runs out; the next sweep claims them again and sends only what is missing.
"""

import functools
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.enqueue import enqueue
from portal.meetings import sms
from portal.meetings.mime import MeetingEmail, address_header, bare_address
from portal.meetings.models import Reminder
from portal.meetings.services.delivery import Outcome, TransientDeliveryError
from portal.meetings.services.ledger import Journal, LeaseLost, Ledger, journal_key
from portal.meetings.services.smtp import EmailSender, is_transient, smtp_address
from portal.notices import writing
from portal.notices.models import Delivery, Letter

logger = logging.getLogger(__name__)

Status, ChannelStatus = Letter.Status, Reminder.ChannelStatus
MAX_ATTEMPTS = 10
LEDGER = functools.partial(Ledger, table="notices_letter")

CLAIM_SQL = """
UPDATE notices_letter SET status = 'queued', lease_until = %s, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM notices_letter
    WHERE ((status = 'pending' AND due_at <= %s) OR (status = 'queued' AND lease_until < %s))
      AND attempts < %s
    ORDER BY due_at, id
    LIMIT %s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def letters_claim(*, now: datetime, size: int) -> tuple[list[int], datetime]:
    """Claim up to ``size`` due letters with one lease; their ids and the lease's end."""
    lease = now + timedelta(seconds=settings.MEETING_REMINDER_LEASE_SECONDS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, [lease, now, now, MAX_ATTEMPTS, size])
            return sorted(row[0] for row in cursor.fetchall()), lease
    with transaction.atomic():  # SQLite: IMMEDIATE transactions hold the write lock for both
        due = Letter.objects.filter(
            Q(status=Status.PENDING, due_at__lte=now) | Q(status=Status.QUEUED, lease_until__lt=now),
            attempts__lt=MAX_ATTEMPTS,
        )
        ids = list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:size])
        if ids:
            Letter.objects.filter(pk__in=ids).update(
                status=Status.QUEUED, lease_until=lease, attempts=F("attempts") + 1
            )
    return sorted(ids), lease


def letters_give_up(*, now: datetime) -> int:
    count = Letter.objects.filter(
        status=Status.QUEUED, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(status=Status.SKIPPED, skip_reason="gave_up", lease_until=None)
    if count:
        logger.error("Gave up on %d notification letters after %d failed attempts each.", count, MAX_ATTEMPTS)
    return count


def letters_sweep(*, now: datetime | None = None, batch_size: int = 200, limit: int | None = None) -> int:
    """Claim every due letter (or ``limit`` of them) and queue a send task per batch after commit."""
    letters_give_up(now=now or timezone.now())
    total = 0
    while limit is None or total < limit:
        size = batch_size if limit is None else min(batch_size, limit - total)
        ids, lease = letters_claim(now=now or timezone.now(), size=size)
        if not ids:
            break
        enqueue("notices.send_letters", ids, lease.isoformat())
        total += len(ids)
        if len(ids) < size:
            break
    return total


USER_FIELDS = ["user__email", "user__phone", "user__first_name", "user__last_name", "user__language"]


def _load(letter_ids, lease: datetime | None):
    rows = Letter.objects.filter(pk__in=list(letter_ids), status=Status.QUEUED)
    if lease is not None:
        rows = rows.filter(lease_until=lease)
    letters = list(
        rows.select_related("user")
        .only("kind", "channel", "user", "email_status", "sms_status", *USER_FIELDS)
        .order_by("pk")
    )
    items: dict[int, list] = {letter.pk: [] for letter in letters}
    for letter_id, title, body, url, kind in (
        Delivery.objects.filter(letter_id__in=list(items))
        .order_by("letter_id", "notification__created_at", "notification_id")
        .values_list(
            "letter_id",
            "notification__title",
            "notification__body",
            "notification__url",
            "notification__kind",
        )
    ):
        items[letter_id].append(writing.Item(title, body, url, kind))
    return letters, items


def letters_send(*, letter_ids, lease: datetime | str | None = None, now: datetime | None = None) -> int:
    """Send the claimed letters among ``letter_ids``; how many went out. Idempotent: only rows still
    queued under ``lease`` are touched and no message the row or the journal knows goes again. On a
    transient failure it records what went out and raises, leaving the rest claimed for the retry."""
    now = now or timezone.now()
    if isinstance(lease, str):
        lease = datetime.fromisoformat(lease)
    letters, items = _load(letter_ids, lease)
    if not letters:
        return 0
    outcome = Outcome()
    try:
        _deliver(letters, items, outcome, lease)
    finally:
        _record(outcome, now, lease)
    return sum(1 for channels in outcome.sent.values() if channels)


def _deliver(letters, items, outcome: Outcome, lease) -> None:
    """Fills ``outcome``: ``sent`` (letter -> channels that went out, now or before), ``skipped``
    (letter -> reason), ``email`` (the server's answer, kept with a refusal)."""
    journal = Journal(caches["default"])
    known = journal.known([journal_key(letter, letter.channel) for letter in letters])
    ledger = LEDGER if not transaction.get_connection().in_atomic_block else None
    sender = EmailSender(outcome, journal, ledger, lease)
    texts = []
    try:
        for letter in letters:
            if sender.error is not None:
                break
            user, entries, channel = letter.user, items[letter.pk], letter.channel
            outcome.sent[letter.pk], outcome.wanted[letter.pk] = set(), set()
            status = letter.email_status if channel == "email" else letter.sms_status
            if not entries:
                outcome.skipped[letter.pk] = "empty"
            elif status == ChannelStatus.SENT or journal_key(letter, channel) in known:
                outcome.sent[letter.pk].add(channel)
            elif status:
                outcome.skipped[letter.pk] = status  # refused or invalid for good: said once
            elif channel == "email":
                if (address := smtp_address(user.email)) is None:
                    logger.warning("Letter %s: the e-mail address is not valid", letter.pk)
                    outcome.email[letter.pk] = (ChannelStatus.INVALID, user.email[:300])
                    outcome.skipped[letter.pk] = ChannelStatus.INVALID
                else:
                    outcome.wanted[letter.pk].add("email")
                    sender.put(letter, _email(letter, entries, address))
            elif user.phone:
                outcome.wanted[letter.pk].add("sms")
                body = writing.text_message(letter, entries)
                texts.append((letter, sms.SmsMessage(to=user.phone, body=body, reference=letter.message_id)))
            else:
                outcome.skipped[letter.pk] = "no_channel"
        sender.finish()
        if sender.error is None and texts:
            sms.get_backend().send_messages([text for _letter, text in texts])
            journal.add_many([journal_key(letter, "sms") for letter, _text in texts])
            for letter, _text in texts:
                outcome.sent[letter.pk].add("sms")
    except BaseException as exc:
        sender.finish()
        failure = exc
    else:
        failure = None
    for pk, (status, _detail) in outcome.email.items():
        if status == ChannelStatus.REFUSED:  # a 5xx for this address: recorded, not tried again
            outcome.skipped[pk] = ChannelStatus.REFUSED
    failure = sender.error or failure
    if failure is None:
        return
    if isinstance(failure, LeaseLost):
        logger.warning("Letter %s was claimed again while being sent; the new claim sends the rest", failure)
        return
    if is_transient(failure):
        raise TransientDeliveryError(str(failure)) from failure
    raise failure


def _email(letter, entries, address: str) -> MeetingEmail:
    user = letter.user
    subject, text, html = writing.email(letter, entries)
    message = MeetingEmail(
        subject=subject,
        body=text,
        from_email=bare_address(settings.DEFAULT_FROM_EMAIL),
        to=[address],
        headers={"Message-ID": letter.message_id, "Auto-Submitted": "auto-generated"},
        alternatives=[(html, "text/html")],
    )
    message.from_header = settings.DEFAULT_FROM_EMAIL
    message.to_header = address_header(user.get_full_name(), address)
    return message


def _record(outcome: Outcome, now: datetime, lease: datetime | None) -> None:
    """One statement for the letters sent, one per reason for those skipped; letters whose message
    did not go out (a failure cut the batch short) stay claimed for the retry."""
    claimed = Letter.objects.filter(status=Status.QUEUED)
    if lease is not None:
        claimed = claimed.filter(lease_until=lease)
    sent = [pk for pk, channels in outcome.sent.items() if channels and pk not in outcome.skipped]
    reasons: dict[str, list[int]] = {}
    for pk, reason in outcome.skipped.items():
        reasons.setdefault(reason, []).append(pk)
    with transaction.atomic():
        for channel in ("email", "sms"):
            pks = [pk for pk in sent if channel in outcome.sent[pk]]
            if pks:
                claimed.filter(pk__in=pks).update(
                    status=Status.SENT,
                    sent_at=now,
                    lease_until=None,
                    **{f"{channel}_status": ChannelStatus.SENT},
                )
        for reason, pks in reasons.items():
            changes = {"status": Status.SKIPPED, "skip_reason": reason, "lease_until": None}
            if reason == ChannelStatus.INVALID:
                changes["email_status"] = ChannelStatus.INVALID
            claimed.filter(pk__in=pks).update(**changes)

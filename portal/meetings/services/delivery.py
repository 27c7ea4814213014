"""Delivering the outbox: reminders and notices about meetings, each exactly once, none lost.

How a row travels:

1. ``reminders_sweep`` (the beat task, every minute) claims due rows with one statement: ``PENDING``
   rows that are due, and ``QUEUED`` rows whose lease ran out (their task was lost), become ``QUEUED``
   with a new lease and ``attempts + 1``. PostgreSQL skips rows another sweep has locked (``FOR UPDATE
   SKIP LOCKED``); SQLite runs the claim in an IMMEDIATE transaction. The ids go to short
   ``send_reminders`` tasks after commit, with the lease's end as a fencing token: a task only touches
   rows that still carry its lease, so a late duplicate of a task whose rows were claimed again does
   nothing.
2. ``reminders_send`` loads those rows in one query, with the guardian's access checked in the same
   query, and decides per row: the meeting was cancelled (the row is cancelled; cancellation notices
   are sent), the meeting has begun (skipped, "started"), the guardian no longer has access (skipped,
   "no_access"), or send. The message is written in the recipient's language. A meeting's pieces
   (text, calendar file) are made once per batch for all its recipients, and the text around them
   once per process for all the conversations of a round. Threads send the batch's e-mails over
   ``MEETING_SMTP_CONNECTIONS`` SMTP connections while the next ones are written; then one statement
   each marks the rows sent, skipped and cancelled, and one inserts the portal notifications (the
   ``Notification.reminder`` one-to-one makes that idempotent).
3. Exactly once across crashes: the moment the SMTP server accepts (or refuses) a message, the
   sending thread records it on the row (``email_status``, with the server's reply when refused) on a
   database connection of its own, in autocommit, and waits for that commit before the message's
   next ``DATA`` goes out on that connection (the write travels while the next envelope does). Its
   key also goes into a journal in the cache (Redis in production, two days), a fast first filter
   and the record of last resort while the database cannot be written; sending never depends on it.
   A send skips every e-mail the row or the journal knows. A task that fails half-way marks what
   went out and raises, so a retry (or, if the task is lost, the sweep after the lease) sends only
   the rest. Every message has a stable ``Message-ID``.

   The remaining window: the server accepted a message but the process died before the record was
   sent to PostgreSQL (the time from reading the server's reply to writing the ``UPDATE`` to the
   socket: microseconds). That message goes out once more, with the same ``Message-ID``, so a mail
   client or the relay can recognise it. Losing Redis's data loses nothing and resends nothing. The
   record is committed with ``synchronous_commit`` off: a restart of PostgreSQL keeps it; only a
   crash of PostgreSQL's server within a fraction of a second of the commit, while Redis also lost
   the journal, could send a message twice.
4. Redis restarted empty: the send tasks it held are gone with it. The sweep keeps a mark in the
   broker; finding it missing, it claims every queued row again at once rather than after its lease,
   so delivery resumes with the first sweep (within a minute). A task a worker had already taken
   turns up with the old lease and does nothing; one that was sending at that very moment stops
   after its next message, which alone may then go out twice.
5. Addresses are checked per row before the message is written: one that cannot be used
   (``mikkel@@demo.test``, ``x@demo..test``, a non-ASCII local part) is recorded as invalid for the
   e-mail channel, the portal copy still goes, and so does the rest of the batch. A permanent refusal
   by the server (5xx) is recorded as refused, with its reply. Staff see both on the meeting's page.

This module ties the pieces together: ``claims.py`` claims the rows (and gives up on them, and keeps
the broker's mark), ``messages.py`` writes each message and ``portal/meetings/mime.py`` its MIME text,
``smtp.py`` sends the e-mails, and ``ledger.py`` records what the SMTP server accepted.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from children.models import Enrollment, Guardianship, LearningPlan
from expectations.models import ExpectationAgreement
from portal.enqueue import enqueue
from portal.meetings import sms
from portal.meetings.models import MeetingResponse, Notification, Reminder
from portal.meetings.services.claims import reminders_claim, reminders_give_up, reminders_release_lost
from portal.meetings.services.ledger import Journal, LeaseLost, Ledger, journal_key
from portal.meetings.services.messages import Content, meeting_email, message_content
from portal.meetings.services.smtp import EmailSender, is_transient, smtp_address
from portal.notices import timing
from portal.notices.models import Preference
from portal.notices.topics import DEFAULTS, Mode, Topic

logger = logging.getLogger(__name__)

Kind, Status, Skip, Channel = Reminder.Kind, Reminder.Status, Reminder.SkipReason, Reminder.ChannelStatus


class TransientDeliveryError(Exception):
    """Sending stopped for a reason that may pass (the server asked us to wait, the network failed);
    the rows not yet sent are still claimed and a retry sends them."""


def reminders_sweep(*, now: datetime | None = None, batch_size: int = 200, limit: int | None = None) -> int:
    """Claim every due reminder and notice (or ``limit`` of them) and queue a send task per batch
    after commit. Safe to run in several processes at once: each row is claimed by one of them."""
    reminders_release_lost(now=now or timezone.now())
    reminders_give_up(now=now or timezone.now())
    total = 0
    while limit is None or total < limit:
        size = batch_size if limit is None else min(batch_size, limit - total)
        ids, lease = reminders_claim(now=now or timezone.now(), size=size)
        if not ids:
            break
        enqueue("meetings.send_reminders", ids, lease.isoformat())
        total += len(ids)
        if len(ids) < size:
            break
    return total


# The columns a message needs, and no others: loading a batch is a good part of a send's work.
LOADED = [
    "kind", "sequence", "meeting", "recipient",
    "meeting__kind", "meeting__status", "meeting__sequence", "meeting__title", "meeting__starts_at",
    "meeting__ends_at", "meeting__location", "meeting__video_url", "meeting__agenda",
    "meeting__preparation", "meeting__prepare_with", "meeting__interpreter_language",
    "meeting__child", "meeting__group", "meeting__institution", "meeting__period",
    "meeting__child__first_name", "meeting__group__name", "meeting__institution__name",
    "meeting__period__location", "meeting__period__video_url", "meeting__period__agenda",
    "meeting__period__preparation", "meeting__period__prepare_with",
    "recipient__email", "recipient__phone", "recipient__first_name", "recipient__last_name",
    "recipient__language", "recipient__notify_by_email", "recipient__notify_by_sms",
    "recipient__quiet_from", "recipient__quiet_until",
    "email_status", "sms_status",
]  # fmt: skip


def _load(reminder_ids, lease: datetime | None, today):
    """The rows still ``QUEUED`` (under ``lease``) with everything a message needs: one query."""
    information = Guardianship.objects.with_information().filter(user_id=OuterRef("recipient_id"))
    in_group = Enrollment.objects.current(on=today).filter(
        child_id=OuterRef("child_id"), group_id=OuterRef(OuterRef("meeting__group_id"))
    )
    rows = Reminder.objects.filter(pk__in=list(reminder_ids), status=Status.QUEUED)
    if lease is not None:
        rows = rows.filter(lease_until=lease)
    return (
        rows.select_related(
            "meeting",
            "meeting__child",
            "meeting__group",
            "meeting__institution",
            "meeting__period",
            "recipient",
        )
        .only(*LOADED)
        .annotate(
            has_access=ExpressionWrapper(
                Q(Exists(information.filter(child_id=OuterRef("meeting__child_id"))))
                | Q(Exists(information.filter(Exists(in_group)))),
                output_field=BooleanField(),
            ),
            not_coming=Exists(
                MeetingResponse.objects.filter(
                    meeting_id=OuterRef("meeting_id"), guardian_id=OuterRef("recipient_id"), coming=False
                )
            ),
            published_plan_id=Subquery(
                LearningPlan.objects.filter(
                    child_id=OuterRef("meeting__child_id"),
                    institution_id=OuterRef("meeting__institution_id"),
                    published_number__gt=0,
                )
                .order_by()
                .values("pk")[:1]
            ),
            agreement_id=Subquery(
                ExpectationAgreement.objects.in_force()
                .filter(child_id=OuterRef("meeting__child_id"))
                .order_by("-agreed_at")
                .values("pk")[:1]
            ),
            # What the person chose for meetings in the notification centre (None: the default).
            email_mode=_chosen("email"),
            sms_mode=_chosen("sms"),
        )
        .order_by("meeting_id", "pk")
    )


def _chosen(channel: str):
    return Subquery(
        Preference.objects.filter(
            user_id=OuterRef("recipient_id"), topic=Topic.MEETINGS, channel=channel
        ).values("mode")[:1]
    )


URGENT_WITHIN = timedelta(hours=24)


def is_urgent(row: Reminder, now: datetime) -> bool:
    """A meeting cancelled or moved less than a day before it starts: told at once, whatever was chosen
    and whatever the hour."""
    return row.kind in (Kind.CANCELLATION, Kind.CHANGE) and row.meeting.starts_at - now < URGENT_WITHIN


def _at_once(row: Reminder, channel: str, urgent: bool) -> bool:
    """Whether the person wants meeting messages on this channel at once (urgent ones always)."""
    chosen = getattr(row, f"{channel}_mode", None) or DEFAULTS[(Topic.MEETINGS, channel)]
    return urgent or chosen == Mode.INSTANT


@dataclass
class Outcome:
    sent: dict[int, set[str]] = field(default_factory=dict)  # id -> channels used
    wanted: dict[int, set[str]] = field(default_factory=dict)  # id -> channels still to use
    email: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (ChannelStatus, detail)
    sms: dict[int, tuple[str, str]] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)  # id -> reason
    cancelled: list[int] = field(default_factory=list)
    notices: list[Notification] = field(default_factory=list)
    held: dict[int, datetime] = field(default_factory=dict)  # id -> when the quiet hours end


def _decide(row: Reminder, now: datetime) -> str:
    """ "send", "cancel" or a skip reason."""
    meeting = row.meeting
    if meeting.is_cancelled and row.kind != Kind.CANCELLATION:
        return "cancel"
    if row.kind != Kind.CANCELLATION and meeting.starts_at <= now:
        return Skip.STARTED
    if not row.has_access:
        return Skip.NO_ACCESS
    if row.kind == Kind.REMINDER and row.not_coming:
        return Skip.NOT_COMING
    return "send"


def reminders_send(*, reminder_ids, now: datetime | None = None, lease: datetime | str | None = None) -> int:
    """Send the claimed reminders and notices among ``reminder_ids``; returns how many were sent.

    Idempotent: only rows still ``QUEUED`` (and holding ``lease``, when given) are touched, and no row
    the journal knows is sent again. On a transient failure it marks what went out and raises
    :class:`TransientDeliveryError`, leaving the rest claimed for the retry.
    """
    now = now or timezone.now()
    if isinstance(lease, str):
        lease = datetime.fromisoformat(lease)
    rows = list(_load(reminder_ids, lease, timezone.localdate(now)))
    if not rows:
        return 0
    outcome = Outcome()
    to_send = []
    for row in rows:
        decision = _decide(row, now)
        if (
            decision == "send"
            and not is_urgent(row, now)
            and (until := timing.quiet_until(row.recipient, now))
        ):
            outcome.held[row.pk] = until  # not urgent, and the person's quiet hours: in the morning
        elif decision == "send":
            to_send.append(row)
        elif decision == "cancel":
            outcome.cancelled.append(row.pk)
        else:
            outcome.skipped[row.pk] = decision
    try:
        _deliver(to_send, outcome, now, lease)
    finally:
        _record(outcome, now, lease)
    return len(outcome.sent)


def _deliver(rows: list[Reminder], outcome: Outcome, now: datetime, lease: datetime | None = None) -> None:
    if not rows:
        return
    journal = Journal(caches["default"])
    known = journal.known([journal_key(r) for r in rows] + [journal_key(r, "sms") for r in rows])
    contents: dict[tuple, Content] = {}
    texts = []
    # Outside a transaction (a worker) each accepted message is committed before the next one goes
    # out; inside one (a test, a caller's own transaction) nothing could commit before the end.
    ledger = Ledger if not transaction.get_connection().in_atomic_block else None
    sender = EmailSender(outcome, journal, ledger, lease)
    try:
        for row in rows:
            if sender.error is not None:
                break
            user = row.recipient
            urgent = is_urgent(row, now)
            language = user.language or settings.LANGUAGE_CODE
            key = (row.meeting_id, language, row.kind)
            if (content := contents.get(key)) is None:
                content = contents[key] = message_content(row, language, now)
            done, wanted = {"portal"}, set()
            outcome.sent[row.pk], outcome.wanted[row.pk] = done, wanted
            email_now = user.reached_by_email and _at_once(row, "email", urgent)
            sms_now = user.reached_by_sms and _at_once(row, "sms", urgent)
            if row.email_status == Channel.SENT:
                done.add("email")
            elif row.email_status:
                pass  # refused for good: said once, not tried again
            elif journal_key(row) in known:
                done.add("email")
                outcome.email[row.pk] = (Channel.SENT, "")
            elif email_now:
                if (address := smtp_address(user.email)) is None:
                    logger.warning("Reminder %s: %r is not a valid e-mail address", row.pk, user.email)
                    outcome.email[row.pk] = (Channel.INVALID, user.email[:300])
                else:
                    wanted.add("email")
                    sender.put(row, meeting_email(row, content, address))
            if row.sms_status == Channel.SENT or journal_key(row, "sms") in known:
                done.add("sms")
            elif sms_now and not row.sms_status:
                wanted.add("sms")
                texts.append((row, sms.SmsMessage(to=user.phone, body=content.sms, reference=row.message_id)))
            # The channels this row took care of (or tried); the notification centre adds the rest
            # (a summary, or nothing) by the person's choices.
            handled = [c for c, now_ in (("email", email_now), ("sms", sms_now)) if now_ or c in done]
            outcome.notices.append(
                Notification(
                    user_id=user.pk,
                    reminder_id=row.pk,
                    meeting_id=row.meeting_id,
                    title=content.subject[:200],
                    body=content.notice_body,
                    url=content.path[:300],
                    created_at=now,
                    urgent=urgent,
                    sent_by=",".join(handled),
                )
            )
        sender.finish()
        if sender.error is None:
            _send_texts(texts, outcome, journal)
    except BaseException as exc:
        sender.finish()
        failure = exc
    else:
        failure = None
    failure = sender.error or failure
    if failure is not None:
        # Rows with a message that did not go out stay claimed: the retry sends what is missing.
        for pk, wanted in outcome.wanted.items():
            if pk in outcome.sent and wanted - outcome.sent[pk]:
                del outcome.sent[pk]
        outcome.notices = [n for n in outcome.notices if n.reminder_id in outcome.sent]
        if isinstance(failure, LeaseLost):
            logger.warning(
                "Reminder %s was claimed again while being sent; the new claim sends the rest", failure
            )
            return
        if is_transient(failure):
            raise TransientDeliveryError(str(failure)) from failure
        raise failure


def _send_texts(texts: list, outcome: Outcome, journal: Journal) -> None:
    if not texts:
        return
    sms.get_backend().send_messages([text for _row, text in texts])
    journal.add_many([journal_key(row, "sms") for row, _text in texts])
    for row, _text in texts:
        outcome.sent[row.pk].add("sms")
        outcome.sms[row.pk] = (Channel.SENT, "")


def _by_value(ids_to_value: dict[int, str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for pk, value in ids_to_value.items():
        groups.setdefault(value, []).append(pk)
    return groups


def _record(outcome: Outcome, now: datetime, lease: datetime | None) -> None:
    """One statement each for sent, skipped and cancelled rows, one insert of notifications."""
    claimed = Reminder.objects.filter(status=Status.QUEUED)
    if lease is not None:
        claimed = claimed.filter(lease_until=lease)
    try:
        with transaction.atomic():
            if outcome.sent:
                groups = _by_value({pk: ",".join(sorted(ch)) for pk, ch in outcome.sent.items()})
                claimed.filter(pk__in=list(outcome.sent)).update(
                    status=Status.SENT,
                    sent_at=now,
                    lease_until=None,
                    channels=_case(groups),
                    **_channel_columns(outcome, list(outcome.sent)),
                )
            if outcome.skipped:
                claimed.filter(pk__in=list(outcome.skipped)).update(
                    status=Status.SKIPPED, lease_until=None, skip_reason=_case(_by_value(outcome.skipped))
                )
            if outcome.cancelled:
                claimed.filter(pk__in=outcome.cancelled).update(status=Status.CANCELLED, lease_until=None)
            if outcome.held:
                # Claimed for nothing: the claim does not count as an attempt.
                claimed.filter(pk__in=list(outcome.held)).update(
                    status=Status.PENDING,
                    lease_until=None,
                    attempts=F("attempts") - 1,
                    due_at=Case(*(When(pk=pk, then=Value(at)) for pk, at in outcome.held.items())),
                )
            if outcome.notices:
                Notification.objects.bulk_create(outcome.notices, ignore_conflicts=True)
    except DatabaseError:
        # The journal still knows what was sent; the retry or the next claim records it.
        logger.exception("Could not record the outcome of reminders %s", list(outcome.sent))
        raise


def _channel_columns(outcome: Outcome, pks: list[int]) -> dict:
    """``email_status``, ``email_detail``, … for the rows among ``pks`` whose channel has news (the
    others keep theirs)."""
    columns = {}
    for channel in ("email", "sms"):
        news = {pk: value for pk, value in getattr(outcome, channel).items() if pk in outcome.sent}
        for index, column in enumerate((f"{channel}_status", f"{channel}_detail")):
            groups = _by_value({pk: value[index] for pk, value in news.items()})
            if groups:
                columns[column] = _case(groups, default=F(column), partial=len(news) < len(pks))
    return columns


def _case(groups: dict[str, list[int]], default=None, partial: bool = False):
    if len(groups) == 1 and not partial:
        return Value(next(iter(groups)))
    default = Value("") if default is None else default
    return Case(*(When(pk__in=ids, then=Value(value)) for value, ids in groups.items()), default=default)

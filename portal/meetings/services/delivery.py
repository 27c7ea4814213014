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
"""

import binascii
import contextlib
import email.policy
import email.utils
import logging
import queue
import re
import select
import smtplib
import threading
from base64 import b64encode, encodebytes
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from html import escape

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connection, connections, transaction
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
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Enrollment, Guardianship
from expectations.models import ExpectationAgreement
from portal.enqueue import enqueue
from portal.meetings import ics, sms
from portal.meetings.models import MeetingResponse, Notification, PrepareWith, Reminder

logger = logging.getLogger(__name__)

Kind, Status, Skip, Channel = Reminder.Kind, Reminder.Status, Reminder.SkipReason, Reminder.ChannelStatus
MAX_ATTEMPTS = 10
JOURNAL_TTL = 2 * 24 * 60 * 60
GREETING = "GREETINGd41d8cd9"  # stands in for the personal greeting in the shared rendered text

# The subject of each notice, for a conversation with one family and for a group's parent meeting.
SUBJECTS = {
    Kind.REMINDER: gettext_lazy("Reminder: %(title)s, %(when)s"),
    Kind.CONFIRMATION: gettext_lazy("Booked: %(title)s, %(when)s"),
    Kind.INVITATION: gettext_lazy("New time: %(title)s, %(when)s"),
    Kind.CHANGE: gettext_lazy("Changed: %(title)s, %(when)s"),
    Kind.CANCELLATION: gettext_lazy("Cancelled: %(title)s, %(when)s"),
}
GROUP_SUBJECTS = {
    Kind.REMINDER: gettext_lazy("Reminder of the parent meeting: %(title)s, %(when)s"),
    Kind.INVITATION: gettext_lazy("Invitation to a parent meeting: %(title)s, %(when)s"),
    Kind.CHANGE: gettext_lazy("Parent meeting changed: %(title)s, %(when)s"),
    Kind.CANCELLATION: gettext_lazy("Parent meeting cancelled: %(title)s, %(when)s"),
}


class TransientDeliveryError(Exception):
    """Sending stopped for a reason that may pass (the server asked us to wait, the network failed);
    the rows not yet sent are still claimed and a retry sends them."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # Every other smtplib error is an OSError too: disconnected, connect failures, timeouts.
    return isinstance(exc, OSError)


def _is_refused_recipient(exc: BaseException) -> bool:
    """This one message can never go to this address (the rest of the batch can)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return not is_transient(exc)
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def _reply(exc: smtplib.SMTPException) -> str:
    """The server's reply to a refused message, as staff see it: "550 No such mailbox"."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
    else:
        code, text = exc.smtp_code, exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())[:300]


def journal_key(row: Reminder, channel: str = "email") -> str:
    suffix = "" if channel == "email" else f":{channel}"
    return f"{settings.MEETING_SENT_JOURNAL}:{row.pk}.{row.sequence}{suffix}"


# ---------------------------------------------------------------------------------------------------
# Claiming
# ---------------------------------------------------------------------------------------------------
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
        if not _redis_client(url).set(BROKER_MARK, now.isoformat(), nx=True):
            return 0
    except JOURNAL_ERRORS:
        return 0  # the broker is away: nothing can be queued now anyway
    count = Reminder.objects.filter(status=Status.QUEUED, lease_until__gte=now).update(
        lease_until=now - timedelta(seconds=1)
    )
    if count:
        logger.warning("The broker lost its queue: %d claimed meeting messages are claimed again now.", count)
    return count


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


# ---------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------
def meeting_url(meeting) -> str:
    try:
        return settings.SITE_URL + _path("meetings:meeting_detail", meeting.pk)
    except NoReverseMatch:
        return settings.SITE_URL


ID_MARK = 918273645


@lru_cache(maxsize=64)
def _path_around_id(name: str, language: str | None) -> tuple[str, str]:
    prefix, _mark, suffix = reverse(name, args=[ID_MARK]).partition(str(ID_MARK))
    return prefix, suffix


def _path(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL with one id, reversed once per process and language
    rather than once for every message."""
    prefix, suffix = _path_around_id(name, translation.get_language())
    return f"{prefix}{pk}{suffix}"


def _when(value: datetime, end: datetime | None = None) -> str:
    local = timezone.localtime(value)
    language = translation.get_language()
    parts = {**_day(language, local.date()), "time": _time(language, local.time())}
    if end is None:
        return _("%(weekday)s %(date)s at %(time)s") % parts
    parts["end"] = _time(language, timezone.localtime(end).time())
    return _("%(weekday)s %(date)s from %(time)s to %(end)s") % parts


# The days and times of a conference week repeat from meeting to meeting: each is formatted once.
@lru_cache(maxsize=1024)
def _day(language: str, day: date) -> dict[str, str]:
    return {"weekday": date_format(day, "l"), "date": date_format(day, "DATE_FORMAT")}


@lru_cache(maxsize=1024)
def _time(language: str, moment: time) -> str:
    return time_format(moment, "TIME_FORMAT")


def _prepare_link(row: Reminder, prepare_with: str) -> tuple[str, str]:
    meeting = row.meeting
    if not meeting.child_id:
        return "", ""
    if prepare_with == PrepareWith.LEARNING_PLAN:
        url = _path("children:child_detail", meeting.child_id)
        return settings.SITE_URL + url, _("Open %(name)s's learning plan") % {
            "name": meeting.child.first_name
        }
    if prepare_with == PrepareWith.AGREEMENT:
        if row.agreement_id:
            url = _path("expectations:agreement_detail", row.agreement_id)
        else:
            url = _path("expectations:child_agreements", meeting.child_id)
        return settings.SITE_URL + url, _("Open the expectation agreement")
    return "", ""


def _b64_lines(data: bytes) -> bytes:
    return encodebytes(data).replace(b"\n", b"\r\n")


@dataclass
class Content:
    """What every recipient of one meeting and kind gets in one language, rendered once."""

    subject: str
    text: str
    html: str
    sms: str
    notice_body: str
    url: str
    path: str
    ics: bytes
    ics_b64: bytes
    ics_method: str
    greeting: str


def notice_kind(row: Reminder) -> str:
    """What the message says: nobody books a group's parent meeting, so its "confirmation" (rows
    planned before invitations existed) is an invitation too."""
    if row.meeting.group_id and row.kind == Kind.CONFIRMATION:
        return Kind.INVITATION
    return row.kind


def _content(row: Reminder, language: str, now: datetime) -> Content:
    meeting = row.meeting
    kind, group = notice_kind(row), bool(meeting.group_id)
    period = meeting.period
    with translation.override(language):
        title = ics.meeting_title(meeting)
        when = _when(meeting.starts_at, meeting.ends_at)
        when_short = _when(meeting.starts_at)
        location = meeting.location or (period.location if period else "")
        video_url = meeting.video_url or (period.video_url if period else "")
        agenda = meeting.agenda or (period.agenda if period else "")
        prepare_with = meeting.prepare_with or (period.prepare_with if period else "")
        prepare_url, prepare_label = _prepare_link(row, prepare_with)
        url = meeting_url(meeting)
        shared = (
            language,
            kind,
            group,
            location,
            video_url,
            meeting.interpreter_language,
            agenda,
            meeting.preparation or (period.preparation if period else ""),
            bool(prepare_url),
            meeting.institution.name,
            settings.SITE_NAME,
        )
        values = {
            "title": title,
            "when": when,
            "prepare_url": prepare_url,
            "prepare_label": prepare_label,
            "meeting_url": url,
        }
        subject = str((GROUP_SUBJECTS if group else SUBJECTS)[kind]) % {"title": title, "when": when_short}
        method = "CANCEL" if kind == Kind.CANCELLATION else "REQUEST"
        calendar = ics.calendar(
            [ics.meeting_event(meeting, url=url, description=agenda, now=now, title=title)], method=method
        )
        place = location or video_url
        return Content(
            subject=subject,
            text=_fill(_skeleton("txt", *shared), values),
            html=_fill(_skeleton("html", *shared), {k: escape(v) for k, v in values.items()}),
            sms=" ".join(part for part in (subject + ".", place, url) if part),
            notice_body="\n".join(part for part in (when, place, _answer_line(kind, group)) if part),
            url=url,
            path=url.removeprefix(settings.SITE_URL),
            ics=calendar,
            ics_b64=_b64_lines(calendar),
            ics_method=method,
            greeting=_("Dear %(name)s,"),
        )


def _answer_line(kind: str, group: bool) -> str:
    """The portal inbox's copy of an invitation asks for an answer."""
    if group and kind != Kind.CANCELLATION:
        return _("Tell us whether you are coming.")
    return ""


# The values that differ from meeting to meeting stand in the rendered text as these words, so the
# conversations of one round (same place, agenda, institution and language) share one rendering.
MEETING_VALUES = ("title", "when", "prepare_url", "prepare_label", "meeting_url")
STAND_INS = {name: f"MEETING{name.upper().replace('_', '')}d41d8cd9" for name in MEETING_VALUES}


@lru_cache(maxsize=2048)
def _skeleton(
    extension, language, kind, group, location, video_url, interpreter, agenda, preparation, prepare,
    institution, site_name,
) -> str:  # fmt: skip
    """The message's text with stand-ins for the meeting's own values; a pure function of its
    arguments (and the templates and translations, fixed while a worker runs)."""
    name = "reminder" if kind == Kind.REMINDER else "notice"
    context = {
        **STAND_INS,
        "greeting": GREETING,
        "kind": kind,
        "group": group,
        "location": location,
        "video_url": video_url,
        "interpreter_language": interpreter,
        "agenda": agenda,
        "preparation": preparation,
        "institution": institution,
        "site_name": site_name,
        "LANGUAGE_CODE": language,
    }
    if not prepare:
        context["prepare_url"] = context["prepare_label"] = ""
    with translation.override(language):
        text = get_template(f"meetings/email/{name}.{extension}").render(context)
    # Parts left out (no agenda, no video link) leave empty lines behind: at most one in a row in the
    # text, none in the HTML.
    return BLANK_LINES[extension].sub("\n\n" if extension == "txt" else "\n", text)


BLANK_LINES = {"txt": re.compile(r"\n{3,}"), "html": re.compile(r"\n(?:[ \t]*\n)+")}


def _fill(skeleton: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        skeleton = skeleton.replace(STAND_INS[name], value)
    return skeleton


class MeetingEmail(EmailMultiAlternatives):
    """A meeting message: plain text, HTML and a calendar file, whose MIME text is written directly.

    Python's ``email`` package takes milliseconds per message; this writes the same structure
    (multipart/mixed → multipart/alternative + text/calendar) with the calendar part encoded once per
    meeting, which is what lets a worker keep up with an SMTP server during the conference weeks.
    """

    ics_b64: bytes = b""
    ics_method: str = "REQUEST"
    # The headers with names; ``from_email`` and ``to`` hold bare addresses (quicker for the backend).
    from_header: str = ""
    to_header: str = ""

    prepared: bytes | None = None

    def prepare(self) -> None:
        """Write the message now (in the thread that renders), so sending only sends."""
        self.prepared = _compose(self)

    def message(self, *, policy=None):
        return RawMessage(self.prepared or _compose(self))


class RawMessage:
    """The finished bytes of a message, with the little of ``email.message.Message`` the mail
    backends use (``as_bytes``, ``as_string``) and header access for tests."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\r\n", policy=None) -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None) -> str:
        return self.data.decode("utf-8", "replace")

    def get_charset(self):
        return None  # the console backend then decodes as UTF-8; the headers are 7-bit anyway

    def parsed(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def __getitem__(self, name):
        return self.parsed()[name]

    def get(self, name, default=None):
        return self.parsed().get(name, default)


def _encoded_words(text: str) -> str:
    """RFC 2047 base64 words of at most 45 bytes each (never splitting a character), folded."""
    words = ics.utf8_chunks(text.encode(), 45)
    return "\r\n ".join(f"=?utf-8?b?{b64encode(w).decode()}?=" for w in words if w)


def _header(value: str) -> str:
    value = " ".join(str(value).split())  # no line breaks from user input in a header
    if value.isascii() and len(value) < 900:
        return value
    return _encoded_words(value)


def _address(name: str, addr: str) -> str:
    name = " ".join(name.split())
    if not name:
        return addr
    if not name.isascii():
        return f"{_encoded_words(name)} <{addr}>"
    if PLAIN_NAME.fullmatch(name):
        return f"{name} <{addr}>"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr}>'


PLAIN_NAME = re.compile(r"[A-Za-z0-9 .'!#$%&*+/=?^_`{|}~-]+")


@cache
def _from_header(value: str) -> str:
    name, addr = email.utils.parseaddr(value)
    return _address(name, addr)


@cache
def _bare_address(value: str) -> str:
    return email.utils.parseaddr(value)[1]


def _qp(text: str) -> bytes:
    return binascii.b2a_qp(text.replace("\r\n", "\n").replace("\n", "\r\n").encode(), istext=True)


MIXED, ALTERNATIVE = b"=_gpv_mixed_0", b"=_gpv_alt_0"  # "=_" never occurs in QP or base64 text


def _compose(message: MeetingEmail) -> bytes:
    to = message.to_header or ", ".join(message.to)
    headers = [
        f"From: {_from_header(message.from_header or message.from_email)}",
        f"To: {to}",
        f"Subject: {_header(message.subject)}",
        f"Date: {email.utils.formatdate(usegmt=True)}",
    ]
    headers += [f"{name}: {_header(value)}" for name, value in message.extra_headers.items()]
    parts = [
        "\r\n".join(headers).encode(),
        b'\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\n'
        % (MIXED, MIXED),
        b'Content-Type: multipart/alternative; boundary="%s"\r\n\r\n--%s\r\n' % (ALTERNATIVE, ALTERNATIVE),
        b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
        _qp(message.body),
    ]
    for content, mimetype in message.alternatives:
        parts += [
            b'\r\n--%s\r\nContent-Type: %s; charset="utf-8"\r\n' % (ALTERNATIVE, mimetype.encode()),
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            _qp(content),
        ]
    parts.append(b"\r\n--%s--\r\n" % ALTERNATIVE)
    for filename, content, mimetype in message.attachments:
        encoded = message.ics_b64 if mimetype.startswith("text/calendar") and message.ics_b64 else None
        if encoded is None:
            encoded = _b64_lines(content.encode() if isinstance(content, str) else content)
        parts += [
            b'\r\n--%s\r\nContent-Type: %s; charset="utf-8"\r\n' % (MIXED, mimetype.encode()),
            b'Content-Disposition: attachment; filename="%s"\r\n' % filename.encode(),
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            encoded,
        ]
    parts.append(b"\r\n--%s--\r\n" % MIXED)
    return b"".join(parts)


# ---------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------
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
            agreement_id=Subquery(
                ExpectationAgreement.objects.in_force()
                .filter(child_id=OuterRef("meeting__child_id"))
                .order_by("-agreed_at")
                .values("pk")[:1]
            ),
        )
        .order_by("meeting_id", "pk")
    )


@dataclass
class Outcome:
    sent: dict[int, set[str]] = field(default_factory=dict)  # id -> channels used
    wanted: dict[int, set[str]] = field(default_factory=dict)  # id -> channels still to use
    email: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (ChannelStatus, detail)
    sms: dict[int, tuple[str, str]] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)  # id -> reason
    cancelled: list[int] = field(default_factory=list)
    notices: list[Notification] = field(default_factory=list)


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
        if decision == "send":
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
            language = user.language or settings.LANGUAGE_CODE
            key = (row.meeting_id, language, row.kind)
            if (content := contents.get(key)) is None:
                content = contents[key] = _content(row, language, now)
            done, wanted = {"portal"}, set()
            outcome.sent[row.pk], outcome.wanted[row.pk] = done, wanted
            if row.email_status == Channel.SENT:
                done.add("email")
            elif row.email_status:
                pass  # refused for good: said once, not tried again
            elif journal_key(row) in known:
                done.add("email")
                outcome.email[row.pk] = (Channel.SENT, "")
            elif user.reached_by_email:
                if (address := smtp_address(user.email)) is None:
                    logger.warning("Reminder %s: %r is not a valid e-mail address", row.pk, user.email)
                    outcome.email[row.pk] = (Channel.INVALID, user.email[:300])
                else:
                    wanted.add("email")
                    sender.put(row, _email(row, content, address))
            if row.sms_status == Channel.SENT or journal_key(row, "sms") in known:
                done.add("sms")
            elif user.reached_by_sms and not row.sms_status:
                wanted.add("sms")
                texts.append((row, sms.SmsMessage(to=user.phone, body=content.sms, reference=row.message_id)))
            outcome.notices.append(
                Notification(
                    user_id=user.pk,
                    reminder_id=row.pk,
                    meeting_id=row.meeting_id,
                    title=content.subject[:200],
                    body=content.notice_body,
                    url=content.path[:300],
                    created_at=now,
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


# Local part: a dot-atom of ASCII characters; domain: labels of letters, digits and inner hyphens.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{ATOM}(?:\.{ATOM})*@{LABEL}(?:\.{LABEL})+")


def smtp_address(value: str) -> str | None:
    """The address to give the SMTP server (a domain in another script IDNA-encoded), or None if it
    cannot be used (``mikkel@@demo.test``, ``x@demo..test``, a non-ASCII local part, a line break):
    checked per row, so one bad address costs only its own message."""
    if PLAIN_ADDRESS.fullmatch(value):
        return value
    local, _at, domain = value.rpartition("@")
    try:
        candidate = f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None
    return candidate if PLAIN_ADDRESS.fullmatch(candidate) else None


class LeaseLost(Exception):
    """Another claim took these rows over while they were being sent (their task had been given up
    for lost): the new claim sends the rest."""


class Journal:
    """Which messages the SMTP server accepted: keys in the Django cache, kept two days.

    A fast first filter in front of the database's record (``Reminder.email_status``), and the record
    of last resort when the database cannot be written; never relied on: when Redis is away or lost
    its data, sending goes on without it. On Redis each sending thread writes through a connection of
    its own (:meth:`writer`) and reads the server's answer to one write while the next message is on
    its way to the SMTP server. Elsewhere (tests on the local-memory cache) it goes through the cache
    API. The keys and values are the cache's, so ``known`` reads them either way.
    """

    def __init__(self, cache):
        self.cache = cache
        self.client = None
        if isinstance(cache, RedisCache):
            location = settings.CACHES["default"]["LOCATION"]
            if isinstance(location, str):
                location = location.split(",")
            self.client = _redis_client(location[0])

    def known(self, keys: list[str]) -> set[str]:
        try:
            return set(self.cache.get_many(keys))
        except JOURNAL_ERRORS as exc:
            logger.warning(
                "The journal of sent messages cannot be read (%s); the database's record is used", exc
            )
            return set()

    def writer(self) -> "JournalWriter":
        return JournalWriter(self)

    def add_many(self, keys: list[str]) -> None:
        try:
            self.cache.set_many(dict.fromkeys(keys, 1), JOURNAL_TTL)
        except JOURNAL_ERRORS as exc:
            logger.warning("The journal of sent messages cannot be written: %s", exc)


def _journal_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return (OSError,)
    return (RedisError, OSError)


JOURNAL_ERRORS = _journal_errors()


@cache
def _redis_client(url: str):
    """One Redis client per process and server (the journal's, the broker's); redis-py's pool starts
    afresh after a fork and replaces a lost connection."""
    import redis

    return redis.Redis.from_url(url)


class JournalWriter:
    """Journal writes from one thread: each ``add`` sends its ``SET`` at once and reads the reply to
    the previous one, which has long arrived. The first error ends the journal for this thread."""

    def __init__(self, journal: Journal):
        self.journal, self.unanswered = journal, 0
        self.connection = None
        self.broken = False
        if journal.client is not None:
            try:
                self.connection = journal.client.connection_pool.get_connection()
            except JOURNAL_ERRORS as exc:
                self._break(exc)

    def add(self, key: str) -> None:
        if self.broken:
            return
        try:
            if self.connection is None:
                self.journal.cache.set(key, 1, JOURNAL_TTL)
                return
            self._answers(self.connection)
            self.connection.send_command("SET", self.journal.cache.make_key(key), 1, "EX", JOURNAL_TTL)
            self.unanswered = 1
        except JOURNAL_ERRORS as exc:
            self._break(exc)

    def _answers(self, connection) -> None:
        while self.unanswered:
            self.unanswered -= 1
            connection.read_response()

    def _break(self, exc: BaseException) -> None:
        logger.warning("The journal of sent messages stopped (%s); the database's record goes on", exc)
        self.broken = True
        self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            self._answers(connection)
        except JOURNAL_ERRORS:
            connection.disconnect()  # a half-read reply must not reach the pool's next user
        finally:
            self.unanswered = 0
            self.journal.client.connection_pool.release(connection)


# The record of one message, committed on a connection of the sending thread's own. Unconditional
# (the server took the message, whoever holds the row now); it answers whether the row is still
# this send's, so a send whose rows were claimed again stops after at most one message.
LEDGER_SQL = (
    "UPDATE meetings_reminder SET {status} = %s, {detail} = %s WHERE id = %s "
    "RETURNING status = 'queued' AND (%s OR lease_until = %s)"
)


def _ledger_sql(channel: str) -> str:
    return LEDGER_SQL.format(status=f"{channel}_status", detail=f"{channel}_detail")


def _numbered(sql: str) -> bytes:
    """PostgreSQL's own placeholders ($1, $2, …) for ``%s``."""
    return sql.replace("%s", "{}").format(*(f"${n}" for n in range(1, sql.count("%s") + 1))).encode()


class Ledger:
    """Records each e-mail's outcome in the database the moment the SMTP server answered.

    ``add`` sends the row's ``UPDATE`` (autocommit) without waiting; ``wait``, called before the
    thread's next ``DATA``, reads the answer, so the write travels while the next envelope
    (``MAIL``, ``RCPT``) does. On PostgreSQL the connections are kept per process, with
    ``synchronous_commit`` off: a commit is visible at once and on disk within a fraction of a second
    (a restart of the server writes it; only a crash of the server in that moment, with Redis losing
    the journal too, would lose it). On SQLite (development) it writes through the thread's own
    connection, one thread at a time.
    """

    pool: list = []
    pool_lock = threading.Lock()
    sqlite_lock = threading.Lock()
    writes = 0  # statements this process sent, for the benchmark's count of queries

    def __init__(self, lease: datetime | None):
        self.lease, self.pending, self.raw, self.sqlite = lease, None, None, None
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor == "postgresql":
            self.raw = self._acquire(db)
        else:
            self.sqlite = db

    @classmethod
    def close_pool(cls) -> None:
        """Close the connections kept for later batches (before a test database is dropped)."""
        with cls.pool_lock:
            pool, cls.pool = cls.pool, []
        for raw in pool:
            with contextlib.suppress(Exception):
                raw.close()

    def _acquire(self, db):
        from psycopg import pq

        with self.pool_lock:
            raw = self.pool.pop() if self.pool else None
        if raw is not None:
            try:
                raw.execute("SELECT 1")  # a server restart since its last use: take a new one
                return raw
            except Exception:
                with contextlib.suppress(Exception):
                    raw.close()
        raw = db.get_new_connection(db.get_connection_params())
        raw.autocommit = True
        raw.execute("SET synchronous_commit = off")
        for channel in ("email", "sms"):  # planned once per connection, not for every message
            result = raw.pgconn.prepare(f"ledger_{channel}".encode(), _numbered(_ledger_sql(channel)))
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise OperationalError(result.error_message.decode("utf-8", "replace"))
        return raw

    def add(self, pk: int, channel: str, status: str, detail: str) -> None:
        self.wait()
        with self.pool_lock:
            Ledger.writes += 1
        lease = self.lease or timezone.now()  # any value when there is no lease to check
        if self.sqlite is not None:
            params = [
                status,
                detail,
                pk,
                self.lease is None,
                self.sqlite.ops.adapt_datetimefield_value(lease),
            ]
            with self.sqlite_lock, self.sqlite.cursor() as cursor:
                cursor.execute(_ledger_sql(channel), params)
                self._check(cursor.fetchone(), pk)
            return
        values = [status, detail, str(pk), "t" if self.lease is None else "f", lease.isoformat()]
        try:
            self.raw.pgconn.send_query_prepared(f"ledger_{channel}".encode(), [v.encode() for v in values])
        except Exception as exc:
            raise OperationalError(f"Could not record reminder {pk}: {exc}") from exc
        self.pending = pk

    def wait(self) -> None:
        """Until the last record is committed; raises if it was not."""
        if self.pending is None:
            return
        from psycopg import pq

        pk, self.pending, answer, error = self.pending, None, None, ""
        pgconn = self.raw.pgconn
        while pgconn.is_busy():  # wait outside the interpreter lock: the other threads go on
            if not select.select([pgconn.socket], [], [], 30)[0]:
                raise OperationalError(f"Could not record reminder {pk}: no answer in 30 s")
            pgconn.consume_input()
        while (result := pgconn.get_result()) is not None:
            if result.status == pq.ExecStatus.TUPLES_OK and result.ntuples:
                answer = (result.get_value(0, 0) == b"t",)
            elif result.status != pq.ExecStatus.TUPLES_OK:
                error = result.error_message.decode("utf-8", "replace")
        if error or pgconn.status != pq.ConnStatus.OK:
            raise OperationalError(f"Could not record reminder {pk}: {error or 'connection lost'}")
        self._check(answer, pk)

    def _check(self, answer, pk: int) -> None:
        if answer is None or not answer[0]:
            raise LeaseLost(pk)

    def close(self) -> None:
        try:
            self.wait()
        except BaseException:
            if self.raw is not None:
                self.raw.close()
                self.raw = None
            raise
        finally:
            if self.raw is not None:
                with self.pool_lock:
                    self.pool.append(self.raw)
                self.raw = None


class EmailSender:
    """Sends a batch's e-mails over ``MEETING_SMTP_CONNECTIONS`` connections, each in a thread of its
    own, while the caller writes the next messages: while one connection waits for the SMTP server's
    reply, another one sends.

    After the server accepts (or refuses) a message the sending thread sends its key to the journal
    and its record to the database (:class:`Ledger`, when ``ledger`` is given), and the record is
    committed before the thread's next ``DATA``. The first error stops the sending on every
    connection; it is kept in ``error`` for the caller, and the messages not sent stay wanted, so
    their rows stay claimed.
    """

    def __init__(self, outcome: Outcome, journal: Journal, ledger=None, lease: datetime | None = None):
        self.outcome, self.journal, self.ledger, self.lease = outcome, journal, ledger, lease
        self.queue: queue.Queue = queue.Queue(maxsize=64)
        self.error: BaseException | None = None
        self.threads: list[threading.Thread] = []
        self.envelope_from: dict[str, str] = {}

    def put(self, row: Reminder, message: MeetingEmail) -> None:
        if not self.threads:
            backend = mailers.default
            # Several connections only where they wait for a server; other backends keep the order.
            count = settings.MEETING_SMTP_CONNECTIONS if isinstance(backend, SmtpBackend) else 1
            self.threads = [
                threading.Thread(
                    target=self._run,
                    args=[backend if n == 0 else mailers.default],
                    name=f"meeting-mail-{n}",
                    daemon=True,
                )
                for n in range(max(1, count))
            ]
            for thread in self.threads:
                thread.start()
        message.prepare()
        self.queue.put((row, message))

    def finish(self) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        self.threads = []

    def _run(self, backend) -> None:
        writer = ledger = None  # opened with the first message: one each for the whole batch
        try:
            while (item := self.queue.get()) is not None:
                if self.error is not None:
                    continue  # another connection failed: leave the rest for the retry
                if writer is None:
                    writer = self.journal.writer()
                    ledger = self.ledger(self.lease) if self.ledger else None
                    backend.open()
                self._send(backend, writer, ledger, *item)
            if ledger is not None:
                ledger, closing = None, ledger
                closing.close()
        except BaseException as exc:
            self.error = self.error or exc
            while self.queue.get() is not None:  # let the caller finish putting
                pass
        finally:
            with contextlib.suppress(OSError):
                backend.close()
            if writer is not None:
                writer.close()
            if ledger is not None:
                with contextlib.suppress(BaseException):
                    ledger.close()
            if self.ledger is not None and connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
                connections[DEFAULT_DB_ALIAS].close()  # the thread's own SQLite connection

    def _send(self, backend, writer: JournalWriter, ledger, row: Reminder, message: MeetingEmail) -> None:
        wait = ledger.wait if ledger is not None else None
        try:
            if isinstance(backend, SmtpBackend) and backend.connection is not None:
                # What SmtpBackend.send_messages does, without parsing the same sender address for
                # every message; the recipient's address was checked with the row.
                sender = self.envelope_from.get(message.from_email)
                if sender is None:
                    sender = self.envelope_from[message.from_email] = backend.prep_address(message.from_email)
                data = message.message().as_bytes()
                _smtp_transaction(backend.connection, sender, message.to, data, before_data=wait)
            else:
                if wait is not None:
                    wait()
                backend.send_messages([message])
        except smtplib.SMTPException as exc:
            if not _is_refused_recipient(exc):
                raise
            reply = _reply(exc)
            logger.warning("Reminder %s: the mail server refused %s: %s", row.pk, message.to, reply)
            self.outcome.wanted[row.pk].discard("email")
            self.outcome.email[row.pk] = (Channel.REFUSED, reply)
            if ledger is not None:
                ledger.add(row.pk, "email", Channel.REFUSED, reply)
            return
        # Accepted: remember it before anything else can go wrong.
        self.outcome.sent[row.pk].add("email")
        self.outcome.email[row.pk] = (Channel.SENT, "")
        writer.add(journal_key(row))
        if ledger is not None:
            ledger.add(row.pk, "email", Channel.SENT, "")


def _smtp_transaction(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, before_data=None
) -> None:
    """``smtplib.SMTP.sendmail`` for addresses that are already bare: MAIL, RCPT and DATA with the same
    errors, without parsing both addresses again for every message. The message is 7-bit (encoded
    headers, quoted-printable and base64 parts), so no ESMTP options are needed. ``before_data`` runs
    before the message itself goes out (the previous message's record is committed by then)."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.docmd("mail", f"FROM:<{sender}>")
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.docmd("rcpt", f"TO:<{recipient}>")
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _reset(smtp, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    if before_data is not None:
        before_data()
    code, reply = smtp.data(data)
    if code != 250:
        _reset(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP, code: int) -> None:
    # As smtplib does: a 421 means the server is closing the connection; otherwise start over.
    if code == 421:
        smtp.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()


def _email(row: Reminder, content: Content, address: str) -> MeetingEmail:
    user = row.recipient
    greeting = content.greeting % {"name": user.first_name or user.get_full_name() or ""}
    message = MeetingEmail(
        subject=content.subject,
        body=content.text.replace(GREETING, greeting, 1),
        from_email=_bare_address(settings.DEFAULT_FROM_EMAIL),
        to=[address],
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
        alternatives=[(content.html.replace(GREETING, escape(greeting), 1), "text/html")],
    )
    message.attach("meeting.ics", content.ics, f"text/calendar; method={content.ics_method}")
    message.ics_b64, message.ics_method = content.ics_b64, content.ics_method
    message.from_header = settings.DEFAULT_FROM_EMAIL
    message.to_header = _address(user.get_full_name(), address)
    return message


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

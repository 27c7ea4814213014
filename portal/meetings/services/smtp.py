"""Sending a batch's e-mails over SMTP: several connections, each in a thread of its own, while the
next messages are written; which errors may pass (4xx, network) and which refuse one message for good
(5xx); and which addresses can be given to the server at all.
"""

import contextlib
import logging
import queue
import re
import smtplib
import threading
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import DEFAULT_DB_ALIAS, connections

from portal.meetings.mime import MeetingEmail
from portal.meetings.models import Reminder
from portal.meetings.services.ledger import Journal, JournalWriter, journal_key

if TYPE_CHECKING:
    from portal.meetings.services.delivery import Outcome

logger = logging.getLogger(__name__)

Channel = Reminder.ChannelStatus


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

    def __init__(self, outcome: "Outcome", journal: Journal, ledger=None, lease: datetime | None = None):
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

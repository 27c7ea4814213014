"""The e-mails of delivery: over a real SMTP server (several connections, a refusal for good, a failure
that may pass, each accepted message recorded before the next goes out), the addresses a server can
be given, and the message's headers and text."""

import asyncio
import contextlib
import email
import email.policy
import re
import socket
from collections import Counter
from datetime import UTC

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from portal.meetings import mime, sms
from portal.meetings.models import Notification, Reminder
from portal.meetings.services import claims, delivery, ledger, messages
from portal.meetings.services.smtp import smtp_address
from tests.conftest import assert_mail_names_the_site
from tests.meetings.test_delivery import book, deliver, make_due, message_for, sweep

R = Reminder


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "portal.meetings.sms.LocMemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


class Sink:
    """Accepts messages, except that it answers 421 (try later) to the ones in ``refuse``."""

    def __init__(self):
        self.messages, self.refuse, self.seen, self.peers = [], set(), 0, Counter()
        self.delay, self.unknown = 0.0, set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.seen += 1
        if self.seen in self.refuse:
            return "421 Too busy, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.peers[session.peer] += 1
        return "250 OK"


def serve(settings, sink):
    """``sink`` as the SMTP server of the mail backend, for the length of a test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield sink
    controller.stop()


@pytest.fixture
def smtp(settings):
    yield from serve(settings, Sink())


def test_delivery_over_a_real_smtp_server(cast, emil_period, smtp, django_capture_on_commit_callbacks):
    cast.anna.first_name = "Åse"
    cast.anna.save(update_fields=["first_name"])
    meeting = book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    row = R.objects.get(recipient=cast.anna, kind=R.Kind.CONFIRMATION)
    with translation.override("da"):
        greeting = translation.gettext("Dear %(name)s,") % {"name": "Åse"}
    (message,) = [m for m in smtp.messages if m["Message-ID"] == row.message_id]
    assert message["To"].addresses[0].display_name == "Åse Jensen"
    assert "Emil" in message["Subject"]
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.splitlines()[0] == greeting and "Stuen" in text
    assert f"<p>{greeting}</p>" in html
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    event = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert event["DTSTART"].dt == meeting.starts_at.astimezone(UTC)
    assert len(smtp.messages) == 2


def test_a_transient_smtp_failure_leaves_the_rest_for_the_retry(cast, smtp):
    make_due(cast, 2)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=50)
    smtp.refuse = {3}
    with pytest.raises(delivery.TransientDeliveryError):
        delivery.reminders_send(reminder_ids=ids, now=now, lease=lease)
    # The other connections may still have sent a message or two before the failure stopped the batch:
    # however many, what was accepted is recorded, and the rest waits for the retry.
    accepted = len(smtp.messages)
    assert 2 <= accepted < 8
    assert R.objects.filter(status="sent").count() == accepted
    assert R.objects.filter(status="queued").count() == 8 - accepted
    assert Notification.objects.count() == accepted
    delivery.reminders_send(reminder_ids=ids, now=now, lease=lease)  # the task's retry
    assert set(R.objects.values_list("status", flat=True)) == {"sent"}
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert received == Counter({r.message_id: 1 for r in R.objects.all()})


def test_a_batch_is_sent_over_several_connections_each_message_once(cast, smtp, settings):
    settings.MEETING_SMTP_CONNECTIONS = 3
    smtp.delay = 0.02  # a slow server: while one connection waits, the others take messages
    rows = make_due(cast, 12)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=100)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == len(rows)
    assert len(smtp.peers) == 3
    assert Counter(m["Message-ID"] for m in smtp.messages) == Counter({r.message_id: 1 for r in rows})
    assert set(R.objects.values_list("status", flat=True)) == {"sent"}


def test_links_in_messages_are_the_urls_django_reverses():
    for name in ("meetings:meeting_detail", "children:child_detail", "expectations:agreement_detail"):
        for pk in (1, 42, 918273645, 10**12):
            for language in ("da", "en"):
                with translation.override(language):
                    assert messages._path(name, pk) == reverse(name, args=[pk])


def test_an_address_the_server_refuses_for_good_gets_the_portal_copy_and_the_rest_go_out(cast, smtp):
    smtp.unknown = {cast.mikkel.email}
    rows = make_due(cast, 3)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=100)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == len(rows)
    anna = {r.message_id for r in rows if r.recipient_id == cast.anna.pk}
    assert Counter(m["Message-ID"] for m in smtp.messages) == Counter(dict.fromkeys(anna, 1))
    mikkel = R.objects.filter(recipient=cast.mikkel)
    assert set(mikkel.values_list("status", "channels")) == {("sent", "portal")}
    assert set(mikkel.values_list("email_status", "email_detail")) == {("refused", "550 No such mailbox")}
    assert set(R.objects.filter(recipient=cast.anna).values_list("email_status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=cast.mikkel).count() == mikkel.count()


@pytest.mark.parametrize("address", ["mikkel@@demo.test", "mikkel.møller@demo.test", "x@demo..test"])
def test_an_invalid_address_costs_only_its_own_message(cast, smtp, address):
    """Addresses come from imports, MitID and the admin; one that cannot be used is recorded as
    such, its owner still gets the portal copy, and everyone else in the batch gets theirs."""
    cast.mikkel.email = address
    cast.mikkel.save(update_fields=["email"])
    rows = make_due(cast, 3)
    now = timezone.now()
    ids, lease = claims.reminders_claim(now=now, size=100)
    assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == len(rows)
    anna = {r.message_id for r in rows if r.recipient_id == cast.anna.pk}
    assert Counter(m["Message-ID"] for m in smtp.messages) == Counter(dict.fromkeys(anna, 1))
    mikkel = R.objects.filter(recipient=cast.mikkel)
    assert set(mikkel.values_list("status", "channels", "email_status", "email_detail")) == {
        ("sent", "portal", "invalid", address)
    }
    assert Notification.objects.filter(user=cast.mikkel).count() == mikkel.count() == 6


def test_an_address_in_another_script_is_sent_to_its_idna_form():
    assert smtp_address("anna@ærø.dk") == "anna@xn--r-3fa9c.dk"
    assert smtp_address("Anna <anna@demo.test>") is None
    assert smtp_address("anna@demo.test\nBcc: x@demo.test") is None


class RecordCheckingSink(Sink):
    """Before it takes a message, checks in the database that every message it accepted earlier on
    the same connection is recorded as sent."""

    def __init__(self):
        super().__init__()
        self.accepted_on: dict = {}
        self.unrecorded: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        earlier = self.accepted_on.setdefault(session.peer, [])
        if earlier:
            recorded = await asyncio.get_running_loop().run_in_executor(None, self.recorded)
            self.unrecorded += [m for m in earlier if m not in recorded]
        answer = await super().handle_DATA(server, session, envelope)
        if answer.startswith("250"):
            earlier.append(self.messages[-1]["Message-ID"])
        return answer

    def recorded(self) -> set[str]:
        # SQLite's shared in-memory test database locks whole tables: read between the records.
        lock = ledger.Ledger.sqlite_lock if connection.vendor == "sqlite" else contextlib.nullcontext()
        try:
            with lock:
                return {r.message_id for r in R.objects.filter(email_status="sent")}
        finally:
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_each_accepted_message_is_recorded_before_the_next_one_goes_out(cast, settings):
    """What the SMTP server accepted is in the database before the next message goes out on that
    connection: a lost journal (Redis restarted empty) and a killed worker cannot send it again."""
    settings.MEETING_SMTP_CONNECTIONS = 2
    for sink in serve(settings, RecordCheckingSink()):
        rows = make_due(cast, 5)
        now = timezone.now()
        ids, lease = claims.reminders_claim(now=now, size=100)
        assert delivery.reminders_send(reminder_ids=ids, now=now, lease=lease) == len(rows)
        assert len(sink.messages) == 20
        assert sink.unrecorded == []
        assert set(R.objects.values_list("status", "email_status")) == {("sent", "sent")}


def test_non_ascii_headers_are_encoded_words_that_decode_back_whole():
    from email.header import decode_header, make_header

    for text in ("Åse Jensen", "Forældresamtale om Søren-Ærø, lørdag 5. december 🙂 " * 3, "ø" * 70):
        encoded = mime._encoded_words(text)
        assert all(len(word) <= 75 for line in encoded.split("\r\n ") for word in line.split())
        assert str(make_header(decode_header(encoded))) == text


def test_parts_left_out_leave_no_run_of_empty_lines(cast, mailoutbox):
    make_due(cast, 1)  # no agenda, no preparation, no video link
    deliver(timezone.now())
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    assert "\n\n\n" not in message.body and "\n\n" in message.body
    assert not any(line.strip() == "" for line in html.splitlines())


def test_meeting_mails_name_the_portal_and_link_to_its_address(
    cast, emil_period, distinct_site, mailoutbox, django_capture_on_commit_callbacks
):
    book(cast, emil_period)
    sweep(django_capture_on_commit_callbacks)
    for user in (cast.anna, cast.mikkel):
        assert_mail_names_the_site(message_for(user))


def test_the_console_backend_of_email_url_writes_meeting_messages(cast, settings, capsys):
    from portal.settings import _mailer_from_url

    settings.MAILERS = {"default": _mailer_from_url("console://")}
    rows = make_due(cast, 1)
    assert deliver(timezone.now()) == len(rows)
    written = capsys.readouterr().out
    assert sorted(set(re.findall(r"^Message-ID: (\S+)", written, re.MULTILINE))) == sorted(
        r.message_id for r in rows
    )
    assert set(R.objects.values_list("status", "channels")) == {("sent", "email,portal")}

"""The reminder benchmark runs end to end on a small municipality: a real worker, Redis and an SMTP
sink; nothing lost, nothing sent twice, and the bench's rows are gone afterwards."""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.db import connection

from portal.meetings.models import Meeting, Notification, Reminder

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]


@pytest.mark.django_db(transaction=True)
def test_bench_reminders_delivers_every_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark needs PostgreSQL")
    out = io.StringIO()
    call_command("bench_reminders", "--reminders", "200", "--children", "1500", stdout=out)
    *_, outcomes, last = out.getvalue().strip().splitlines()
    match = re.fullmatch(
        r"reminders: sent=(\d+) per_s=\d+ smtp_floor_per_s=\d+ ratio=[\d.]+ "
        r"queries_per_reminder=([\d.]+) lost=(\d+) duplicates=(\d+)",
        last,
    )
    assert match, last
    sent, queries, lost, duplicates = match.groups()
    email = re.fullmatch(
        r"e-mail outcomes recorded: email_sent=(\d+) email_refused=(\d+) email_invalid=(\d+)", outcomes
    ).groups()
    assert int(sent) == 200
    assert (lost, duplicates) == ("0", "0")
    assert email == ("200", "0", "0")
    # One record per accepted message (committed before the next one goes out), a few per batch.
    assert 1 <= float(queries) <= 1.1
    assert not Meeting.objects.exists() and not Reminder.objects.exists()
    assert not Notification.objects.exists()

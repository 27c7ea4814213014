"""The summary benchmark runs end to end on a small municipality: a real worker, Redis and an SMTP sink;
every guardian's summary arrives once, and the bench's rows are gone afterwards."""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.db import connection

from portal.meetings.models import Notification
from portal.notices.models import Delivery, Letter

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]


@pytest.mark.django_db(transaction=True)
def test_bench_digest_sends_every_summary_once():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark needs PostgreSQL")
    out = io.StringIO()
    call_command("bench_digest", "--guardians", "120", "--children", "1500", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    match = re.fullmatch(
        r"digest: recipients=(\d+) sent=(\d+) per_s=\d+ smtp_floor_per_s=\d+ ratio=[\d.]+ "
        r"lost=(\d+) duplicates=(\d+)",
        last,
    )
    assert match, last
    assert match.groups() == ("120", "120", "0", "0")
    assert not Notification.objects.exists() and not Delivery.objects.exists() and not Letter.objects.exists()

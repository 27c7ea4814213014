"""``bench_transitions`` plays a summer school start: it moves the oldest children in daycare to school,
sends their handovers through a real Celery worker in batches and times the receiving pages through
gunicorn on production settings. Here at a small scale, so it cannot rot."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from portal.benchmarks import transitions as school_start
from portal.meetings.models import Notification
from portal.organisation.models import Municipality
from transitions.models import Handover, HandoverSection, Transition

# The receiving list's queries at any size (tests/transitions/test_views.py holds it to 1 and 25 rows).
INCOMING_QUERIES = 5


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_bench_transitions_sends_every_handover_once_and_prints_the_pages_last(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("bench_transitions sends through a real worker and serves on production settings")
    call_command("seed_demo", "--scale", "municipality", "--children", "300", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "bench_transitions",
        "--children",
        "40",
        "--batch",
        "7",
        "--rounds",
        "1",
        "--requests",
        "1",
        stdout=out,
    )
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("transitions: ")
    figures = dict(part.split("=") for part in last.removeprefix("transitions: ").split())
    assert list(figures) == [
        "handovers",
        "send_s",
        "per_s",
        "queries_incoming",
        "median_ms_incoming",
        "queries_timeline",
        "median_ms_timeline",
    ]
    assert int(figures["handovers"]) == 40
    assert int(figures["queries_incoming"]) == INCOMING_QUERIES
    assert 0 < int(figures["queries_timeline"]) <= 15
    day = school_start.school_start()
    moved = Transition.objects.filter(planned_on=day)
    assert moved.count() == 40 and set(moved.values_list("status", flat=True)) == {Transition.Status.SENT}
    handovers = Handover.objects.filter(transition__in=moved)
    assert not HandoverSection.objects.filter(handover__in=handovers, passed_on__isnull=True).exists()
    notices = Notification.objects.filter(kind=Notification.Kind.HANDOVER_SENT)
    assert notices.count() == notices.values("key").distinct().count() > 40

    # A second run starts the school start again: the same children, sent again, nothing doubled.
    call_command(
        "bench_transitions",
        "--children",
        "40",
        "--batch",
        "40",
        "--rounds",
        "1",
        "--requests",
        "1",
        stdout=out,
    )
    assert Transition.objects.filter(planned_on=day).count() == 40
    assert Municipality.objects.filter(code="751").exists()

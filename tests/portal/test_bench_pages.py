"""``bench_pages`` serves the pages with gunicorn on production settings and compares each with the floor;
``portal.benchmarks.data`` adds a year of use to the municipality scale."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from expectations.models import ExpectationAgreement, ReviewRound
from portal.audit.models import AccessEvent
from portal.benchmarks import data
from portal.meetings.models import BookingPeriod, Meeting
from portal.meetings.services.ledger import Ledger
from portal.organisation.models import Municipality


@pytest.fixture(autouse=True)
def _ledger_connections():
    """The demo's reminders are sent on connections of their own; they must close before the test
    database is dropped."""
    yield
    Ledger.close_pool()


def _needs_production_parts(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("bench_pages serves on production settings: PostgreSQL and Redis")


@pytest.mark.django_db(transaction=True)
def test_bench_pages_measures_every_page_against_the_floor(settings, tmp_path):
    _needs_production_parts(settings)
    call_command("seed_demo", stdout=io.StringIO())
    baseline, saved = tmp_path / "baseline.json", tmp_path / "small.json"
    baseline.write_text(json.dumps({"pages": {"parent_home": {"ratio": 0.5}}}))
    out = io.StringIO()
    call_command(
        "bench_pages", "--rounds", "1", "--requests", "1", "--save", str(saved), "--baseline", str(baseline),
        stdout=out,
    )  # fmt: skip
    lines = out.getvalue().splitlines()
    figures = json.loads(saved.read_text())["pages"]
    assert len(figures) == 16 and "floor" in figures
    assert all(page["queries"] > 0 and page["cpu_ms"] > 0 for page in figures.values()), figures
    growth = 2 * figures["parent_home"]["ratio"]
    assert lines[-2] == f"growth: worst_page=parent_home worst_growth={growth:.2f}"
    assert lines[-1].startswith("pages: pages=15 worst_page=")
    assert {"worst_cpu_ms", "floor_cpu_ms", "worst_ratio"} <= {
        part.split("=")[0] for part in lines[-1].split()
    }


@pytest.mark.django_db
def test_bench_pages_needs_data(settings):
    _needs_production_parts(settings)
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("bench_pages")


@pytest.mark.django_db
def test_a_year_of_use_is_added_once():
    call_command("seed_demo", "--scale", "municipality", "--children", "300", stdout=io.StringIO())
    aarhus = Municipality.objects.get(code="751")
    out = io.StringIO()
    for _ in range(2):
        data.review_round(aarhus, out)
        data.meetings(aarhus, out)
        data.access_events(aarhus, out, per_child=3)
    assert out.getvalue().count("seeded") == 3  # the second time adds nothing
    assert ReviewRound.objects.filter(municipality=aarhus, title=data.REVIEW_TITLE).count() == 1
    assert ExpectationAgreement.objects.filter(institution__municipality=aarhus).exists()
    assert BookingPeriod.objects.filter(institution__municipality=aarhus, title=data.MEETING_TITLE).exists()
    assert Meeting.objects.filter(institution__municipality=aarhus, status="held").exists()
    assert Meeting.objects.filter(institution__municipality=aarhus, status="planned").exists()
    assert AccessEvent.objects.filter(municipality=aarhus).count() >= 300 * 3 // 2

"""``bench_pages`` serves the pages with gunicorn on production settings and compares each with the floor;
``portal.benchmarks.data`` adds a year of use to the municipality scale."""

import io
import json

import psycopg
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


@pytest.fixture
def copy_of_the_database():
    """A second database on the same server with the test database's data (the small demo's scale)."""
    name = f"{connection.settings_dict['NAME']}_against"
    params = {k: v for k, v in connection.get_connection_params().items() if k in ("host", "port", "user")}

    def admin(*statements):
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            for statement in statements:
                conn.execute(statement)

    def copy():
        Ledger.close_pool()
        connection.close()  # a template has no other connection
        admin(
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}" TEMPLATE "{connection.settings_dict["NAME"]}"',
        )
        return name

    yield copy
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _table(lines, scale):
    """The rows {page: (cpu ms, growth or None)} of one scale's table in the output."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f"scale={scale} "))
    rows = {}
    for line in lines[start + 2 :]:
        if line.startswith(("scale=", "growth:", "pages:")):
            break
        parts = line.split()
        rows[parts[0]] = (float(parts[3]), float(parts[5].rstrip("x")) if len(parts) > 5 else None)
    return rows


@pytest.mark.django_db(transaction=True)
def test_bench_pages_measures_a_second_database_in_the_same_rounds(settings, copy_of_the_database):
    """``--against`` serves a second database from its own gunicorn in the same interleaved rounds; each
    page's growth is its worker CPU over the same page's on the other database."""
    _needs_production_parts(settings)
    call_command("seed_demo", stdout=io.StringIO())
    against = copy_of_the_database()
    out = io.StringIO()
    call_command("bench_pages", "--rounds", "1", "--requests", "1", "--against", against, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("scale=")] == ["scale=small children=54"] * 2
    first, second = (
        _table(lines, "small"),
        _table(lines[lines.index("scale=small children=54") + 1 :], "small"),
    )
    assert len(first) == len(second) == 16
    assert all(growth is None for _, growth in first.values())
    for page, (cpu, growth) in second.items():
        assert growth == pytest.approx(cpu / first[page][0], abs=0.015), page
    name, worst = max(((p, g) for p, (_, g) in second.items() if p != "floor"), key=lambda pg: pg[1])
    assert lines[-2] == f"growth: worst_page={name} worst_growth={worst:.2f}"
    assert lines[-1].startswith("pages: pages=15 worst_page=")


@pytest.mark.django_db
def test_bench_pages_compares_with_one_baseline(settings):
    _needs_production_parts(settings)
    with pytest.raises(CommandError, match="not both"):
        call_command("bench_pages", "--against", "other", "--baseline", "small.json")


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
    agreements = ExpectationAgreement.objects.filter(institution__municipality=aarhus)
    assert agreements.exists()
    assert {tuple(topics) for topics in agreements.values_list("guidance_topics", flat=True)} == {()}
    assert BookingPeriod.objects.filter(institution__municipality=aarhus, title=data.MEETING_TITLE).exists()
    assert Meeting.objects.filter(institution__municipality=aarhus, status="held").exists()
    assert Meeting.objects.filter(institution__municipality=aarhus, status="planned").exists()
    assert AccessEvent.objects.filter(municipality=aarhus).count() >= 300 * 3 // 2

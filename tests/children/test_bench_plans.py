"""``bench_plans`` seeds a plan for every child's place and measures the plan page and a class's overview
through gunicorn on production settings; ``portal.benchmarks.plans`` writes the plans once."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from children.models import (
    Enrollment,
    Evidence,
    FocusPoint,
    LearningGoal,
    LearningPlan,
    PlanChange,
    PlanNote,
    PlanRead,
    PlanVersion,
)
from portal.benchmarks import plans as plan_data
from portal.organisation.models import Municipality

# The same budgets as the pages' own tests, whatever the municipality's size: a pupil plan as its teacher
# reads it (tests/children/test_pupils.py) and a class's overview (tests/children/test_plans.py).
STAFF_PLAN_QUERIES = 19
GROUP_OVERVIEW_QUERIES = 8


@pytest.mark.django_db(transaction=True)
def test_bench_plans_prints_the_plan_page_and_the_overview_last(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("bench_plans serves on production settings: PostgreSQL and Redis")
    call_command("seed_demo", "--scale", "municipality", "--children", "300", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_plans", "--rounds", "1", "--requests", "1", stdout=out)
    last = out.getvalue().splitlines()[-1]
    figures = dict(part.split("=") for part in last.removeprefix("plans: ").split())
    assert last.startswith("plans: ")
    assert list(figures) == [
        "queries_child",
        "queries_group",
        "median_ms_child",
        "median_ms_group",
        "children",
    ]
    assert int(figures["queries_child"]) == STAFF_PLAN_QUERIES
    assert int(figures["queries_group"]) == GROUP_OVERVIEW_QUERIES
    assert int(figures["median_ms_child"]) > 0 and int(figures["median_ms_group"]) > 0
    assert int(figures["children"]) == 300


@pytest.mark.django_db
def test_every_place_gets_a_plan_with_history_notes_and_versions_once():
    call_command("seed_demo", "--scale", "municipality", "--children", "300", stdout=io.StringIO())
    aarhus = Municipality.objects.get(code="751")
    out = io.StringIO()
    plan_data.plans(aarhus, out)
    plan_data.plans(aarhus, out)
    assert out.getvalue().count("seeded") == 1  # the second time adds nothing
    places = set(
        Enrollment.objects.current()
        .filter(institution__municipality=aarhus, institution__kind__in=plan_data.PLAN_KINDS)
        .values_list("child_id", "institution_id")
    )
    plans = LearningPlan.objects.filter(institution__municipality=aarhus)
    assert set(plans.values_list("child_id", "institution_id")) == places
    pupil = plans.filter(kind="pupil").first()
    daycare = plans.filter(kind="daycare").first()
    assert FocusPoint.objects.filter(plan=pupil).count() == 3 and not pupil.goals.exists()
    assert LearningGoal.objects.filter(plan=daycare, child=daycare.child).count() == 3
    for plan in (pupil, daycare):
        assert plan.published_number == 2
        latest = PlanVersion.objects.get(plan=plan, number=2)
        shown = latest.snapshot["focus_points"] + latest.snapshot["goals"]
        assert len(shown) == 3 and latest.note == plan_data.VERSION_NOTE
        assert PlanChange.objects.filter(plan=plan, action="created").count() == 3
        assert set(PlanNote.objects.filter(plan=plan).values_list("kind", flat=True)) == {
            "progress", "next_step", "comment", "at_home",
        }  # fmt: skip
    assert PlanRead.objects.filter(version__plan__institution__municipality=aarhus).exists()
    # Two photos' metadata per entry, published with version 2: on the entry and on "what we saw".
    photos = Evidence.objects.filter(plan__in=(pupil, daycare))
    assert photos.count() == 12 and set(photos.values_list("published_in", flat=True)) == {2}
    assert photos.filter(note__kind="progress").count() == 6

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_bench_pages_reports_every_page_on_the_demo():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_pages", "--repeat", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 7
    assert all("status=200" in line and "queries=" in line for line in lines), lines


def test_bench_pages_needs_data():
    with pytest.raises(CommandError):
        call_command("bench_pages")

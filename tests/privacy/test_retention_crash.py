"""A retention run killed mid-batch (SIGKILL, a real process) loses nothing and records nothing it did
not delete: the batch in flight rolls back with its record, and the next run carries on to the end."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from portal.audit.models import AccessEvent
from portal.privacy.models import ErasureRecord
from tests import factories as f
from tests.meetings.conftest import ROOT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs a shared database"),
]

# Runs retention with batches of 3 and dies by SIGKILL while the third batch is being recorded.
DIES_IN_THIRD_BATCH = """
import os, signal
from portal.privacy import retention
from portal.privacy.models import ErasureRecord
from portal.organisation.models import Municipality

retention.BATCH = 3
create = ErasureRecord.objects.create
calls = []

def create_then_die(**kwargs):
    calls.append(1)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return create(**kwargs)

ErasureRecord.objects.create = create_then_die
retention.retention_apply(municipality=Municipality.objects.get(code="751"))
"""


def _shell(code):
    env = {**os.environ, "DATABASE_URL": _database_url()}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_run_killed_mid_batch_loses_nothing_and_the_next_run_finishes():
    aarhus = f.MunicipalityFactory(name="Aarhus Kommune", code="751")
    child = f.ChildFactory(municipality=aarhus)
    old = [
        AccessEvent(actor_name="x", child=child, municipality=aarhus, action="view", subject="plan")
        for _ in range(10)
    ]
    AccessEvent.objects.bulk_create(old)
    AccessEvent.objects.update(at=timezone.now() - timedelta(days=6 * 365))
    recent = AccessEvent.objects.create(
        actor_name="x", child=child, municipality=aarhus, action="view", subject="plan"
    )

    died = _shell(DIES_IN_THIRD_BATCH)
    assert died.returncode == -9, died.stderr.decode()[-2000:]
    recorded = sum(r.rows["audit.AccessEvent"] for r in ErasureRecord.objects.all())
    assert (recorded, AccessEvent.objects.count()) == (6, 11 - 6)  # two batches done, the third rolled back

    finished = _shell(
        f"from portal.privacy.tasks import apply_retention_for; apply_retention_for({aarhus.pk})"
    )
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert sum(r.rows["audit.AccessEvent"] for r in ErasureRecord.objects.all()) == 10

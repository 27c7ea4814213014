"""An apply killed between two chunks of families (SIGKILL, a real process) leaves whole families only,
and running it again writes the rest and sends every new person's invitation exactly once."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from children.models import Child, Guardianship
from portal.accounts.models import Invitation
from portal.roster import services
from portal.roster.models import ImportRun
from tests import factories as f
from tests.meetings.conftest import ROOT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs a shared database"),
]

SETUP = """
from django.conf import settings
from portal.celery import app
app.conf.task_always_eager = True
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
"""
# Chunks of one family; the process dies as the second chunk begins, the first committed.
DIES_AFTER_ONE_FAMILY = (
    SETUP
    + """
import os, signal
from portal.roster import engine, services
engine.CHUNK = 1
write = engine._apply_families
calls = []

def write_then_die(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return write(*args, **kwargs)

engine._apply_families = write_then_die
services.import_run_apply(run_id=RUN)
"""
)
FINISHES = SETUP + "from portal.roster import services\nservices.import_run_apply(run_id=RUN)\n"

SHEETS = {
    "children": [
        {"child_id": f"K-{i}", "first_name": f"Barn{i}", "last_name": "Kill", "birth_date": "2020-02-02"}
        for i in range(3)
    ],
    "guardians": [
        {"child_id": f"K-{i}", "email": f"k{i}@example.dk", "first_name": "F", "last_name": "Kill"}
        for i in range(3)
    ],
}


def _shell(code, run):
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code.replace("RUN", str(run.pk))],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        timeout=120,
    )


def test_an_apply_killed_between_chunks_is_finished_by_the_next_run_and_invites_once():
    aarhus = f.MunicipalityFactory(name="Aarhus Kommune", code="751")
    admin = f.UserFactory(email="erik@example.test")
    run = ImportRun.objects.create(
        municipality=aarhus,
        uploaded_by=admin,
        status=ImportRun.Status.APPLYING,
        files="x",
        data=ImportRun.pack(SHEETS),
    )

    died = _shell(DIES_AFTER_ONE_FAMILY, run)
    assert died.returncode == -9, died.stderr.decode()[-2000:]
    assert Child.objects.count() == Guardianship.objects.count() == 1  # one whole family, no half one
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLYING

    finished = _shell(FINISHES, run)
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert Child.objects.count() == Guardianship.objects.count() == 3
    invitations = Invitation.objects.order_by("email")
    assert [i.email for i in invitations] == ["k0@example.dk", "k1@example.dk", "k2@example.dk"]
    assert all(i.sent_at is not None for i in invitations)
    assert services.import_run_apply(run_id=run.pk) is False  # applied: nothing more to do

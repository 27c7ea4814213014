"""The daily summaries through a real worker killed in the middle of a batch (PostgreSQL, a Celery
worker on Redis, an SMTP server): every summary arrives exactly once, none lost, none twice."""

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from portal.celery import app
from portal.meetings.models import Notification
from portal.notices.models import Letter
from portal.notices.services.digests import digests_plan
from portal.notices.services.routing import notices_route
from portal.notices.tasks import sweep
from tests import factories as f
from tests.meetings.conftest import outbox_worker, pool_children, smtp_server, wait_for
from tests.meetings.test_reminder_worker import CONNECTIONS, HoldingSink

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]
PEOPLE = 60


@pytest.fixture
def sink():
    handler = HoldingSink()
    with smtp_server(handler) as port:
        yield handler, port
        handler.release.set()


@pytest.fixture
def worker(sink, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    with outbox_worker(sink[1], tmp_path, "digests", MEETING_SMTP_CONNECTIONS=str(CONNECTIONS)) as started:
        yield started


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_sends_every_summary_once(sink, worker):
    handler, _port = sink
    process, queue = worker
    app.conf.task_always_eager = False
    yesterday = timezone.now() - timedelta(days=1)
    people = [f.UserFactory() for _ in range(PEOPLE)]
    kinds = (Notification.Kind.PLAN_PUBLISHED, Notification.Kind.SURVEY_OPENED)
    Notification.objects.bulk_create(
        Notification(
            user=person, kind=kind, title=f"{kind} {i}", url="/", created_at=yesterday, key=f"{i}{kind}"
        )
        for i, person in enumerate(people)
        for kind in kinds
    )
    notices_route(now=yesterday)
    assert digests_plan() == PEOPLE

    sweep.apply_async(queue=queue)  # the beat task, run by the worker
    assert handler.holding.wait(30), "the worker never had a message in flight on every connection"
    (child,) = pool_children(process.pid)
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: child not in pool_children(process.pid), 10, "the pool process did not die")
    handler.release.set()

    wait_for(
        lambda: not Letter.objects.exclude(status=Letter.Status.SENT).exists(),
        40,
        "the summaries of the killed batch were not sent",
    )
    assert len(handler.accepted) == PEOPLE
    assert Counter(handler.accepted) == Counter({letter.message_id: 1 for letter in Letter.objects.all()})
    assert process.poll() is None

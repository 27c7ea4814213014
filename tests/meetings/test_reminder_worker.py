"""A worker killed in the middle of a batch: the real thing (PostgreSQL, a Celery worker on Redis, an
SMTP server). Every reminder arrives exactly once: none lost, none twice."""

import asyncio
import os
import signal
import threading
from collections import Counter

import pytest
from django.db import connection

from portal.celery import app
from portal.meetings.models import Reminder
from portal.meetings.tasks import sweep_reminders
from tests.meetings.conftest import Sink, outbox_worker, pool_children, smtp_server, wait_for
from tests.meetings.test_delivery import make_due

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]

HOLD = 10  # from this message on, the sink holds one message per connection until the kill
CONNECTIONS = 2  # the worker's SMTP connections


class HoldingSink(Sink):
    """Holds every message from the ``HOLD``-th on, unaccepted, until ``release``. ``holding`` is set
    once a message is held on every connection: then each message the sink accepted before has its
    journal entry (a connection writes it before it sends its next message), and the kill that
    follows cuts the batch with a message in flight on every connection.

    A kill between the server's acceptance and the journal write is the one window the design leaves
    (the README says so); this test is about everything else, so it kills outside that window."""

    def __init__(self):
        super().__init__()
        self.seen = self.held = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen >= HOLD and not self.release.is_set():
            self.held += 1
            if self.held == CONNECTIONS:
                self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 The client went away"  # never accepted: the message is lost in flight
        return await super().handle_DATA(server, session, envelope)


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
    with outbox_worker(sink[1], tmp_path, "reminders", MEETING_SMTP_CONNECTIONS=str(CONNECTIONS)) as started:
        yield started


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(cast, sink, worker):
    handler, _port = sink
    process, queue = worker
    app.conf.task_always_eager = False
    rows = make_due(cast, 15)
    assert len(rows) == 60

    sweep_reminders.apply_async(queue=queue)  # the beat task, run by the worker
    assert handler.holding.wait(30), "the worker never had a message in flight on every connection"
    (child,) = pool_children(process.pid)
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: child not in pool_children(process.pid), 10, "the pool process did not die")
    handler.release.set()

    wait_for(
        lambda: not Reminder.objects.exclude(status=Reminder.Status.SENT).exists(),
        40,
        "the requeued batch was not finished",
    )
    assert len(handler.accepted) == 60
    assert Counter(handler.accepted) == Counter({row.message_id: 1 for row in Reminder.objects.all()})
    assert process.poll() is None

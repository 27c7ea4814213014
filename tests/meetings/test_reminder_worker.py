"""A worker killed in the middle of a batch: the real thing (PostgreSQL, a Celery worker on Redis, an
SMTP server). Every reminder arrives exactly once: none lost, none twice."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from portal.celery import app
from portal.meetings.management.commands.bench_reminders import queue_keys
from portal.meetings.models import Reminder
from portal.meetings.tasks import sweep_reminders
from tests.meetings.test_delivery import make_due

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]

ROOT = Path(__file__).resolve().parents[2]
HOLD = 10  # the sink holds this message until the test has killed the worker's pool process


class HoldingSink:
    def __init__(self):
        self.accepted: list[str] = []
        self.seen = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == HOLD:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 The client went away"  # never accepted: the message is lost in flight
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.accepted.append(line.split(b":", 1)[1].strip().decode())
                break
        return "250 OK"


@pytest.fixture
def sink():
    handler = HoldingSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    handler.release.set()
    controller.stop()


@pytest.fixture
def worker(sink, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    db = connection.settings_dict
    queue = f"test-reminders-{uuid.uuid4().hex}"
    journal = f"test-journal-{uuid.uuid4().hex}"
    ready = tmp_path / "ready"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink[1]}",
        "VAR_DIR": str(tmp_path),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_READY_FILE": str(ready),
        "MEETING_SENT_JOURNAL": journal,
        "DEBUG": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork", "-c", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert process.poll() is None, "the worker did not start"
        assert time.monotonic() < deadline, "the worker did not get ready"
        time.sleep(0.1)
    yield process, queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*queue_keys(queue))
    cache = redis.Redis.from_url(settings.REDIS_URL)
    if keys := list(cache.scan_iter(match=f"*{journal}:*")):
        cache.delete(*keys)


def pool_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return children


def wait_for(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(cast, sink, worker):
    handler, _port = sink
    process, queue = worker
    app.conf.task_always_eager = False
    rows = make_due(cast, 15)
    assert len(rows) == 60

    sweep_reminders.apply_async(queue=queue)  # the beat task, run by the worker
    assert handler.holding.wait(30), "the worker never reached the tenth message"
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

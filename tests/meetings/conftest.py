"""Helpers for meeting tests: a published booking period for a group, requests for services, and for
the tests against a real worker an SMTP sink and a Celery worker in a process of its own."""

import contextlib
import socket
import subprocess
import sys
import time as clock
import uuid
from datetime import time, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from portal.benchmarks.mail import stop_process
from portal.meetings.services import booking


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages and refusals in English, so tests read like the product's rules; e-mails still follow each
    recipient's own language."""
    settings.LANGUAGE_CODE = "en"


def req(user, path="/"):
    """A request as ``user`` for services that audit."""
    request = RequestFactory().post(path)
    request.user = user
    request.session = SessionStore()
    return request


def plan_parent_meeting(cast, *, days=5, hours=1, **extra):
    """Carla plans a parent meeting for Mariehønen (Emil's group) ``days`` from now; invitations go out."""
    start = timezone.now() + timedelta(days=days)
    return booking.meeting_plan(
        request=req(cast.carla),
        user=cast.carla,
        kind="parent_meeting",
        institution=cast.solsikken,
        group=cast.mariehonen,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **{"title": "Forældremøde i Mariehønen", **extra},
    )


def make_period(
    *,
    user,
    group,
    days_ahead: int = 14,
    days: int = 1,
    start=time(14, 0),
    end=time(16, 0),
    slot_minutes: int = 20,
    publish: bool = True,
    deadline_days_before: int = 2,
    **extra,
):
    """A period of ``days`` consecutive days starting ``days_ahead`` days from today (6 slots a day by
    default), published unless ``publish=False``."""
    first = timezone.localdate() + timedelta(days=days_ahead)
    day_list = [first + timedelta(days=i) for i in range(days)]
    deadline = timezone.make_aware(
        timezone.datetime.combine(first - timedelta(days=deadline_days_before), time(23, 59))
    )
    period = booking.period_create(
        user=user,
        group=group,
        title=extra.pop("title", "Skole-hjem-samtaler"),
        days=day_list,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
        booking_deadline=deadline,
        **extra,
    )
    if publish:
        booking.period_publish(user=user, period=period)
        period.refresh_from_db()
    return period


@pytest.fixture
def emil_period(cast):
    """Carla's published conversations for Mariehønen (Emil's group), two weeks from now."""
    return make_period(user=cast.carla, group=cast.mariehonen, kind="daycare_conversation", location="Stuen")


@pytest.fixture
def freja_period(cast):
    """Dorte's published parent–teacher conferences for 1.A (Freja's class)."""
    return make_period(user=cast.dorte, group=cast.class_1a, kind="conference", location="Klasselokalet")


ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, message):
    deadline = clock.monotonic() + seconds
    while not condition():
        assert clock.monotonic() < deadline, message
        clock.sleep(0.1)


class Sink:
    """An SMTP server's handler: accepts every message and records its ``Message-ID``."""

    def __init__(self):
        self.accepted: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.accepted.append(line.split(b":", 1)[1].strip().decode())
                break
        return "250 OK"


@contextlib.contextmanager
def smtp_server(handler):
    """An SMTP server on a free local port, in a thread, served by ``handler``; yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@contextlib.contextmanager
def celery_worker(env: dict, ready: Path):
    """A Celery worker (prefork, one pool process) with ``env``, from when it listens until it is
    stopped; ``ready`` is the file it touches when it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork", "-c", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT,
        # Messages made due by a test go out at any hour: no default quiet hours unless the test sets them.
        env={"NOTICE_QUIET_HOURS": "", **env, "CELERY_READY_FILE": str(ready)},
    )  # fmt: skip
    try:
        deadline = clock.monotonic() + 30
        while not ready.exists():
            assert process.poll() is None, "the worker did not start"
            assert clock.monotonic() < deadline, "the worker did not get ready"
            clock.sleep(0.1)
        yield process
    finally:
        stop_process(process, timeout=20)


def pool_children(pid: int) -> list[int]:
    """The worker's pool processes."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return children


@contextlib.contextmanager
def outbox_worker(smtp_port: int, tmp_path: Path, name: str, **env):
    """A worker that sends an outbox (reminders, letters) to the SMTP server on ``smtp_port``: its own
    queue and journal, sharing the test's PostgreSQL database and Redis; both emptied afterwards.
    Yields (process, queue)."""
    import os

    import redis
    from django.conf import settings
    from django.db import connection

    from portal.benchmarks.mail import database_url, queue_keys

    queue, journal = f"test-{name}-{uuid.uuid4().hex}", f"test-journal-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "VAR_DIR": str(tmp_path),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEETING_SENT_JOURNAL": journal,
        "DEBUG": "false",
        **env,
    }
    try:
        with celery_worker(environment, tmp_path / "ready") as process:
            yield process, queue
    finally:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*queue_keys(queue))
        cache = redis.Redis.from_url(settings.REDIS_URL)
        if keys := list(cache.scan_iter(match=f"*{journal}:*")):
            cache.delete(*keys)

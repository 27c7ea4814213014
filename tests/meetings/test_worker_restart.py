"""A worker outlives a restart of PostgreSQL and of Redis: the same worker process carries on with the
next batch, and every reminder arrives exactly once across both restarts.

The shared servers of the test run stay untouched: the test starts a PostgreSQL cluster and a Redis of
its own, and restarts those. The worker and the steps that write or read reminders run against them in
processes of their own (``DATABASE_URL``, ``REDIS_URL``); the test process sends the beat's sweep to the
worker through the private Redis and checks the SMTP sink.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
import redis

from portal.celery import app
from portal.meetings.tasks import sweep_reminders
from tests.meetings.conftest import ROOT, Sink, celery_worker, free_port, pool_children, smtp_server, wait_for


def _postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


PG_BIN = _postgres_bin()
QUEUE = "reminders"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PG_BIN is None, reason="needs PostgreSQL's server programs (initdb, pg_ctl)"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

# Run with ``manage.py shell`` against the private database; the test appends the call it needs.
STEPS = """
import json
from types import SimpleNamespace

from children.models import Child, Guardianship
from portal.meetings.models import Reminder
from portal.organisation.models import Institution
from tests import factories as f
from tests.meetings.test_delivery import make_due


def due(meetings, hours_ahead):
    if not Child.objects.exists():
        aarhus = f.MunicipalityFactory(name="Aarhus Kommune", code="751")
        f.InstitutionFactory(municipality=aarhus, name="Børnehuset Solsikken")
        emil = f.ChildFactory(municipality=aarhus, first_name="Emil", last_name="Jensen")
        for name in ("Anna", "Mikkel"):
            user = f.UserFactory(email=name.lower() + "@example.test", first_name=name, last_name="Jensen")
            f.GuardianshipFactory(child=emil, user=user)
    anna, mikkel = (g.user for g in Guardianship.objects.order_by("pk"))
    family = SimpleNamespace(
        solsikken=Institution.objects.get(), emil=Child.objects.get(), anna=anna, mikkel=mikkel
    )
    print(len(make_due(family, meetings, hours_ahead=hours_ahead)))


def rows():
    print(json.dumps({row.message_id: row.status for row in Reminder.objects.all()}))
"""


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory on a free port. The server refuses to run as root,
    so as root it runs as the ``postgres`` user, who owns the directory."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="restart-pg-"))
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, program: str, *args: str) -> None:
        command = [*self.as_owner, str(PG_BIN / program), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def pg_ctl(self, *args: str) -> None:
        # With a log file the server does not hold on to pg_ctl's output, which the test waits to read.
        log = str(self.dir / "server.log")
        self.run("pg_ctl", "-D", str(self.dir / "data"), "-l", log, "-w", "-t", "30", *args)

    def start(self) -> None:
        if self.as_owner:
            shutil.chown(self.dir, "postgres")
        self.run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "start")
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE portal")

    def restart(self) -> None:
        # Fast shutdown: open sessions are cut, as when the server restarts under a running worker.
        self.pg_ctl("-m", "fast", "restart")

    def sessions(self) -> int:
        """Client sessions on the portal's database, besides the one asking."""
        with psycopg.connect(self.url) as db:
            sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = 'portal' AND pid <> pg_backend_pid()"
            return db.execute(sql).fetchone()[0]

    def unsent(self) -> int:
        """Reminders not (yet) marked sent."""
        with psycopg.connect(self.url) as db:
            return db.execute("SELECT count(*) FROM meetings_reminder WHERE status <> 'sent'").fetchone()[0]

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):  # not started, or already gone
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A Redis without persistence on a free port: a restart loses everything it held."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._answers(client), 10, "the private Redis did not start")

    def _answers(self, client) -> bool:
        assert self.process.poll() is None, "the private Redis exited"
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # as in a crash: no goodbye to the clients
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


def running(server):
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres():
    yield from running(PrivatePostgres())


@pytest.fixture
def broker():
    yield from running(PrivateRedis())


@pytest.fixture
def sink():
    handler = Sink()
    with smtp_server(handler) as port:
        yield handler, port


@pytest.fixture
def private_env(postgres, broker, sink, tmp_path):
    """The environment of every process that works on the private servers."""
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "REDIS_URL": broker.url,
        "CELERY_BROKER_URL": broker.url,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink[1]}",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=120)
    return env


@pytest.fixture
def worker(private_env, tmp_path):
    with celery_worker(private_env, tmp_path / "ready") as process:
        yield process


def step(env: dict, call: str) -> str:
    """Run ``call`` after the STEPS in a process of its own on the private servers; returns its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", STEPS + call],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def sweep(broker: PrivateRedis) -> None:
    """What beat does every minute: send the sweep to the worker through the (private) broker."""
    app.conf.task_always_eager = False
    with app.connection_for_write(broker.url) as connection:
        sweep_reminders.apply_async(queue=QUEUE, connection=connection)


def test_a_worker_carries_on_after_postgresql_and_redis_restart(postgres, broker, sink, private_env, worker):
    handler, _port = sink
    pool = pool_children(worker.pid)
    assert len(pool) == 1

    def delivers(hours_ahead: int, after: str) -> None:
        """Five meetings' reminders fall due (20 messages); the sweep goes out and they arrive."""
        before = len(handler.accepted)
        assert step(private_env, f"due(5, {hours_ahead})") == "20"
        sweep(broker)
        wait_for(lambda: len(handler.accepted) >= before + 20, 30, f"no batch arrived after {after}")
        # The task is done when its rows are marked: a restart before that would cut the task short.
        wait_for(lambda: postgres.unsent() == 0, 30, f"the batch was not marked sent after {after}")
        assert worker.poll() is None, f"the worker exited after {after}"
        assert pool_children(worker.pid) == pool, f"the pool process was replaced after {after}"

    delivers(48, "the start")
    assert postgres.sessions() >= 1, "the worker keeps its database session between tasks"

    postgres.restart()
    delivers(72, "the PostgreSQL restart")

    broker.restart()
    delivers(96, "the Redis restart")

    rows = json.loads(step(private_env, "rows()"))
    assert len(rows) == 60
    assert set(rows.values()) == {"sent"}
    assert Counter(handler.accepted) == Counter(dict.fromkeys(rows, 1))


@pytest.fixture
def holding_sink():
    from tests.meetings.test_reminder_worker import HoldingSink

    handler = HoldingSink()
    with smtp_server(handler) as port:
        yield handler, port
        handler.release.set()


@pytest.fixture
def holding_env(postgres, broker, holding_sink, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "REDIS_URL": broker.url,
        "CELERY_BROKER_URL": broker.url,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "EMAIL_URL": f"smtp://127.0.0.1:{holding_sink[1]}",
        "MEETING_SMTP_CONNECTIONS": "2",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=120)
    return env


def test_redis_killed_and_emptied_mid_batch_loses_nothing_and_sends_nothing_twice(
    broker, holding_sink, holding_env, tmp_path
):
    """The worst case of the chaos run: the pool process dies with a message in flight on each SMTP
    connection and Redis dies with it, coming back empty (no journal, no queue, no unacknowledged
    task). What the SMTP server accepted was already in PostgreSQL, so it is not sent again; the
    first sweep after Redis is back (the beat's, within a minute) claims the lost batch again."""
    handler, _port = holding_sink
    with celery_worker(holding_env, tmp_path / "ready") as worker:
        assert step(holding_env, "due(15, 48)") == "60"
        sweep(broker)
        assert handler.holding.wait(30), "the worker never had a message in flight on every connection"
        (child,) = pool_children(worker.pid)
        os.kill(child, signal.SIGKILL)
        broker.restart()  # SIGKILL, then a Redis that remembers nothing
        # Nothing of the batch survives: no queued or unacknowledged message. The worker's main process
        # may already have reconnected and declared its queues again (kombu's binding sets:
        # "_kombu.binding.<queue>", "_kombu.binding_permanent.<queue>", "_kombu.binding_deadlines").
        keys = redis.Redis.from_url(broker.url).scan_iter()
        kept = [k for k in keys if not k.startswith(b"_kombu.binding")]
        assert kept == []
        back = time.monotonic()
        handler.release.set()  # the messages in flight were never accepted
        wait_for(lambda: child not in pool_children(worker.pid), 10, "the pool process did not die")

        sweep(broker)
        wait_for(lambda: len(set(handler.accepted)) >= 60, 60, "no delivery after the restart")
        assert time.monotonic() - back < 60
        assert worker.poll() is None
    rows = json.loads(step(holding_env, "rows()"))
    assert set(rows.values()) == {"sent"}
    assert Counter(handler.accepted) == Counter(dict.fromkeys(rows, 1))

"""Benchmark the summer school start on the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing, then (``portal.benchmarks.transitions``) moves the
oldest children in daycare (5,000 by default) to 0. klasse on the next 1 August: their places at
school, a transition and handover each (planned with ``transitions_create_for_cohort``, group by
group), sections written, consents and parents' views as families give them, and every handover
asked to be sent. A real Celery worker (prefork, two processes, on a queue of its own) sends them in
batches (``transitions.handovers_send``); the time runs from the first batch queued to the last
handover sent. Then the pages are served as ``bench_pages`` serves them (gunicorn, two sync workers,
production settings) and asked in interleaved rounds: the receiving leader's "children starting with
us" of the school receiving the most, and the timeline of the moved child with the most places as
the parent reads it. The queries are counted in the server. The last line is::

    transitions: handovers=<n> send_s=<s> per_s=<r> queries_incoming=<n> median_ms_incoming=<ms>
    queries_timeline=<n> median_ms_timeline=<ms>

(one line; wrapped here).
"""

import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from children.models import Child, Guardianship
from portal.benchmarks import transitions as school_start
from portal.benchmarks.mail import database_url, queue_keys, stop_process
from portal.management.commands.bench_pages import Page, Server, time_pages
from portal.organisation.models import Municipality, StaffMembership
from transitions.models import Transition

AARHUS = "751"


class Worker:
    """A Celery worker of its own (prefork) on a queue of its own, as production runs one."""

    def __init__(self, tmp: Path, processes: int):
        self.tmp, self.processes = tmp, processes
        self.queue = f"bench-transitions-{uuid.uuid4().hex[:8]}"
        self.process = None

    def start(self) -> None:
        ready = self.tmp / "worker.ready"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "DEBUG": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_READY_FILE": str(ready),
            "LOG_LEVEL": "WARNING",
        }
        self.log = open(self.tmp / "worker.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork",
             "-c", str(self.processes), "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=WARNING"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise CommandError("The worker did not start:\n" + (self.tmp / "worker.log").read_text())
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.log.close()
        try:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*queue_keys(self.queue))
        except Exception:  # noqa: S110 - tidying up; the figures are what matter
            pass


class Command(BaseCommand):
    help = "Send a summer school start's handovers through Celery and time the receiving pages (a benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=5000, help="Children moving (default 5000).")
        parser.add_argument("--batch", type=int, default=250, help="Handovers per task (default 250).")
        parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds (default 5).")
        parser.add_argument("--requests", type=int, default=10, help="Requests per page and round.")
        parser.add_argument("--workers", type=int, default=2, help="Worker and server processes.")
        parser.add_argument("--timeout", type=int, default=600, help="Seconds to wait for the sending.")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, children, batch, rounds, requests, workers, timeout, seed, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "bench_transitions measures production: set DATABASE_URL (PostgreSQL) and REDIS_URL."
            )
        if not Municipality.objects.filter(code=AARHUS).exists():
            call_command("seed_demo", scale="municipality", stdout=self.stdout)
        municipality = Municipality.objects.get(code=AARHUS)
        ids = school_start.seed(municipality, self.stdout, children=children, seed=seed)
        if not ids:
            raise CommandError("No child in daycare to move.")
        with tempfile.TemporaryDirectory(prefix="bench-transitions-") as tmp:
            send_s = self._send(Path(tmp), ids, batch, workers, timeout)
            pages = self._pages(municipality)
            server = Server(Path(tmp, "server"), workers, name="bench-transitions")
            try:
                server.start()
                time_pages(server, pages, rounds, requests, random.Random(seed))
            finally:
                server.stop()
        incoming, timeline = pages
        self.stdout.write(f"{'page':10} {'queries':>7} {'median_ms':>9}")
        for page in pages:
            self.stdout.write(f"{page.name:10} {page.queries:>7} {page.wall:>9.1f}")
        self.stdout.write(
            f"transitions: handovers={len(ids)} send_s={send_s:.1f} per_s={len(ids) / send_s:.0f} "
            f"queries_incoming={incoming.queries} median_ms_incoming={incoming.wall:.0f} "
            f"queries_timeline={timeline.queries} median_ms_timeline={timeline.wall:.0f}"
        )

    def _send(self, tmp: Path, ids: list[int], batch: int, workers: int, timeout: int) -> float:
        """Queue the batches to a real worker and wait until every handover is sent; the seconds it took."""
        from portal.celery import app

        worker = Worker(tmp, workers)
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        moving = Transition.objects.filter(handover__pk__in=ids)
        try:
            worker.start()
            started = time.perf_counter()
            for at in range(0, len(ids), batch):
                app.send_task("transitions.handovers_send", args=[ids[at : at + batch]], queue=worker.queue)
            while True:
                sent = moving.filter(status=Transition.Status.SENT).count()
                if sent == len(ids):
                    break
                if time.perf_counter() - started > timeout:
                    raise CommandError(
                        f"{sent} of {len(ids)} handovers sent after {timeout} s:\n"
                        + (tmp / "worker.log").read_text()[-2000:]
                    )
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            worker.stop()
            app.conf.task_always_eager = eager
        self.stdout.write(f"sent {len(ids)} handovers in {elapsed:.1f} s in batches of {batch}")
        return elapsed

    def _pages(self, municipality) -> list[Page]:
        """The leader (else a teacher) of the school receiving the most, and a moved child's parent."""
        day = school_start.school_start()
        moves = Transition.objects.filter(child__municipality=municipality, planned_on=day)
        busiest = (
            moves.values("receiving_institution")
            .annotate(n=Count("pk"))
            .order_by("-n", "receiving_institution")
        ).first()
        staff = (
            StaffMembership.objects.active()
            .filter(institution_id=busiest["receiving_institution"])
            .exclude(role__in=StaffMembership.CASELOAD_ROLES)
            .order_by("pk")
            .select_related("user")
        )
        receiver = next((m for m in staff if m.role == StaffMembership.Role.LEADER), None) or staff.first()
        if receiver is None:
            raise CommandError("Nobody works at the school receiving the most children.")
        # The moved child with the longest history of places, as the parent (with custody) reads it.
        longest = (
            Child.objects.filter(pk__in=moves.values("child"), guardianships__has_custody=True)
            .annotate(places=Count("enrollments", distinct=True))
            .order_by("-places", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        parent = (
            Guardianship.objects.active()
            .filter(child_id=longest, has_custody=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if parent is None:
            raise CommandError("No moved child has a parent with custody.")
        self.stdout.write(f"incoming: {busiest['n']} children starting at the school")
        return [
            Page("incoming", receiver.user, reverse("transitions:incoming")),
            Page("timeline", parent.user, reverse("children:child_timeline", args=[parent.child_id])),
        ]

"""Benchmark the daily summary at the scale of the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing (PostgreSQL only), then writes with COPY one day of
notices: ``--per-guardian`` (3 by default) to every guardian with the right to information, of the
kinds that gather in the summary by default (learning plans, handovers, surveys), made yesterday and
not yet routed. It routes them and plans the summaries (timed, in this process, as the beat's sweep
would), then starts a real worker (prefork, two processes) on Redis and an SMTP sink in a process of
its own, runs the sweep until every summary is sent, and checks the sink: a summary whose
``Message-ID`` never arrived is lost, one that arrived twice a duplicate. The sink's ceiling is then
measured in the same run with plain ``smtplib`` clients sending copies of what it received. The
bench's rows are deleted at the end. The last line is:

    digest: recipients=<n> sent=<n> per_s=<r> smtp_floor_per_s=<f> ratio=<r/f> lost=<n> duplicates=<n>
"""

import argparse
import datetime
import random
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from children.models import Guardianship
from portal.benchmarks.mail import (
    cpu_seconds,
    floor_rate,
    machine_busy,
    read_messages,
    sink_command,
    start_sink,
    start_worker,
    stop_all,
    tree_cpu_seconds,
)
from portal.demo.bulk import BulkWriter
from portal.meetings.models import Notification
from portal.notices.models import Delivery, Letter
from portal.notices.services.digests import digests_plan
from portal.notices.services.routing import notices_route
from portal.notices.services.sending import letters_sweep
from portal.organisation.models import Municipality

AARHUS = "751"
KEY = "bench-digest-"
NOTIFICATION = [
    "id", "user_id", "reminder_id", "meeting_id", "period_id", "title", "body", "url", "created_at",
    "read_at", "kind", "key", "urgent", "shown_at", "routed_at", "sent_by",
]  # fmt: skip
Kind = Notification.Kind
NOTICES = [
    (Kind.PLAN_PUBLISHED, "%s' læreplan er opdateret", "Se de nye mål og ideer til derhjemme.", "/children/"),
    (Kind.HANDOVER_SENT, "Overleveringen om %s er sendt", "Se, hvad der blev givet videre.", "/transitions/"),
    (Kind.SURVEY_OPENED, "Fortæl os, hvordan samarbejdet går", "Tre korte spørgsmål, anonymt.", "/surveys/"),
]
CLEANUP = [
    """DELETE FROM notices_letter WHERE id IN (SELECT d.letter_id FROM notices_delivery d
       JOIN meetings_notification n ON n.id = d.notification_id WHERE n.key LIKE %s)""",
    """DELETE FROM notices_delivery WHERE notification_id IN (
       SELECT id FROM meetings_notification WHERE key LIKE %s)""",
    "DELETE FROM meetings_notification WHERE key LIKE %s",
]


class Command(BaseCommand):
    help = "Time the daily summary through a real worker and SMTP server (a benchmark, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--per-guardian", type=int, default=3)
        parser.add_argument("--workers", type=int, default=2, help="Worker processes (prefork).")
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--timeout", type=int, default=900, help="Give up after this many seconds.")
        parser.add_argument("--guardians", type=int, default=None, help="At most this many (tests).")
        parser.add_argument("--children", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, per_guardian, workers, batch_size, seed, timeout, guardians, children, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (the worker shares the database).")
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise CommandError("The benchmark needs Redis: set REDIS_URL.")
        if not Municipality.objects.filter(code=AARHUS).exists():
            extra = {"children": children} if children else {}
            call_command("seed_demo", scale="municipality", stdout=self.stdout, **extra)
        cleanup()
        with tempfile.TemporaryDirectory(prefix="bench-digest-") as tmp:
            run = Run(self, Path(tmp), workers=workers, batch_size=batch_size)
            try:
                run.seed(random.Random(seed), per_guardian, guardians)
                run.prepare()
                line = run.measure(timeout)
            finally:
                run.stop()
                cleanup(journal=run.journal)
        self.stdout.write(line)


def cleanup(*, journal: str = "") -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in CLEANUP:
            cursor.execute(sql, [f"{KEY}%"])
    if journal and settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(match=f"*{journal}:*", count=5000))
        for start in range(0, len(keys), 5000):
            client.delete(*keys[start : start + 5000])


def analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Run:
    def __init__(self, command, tmp: Path, *, workers: int, batch_size: int):
        self.out, self.tmp = command.stdout, tmp
        self.workers, self.batch_size = workers, batch_size
        self.queue = f"bench-digest-{uuid.uuid4().hex[:12]}"
        self.journal = f"bench-journal-{uuid.uuid4().hex[:12]}"
        self.processes: list[subprocess.Popen] = []

    @transaction.atomic
    def seed(self, rng: random.Random, per_guardian: int, limit: int | None) -> None:
        started = time.perf_counter()
        yesterday = timezone.now() - datetime.timedelta(hours=25)
        people = (
            Guardianship.objects.with_information()
            .filter(child__municipality__code=AARHUS)
            .order_by("user_id", "child_id")
            .distinct("user_id")
            .values_list("user_id", "child__first_name")
        )
        if limit:
            people = people[:limit]
        writer = BulkWriter(tables=[(Notification, NOTIFICATION)])
        ids = writer.ids(Notification)
        count = 0
        for user_id, name in people.iterator(chunk_size=5000):
            count += 1
            for n in range(per_guardian):
                kind, title, body, url = NOTICES[(n + rng.randrange(3)) % len(NOTICES)]
                pk = next(ids)
                created = yesterday + datetime.timedelta(minutes=n)
                writer.rows(Notification).append(
                    (pk, user_id, None, None, None, title.replace("%s", name), body, url, created, None, kind,
                     f"{KEY}{pk}", False, created, None, "")
                )  # fmt: skip
        writer.flush()
        writer.analyze()
        self.guardians = count
        self.out.write(
            f"seeded in {time.perf_counter() - started:.1f}s: guardians={count:,} "
            f"notices={writer.counts()['meetings_notification']:,}"
        )

    def prepare(self) -> None:
        """Route the day's notices and plan the summaries, as the beat's sweep would (timed). After
        each step the tables it wrote get fresh statistics, as autovacuum gives them in production
        (a development database may run without it): without them PostgreSQL plans the send's
        reading of 200 letters' notices as a scan of every delivery."""
        started = time.perf_counter()
        routed = notices_route()
        routing = time.perf_counter() - started
        analyze(Delivery)
        started = time.perf_counter()
        planned = digests_plan()
        planning = time.perf_counter() - started
        analyze(Delivery, Letter)
        mine = Letter.objects.filter(
            kind=Letter.Kind.DIGEST, deliveries__notification__key__startswith=KEY
        ).distinct()
        letters = list(mine.only("pk", "kind"))
        self.expected = {letter.message_id for letter in letters}
        # The bench's letters, by id: polling them costs the database next to nothing.
        self.ids = (
            (min(letter.pk for letter in letters), max(letter.pk for letter in letters))
            if letters
            else (0, 0)
        )
        self.out.write(
            f"routed {routed:,} notices in {routing:.1f}s; planned {planned:,} summaries in {planning:.1f}s"
        )

    def start(self) -> None:
        sink, smtp_port, self.control_port = start_sink()
        self.processes.append(sink)
        self.processes.append(
            start_worker(
                self.tmp, smtp_port=smtp_port, queue=self.queue, journal=self.journal, workers=self.workers
            )
        )

    def stop(self) -> None:
        stop_all(self.processes, self.queue, self.out)

    def measure(self, timeout: int) -> str:
        from portal.celery import app

        app.conf.task_default_queue = self.queue
        app.conf.task_always_eager = False
        self.start()
        open_rows = Letter.objects.open().filter(pk__range=self.ids)
        sink_cpu = cpu_seconds(self.processes[0].pid)
        worker_cpu = tree_cpu_seconds(self.processes[1].pid)
        busy = machine_busy()
        started = time.perf_counter()
        while True:
            letters_sweep(batch_size=self.batch_size)  # the beat's sweep, as often as there is work
            if not open_rows.exists():
                break
            if time.perf_counter() - started > timeout:
                raise CommandError(f"Gave up after {timeout} s: summaries still unsent.")
            time.sleep(1)
        elapsed = time.perf_counter() - started
        sink_cpu = cpu_seconds(self.processes[0].pid) - sink_cpu
        worker_cpu = tree_cpu_seconds(self.processes[1].pid) - worker_cpu
        busy = machine_busy(since=busy)
        mine = Letter.objects.filter(
            kind=Letter.Kind.DIGEST, deliveries__notification__key__startswith=KEY
        ).distinct()
        sent = mine.filter(status=Letter.Status.SENT).count()
        skipped = Counter(mine.exclude(status=Letter.Status.SENT).values_list("skip_reason", flat=True))
        ids_file = self.tmp / "ids"
        sink_command(self.control_port, f"dump {ids_file}")
        received = Counter(ids_file.read_text().split())
        lost = len(self.expected - set(received))
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        unexpected = len(set(received) - self.expected)
        count, size = (int(v) for v in sink_command(self.control_port, "count").split())
        sample = self.tmp / "sample"
        sink_command(self.control_port, f"sample {sample}")
        self.stop()
        sampled = read_messages(sample)
        floor_busy = machine_busy()
        floor, floor_sink_cpu = floor_rate(len(self.expected), sample, self.workers)
        floor_busy = machine_busy(since=floor_busy)
        per_s = sent / elapsed if sent else 0.0
        per_message = 1000 / max(count, 1)
        floor_cpu = floor_sink_cpu / max(len(self.expected), 1) * 1000
        average = sum(map(len, sampled)) // max(len(sampled), 1)
        self.out.write(
            f"delivered {sent:,} summaries in {elapsed:.1f}s (average message {size // max(count, 1):,} "
            f"bytes, sample {average:,}); not sent: {dict(skipped) or 0}; unexpected message ids: "
            f"{unexpected}; CPU per message: worker {worker_cpu * per_message:.2f} ms, sink "
            f"{sink_cpu * per_message:.2f} ms (floor run {floor_cpu:.2f} ms); machine busy {busy:.0%} "
            f"(floor run {floor_busy:.0%})"
        )
        ratio = per_s / floor if floor else 0.0
        return (
            f"digest: recipients={len(self.expected)} sent={sent} per_s={per_s:.0f} "
            f"smtp_floor_per_s={floor:.0f} ratio={ratio:.2f} lost={lost} duplicates={duplicates}"
        )

"""Benchmark reminder delivery in the peak conference week of the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing (PostgreSQL only), then writes with COPY a conference
period per school class, a slot and a booked meeting per child, and the reminders to every guardian
with the right to information: ``--reminders`` of them (50,000 by default, about two per meeting), all
due now. It starts a real worker (prefork, two processes) on Redis and an SMTP sink in a process of
its own, runs the beat sweep until every reminder is sent, and checks the sink: a reminder whose
``Message-ID`` never arrived is lost, one that arrived twice a duplicate. The sink's ceiling is then
measured in the same run: as many messages, copies of those the sink received, sent straight with
``smtplib`` from two processes, one connection each. It also reports the CPU the worker and the sink
spent per message and how busy the machine was. The bench's rows are deleted at the end. The last
line is:

    reminders: sent=<n> per_s=<r> smtp_floor_per_s=<f> ratio=<r/f> queries_per_reminder=<q> \
        lost=<n> duplicates=<n>

(on one line), and the line before it the e-mail outcomes the rows record
(``email_sent=<n> email_refused=<n> email_invalid=<n>``), which must agree with the sink (a refusal
the benchmark did not ask for is a failure of the run). The worker's queries include the per-message
records of what the SMTP server accepted.
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

from children.models import Enrollment, Guardianship
from portal.benchmarks.mail import (
    cpu_seconds,
    floor_rate,
    machine_busy,
    read_messages,
    serve,
    sink_command,
    start_sink,
    start_worker,
    stop_all,
    tree_cpu_seconds,
)
from portal.demo.bulk import BulkWriter
from portal.meetings.models import BookingPeriod, Meeting, MeetingKind, Reminder, Slot
from portal.meetings.services import delivery
from portal.organisation.models import Institution, Municipality

AARHUS = "751"
TITLE = "Skole-hjem-samtaler (benchmark)"
ROOT = Path(settings.BASE_DIR)
PERIOD = [
    "id", "institution_id", "group_id", "kind", "title", "location", "video_url", "agenda", "preparation",
    "prepare_with", "booking_deadline", "slot_minutes", "created_by_id", "created_at", "published_at",
]  # fmt: skip
SLOT = ["id", "period_id", "starts_at", "ends_at", "host_id"]
MEETING = [
    "id", "kind", "style", "institution_id", "child_id", "group_id", "period_id", "slot_id", "title",
    "starts_at", "ends_at", "location", "video_url", "agenda", "preparation", "prepare_with",
    "interpreter_language", "status", "sequence", "booked_by_id", "booked_at", "cancelled_by_id",
    "cancelled_at", "attendance", "families_attended", "summary", "summary_shared_at", "created_at",
    "updated_at",
]  # fmt: skip
REMINDER = [
    "id", "meeting_id", "recipient_id", "kind", "offset_minutes", "due_at", "status", "sequence",
    "lease_until", "attempts", "sent_at", "skip_reason", "channels", "email_status", "email_detail",
    "sms_status", "sms_detail",
]  # fmt: skip
AGENDA = "Hvordan trives jeres barn i klassen?\nFaglige mål for resten af året.\nSpørgsmål fra jer."
PREPARATION = "Tal gerne med jeres barn om, hvad det er glad for i skolen, og hvad der er svært."


class Command(BaseCommand):
    help = "Time reminder delivery through a real worker and SMTP server (a benchmark, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--reminders", type=int, default=50_000)
        parser.add_argument("--workers", type=int, default=2, help="Worker processes (prefork).")
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--timeout", type=int, default=900, help="Give up after this many seconds.")
        # Scales the demo municipality down when it has to be loaded, for tests.
        parser.add_argument("--children", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--serve-sink", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, reminders, workers, batch_size, seed, timeout, children, serve_sink, **options):
        if serve_sink:
            return serve()
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (the worker shares the database).")
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise CommandError("The benchmark needs Redis: set REDIS_URL.")
        if not Municipality.objects.filter(code=AARHUS).exists():
            extra = {"children": children} if children else {}
            call_command("seed_demo", scale="municipality", stdout=self.stdout, **extra)
        cleanup()
        with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
            run = Run(self, Path(tmp), reminders=reminders, workers=workers, batch_size=batch_size)
            try:
                run.seed(random.Random(seed))
                line = run.measure(timeout)
            finally:
                run.stop()
                cleanup(journal=run.journal)
        self.stdout.write(line)


CLEANUP = [
    """DELETE FROM meetings_notification WHERE meeting_id IN (SELECT m.id FROM meetings_meeting m
       JOIN meetings_bookingperiod p ON p.id = m.period_id WHERE p.title = %s)""",
    """DELETE FROM meetings_reminder WHERE meeting_id IN (SELECT m.id FROM meetings_meeting m
       JOIN meetings_bookingperiod p ON p.id = m.period_id WHERE p.title = %s)""",
    """DELETE FROM meetings_meeting WHERE period_id IN (
       SELECT id FROM meetings_bookingperiod WHERE title = %s)""",
    """DELETE FROM meetings_slot WHERE period_id IN (
       SELECT id FROM meetings_bookingperiod WHERE title = %s)""",
    "DELETE FROM meetings_bookingperiod WHERE title = %s",
]


def cleanup(*, journal: str = "") -> None:
    """Delete the benchmark's rows (from this run or one that was interrupted) and the run's journal
    (the worker's keys, whatever the cache's key prefix: the journal's name is unique to the run)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in CLEANUP:
            cursor.execute(sql, [TITLE])
    if journal and settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(match=f"*{journal}:*", count=5000))
        for start in range(0, len(keys), 5000):
            client.delete(*keys[start : start + 5000])


class Run:
    def __init__(self, command, tmp: Path, *, reminders: int, workers: int, batch_size: int):
        self.out, self.tmp = command.stdout, tmp
        self.reminders, self.workers, self.batch_size = reminders, workers, batch_size
        self.queue = f"bench-reminders-{uuid.uuid4().hex[:12]}"
        self.journal = f"bench-journal-{uuid.uuid4().hex[:12]}"
        self.processes: list[subprocess.Popen] = []

    # -- data --------------------------------------------------------------------------------------
    @transaction.atomic
    def seed(self, rng: random.Random) -> None:
        started = time.perf_counter()
        now = timezone.now()
        municipality = Municipality.objects.get(code=AARHUS)
        places = (
            Enrollment.objects.current()
            .filter(
                institution__municipality=municipality,
                institution__kind=Institution.Kind.SCHOOL,
                group__isnull=False,
            )
            .order_by("group_id", "child_id")
            .values_list("group_id", "institution_id", "child_id")
        )
        informed: dict[int, list[int]] = {}
        for child_id, user_id in (
            Guardianship.objects.with_information()
            .filter(child__municipality=municipality)
            .order_by("child_id", "-has_custody", "user_id")
            .values_list("child_id", "user_id")
        ):
            informed.setdefault(child_id, []).append(user_id)
        writer = BulkWriter(
            tables=[(BookingPeriod, PERIOD), (Slot, SLOT), (Meeting, MEETING), (Reminder, REMINDER)]
        )
        period_ids, slot_ids = writer.ids(BookingPeriod), writer.ids(Slot)
        meeting_ids, reminder_ids = writer.ids(Meeting), writer.ids(Reminder)
        # Every reminder is made due: as if the reminders had been planned a week earlier.
        made_due = datetime.timedelta(days=7)
        today = timezone.localdate(now)
        periods: dict[int, tuple[int, datetime.datetime]] = {}
        written = 0
        for group_id, institution_id, child_id in places.iterator(chunk_size=5000):
            guardians = informed.get(child_id)
            if not guardians or written >= self.reminders:
                continue
            if group_id not in periods:
                # The conference week: each class has its day, two to six days from now.
                day = today + datetime.timedelta(days=2 + len(periods) % 5)
                first = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
                period_id = next(period_ids)
                periods[group_id] = (period_id, first)
                writer.rows(BookingPeriod).append(
                    (
                        period_id, institution_id, group_id, MeetingKind.CONFERENCE, TITLE, "Klasselokalet",
                        "", AGENDA, PREPARATION, rng.choice(["", "learning_plan"]), first, 15, None, now, now,
                    )
                )  # fmt: skip
            period_id, starts = periods[group_id]  # the class's next free quarter of an hour
            periods[group_id] = (period_id, starts + datetime.timedelta(minutes=15))
            ends = starts + datetime.timedelta(minutes=15)
            slot_id, meeting_id = next(slot_ids), next(meeting_ids)
            writer.rows(Slot).append((slot_id, period_id, starts, ends, None))
            writer.rows(Meeting).append(
                (
                    meeting_id, MeetingKind.CONFERENCE, "", institution_id, child_id, None, period_id,
                    slot_id, "", starts, ends, "Klasselokalet", "", "", "", "", "", "planned", 0,
                    guardians[0], now, None, None, "", None, "", None, now, now,
                )
            )  # fmt: skip
            # The day before to everyone told; a week before too when only one guardian is told.
            offsets = [1440] if len(guardians) > 1 else [10080, 1440]
            for user_id in guardians[:2]:
                for offset in offsets:
                    writer.rows(Reminder).append(
                        (next(reminder_ids), meeting_id, user_id, "reminder", offset,
                         starts - datetime.timedelta(minutes=offset) - made_due, "pending", 0,
                         None, 0, None, "", "", "", "", "", "")
                    )  # fmt: skip
                    written += 1
        writer.flush()
        writer.analyze()
        counts = writer.counts()
        self.expected = {
            f"<meeting-reminder-{pk}.0@{settings.MESSAGE_ID_DOMAIN}>" for pk, *_rest in writer.rows(Reminder)
        }
        self.out.write(
            f"seeded in {time.perf_counter() - started:.1f}s: periods={counts['meetings_bookingperiod']:,} "
            f"meetings={counts['meetings_meeting']:,} reminders={counts['meetings_reminder']:,}"
        )

    # -- processes ---------------------------------------------------------------------------------
    def start(self) -> None:
        sink, smtp_port, self.control_port = start_sink()
        self.processes.append(sink)
        self.query_dir = self.tmp / "queries"
        self.query_dir.mkdir()
        self.processes.append(
            start_worker(
                self.tmp,
                smtp_port=smtp_port,
                queue=self.queue,
                journal=self.journal,
                workers=self.workers,
                CELERY_QUERY_COUNT_DIR=str(self.query_dir),
            )
        )

    def stop(self) -> None:
        stop_all(self.processes, self.queue, self.out)

    def sink(self, command: str) -> str:
        return sink_command(self.control_port, command)

    # -- measuring ---------------------------------------------------------------------------------
    def measure(self, timeout: int) -> str:
        from portal.celery import app

        app.conf.task_default_queue = self.queue
        app.conf.task_always_eager = False
        self.start()
        open_rows = Reminder.objects.open().filter(meeting__period__title=TITLE)
        counter = QueryCounter()
        sink_cpu = cpu_seconds(self.processes[0].pid)
        worker_cpu = tree_cpu_seconds(self.processes[1].pid)
        busy = machine_busy()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            while True:
                # What the beat task does every minute, here as often as there is something to claim.
                delivery.reminders_sweep(batch_size=self.batch_size)
                if not open_rows.exists():
                    break
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"Gave up after {timeout} s: {open_rows.count()} reminders not sent.")
                time.sleep(1)
        elapsed = time.perf_counter() - started
        sink_cpu = cpu_seconds(self.processes[0].pid) - sink_cpu
        worker_cpu = tree_cpu_seconds(self.processes[1].pid) - worker_cpu
        busy = machine_busy(since=busy)
        sent = Reminder.objects.filter(meeting__period__title=TITLE, status=Reminder.Status.SENT).count()
        email = Counter(
            Reminder.objects.filter(meeting__period__title=TITLE).values_list("email_status", flat=True)
        )
        skipped = Counter(
            Reminder.objects.filter(meeting__period__title=TITLE)
            .exclude(status=Reminder.Status.SENT)
            .values_list("status", "skip_reason")
        )
        ids_file = self.tmp / "ids"
        self.sink(f"dump {ids_file}")
        received = Counter(ids_file.read_text().split())
        lost = len(self.expected - set(received))
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        unexpected = len(set(received) - self.expected)
        count, size = (int(v) for v in self.sink("count").split())
        average = size // max(count, 1)
        sample = self.tmp / "sample"
        self.sink(f"sample {sample}")
        worker_queries = sum(int(p.read_text() or 0) for p in self.query_dir.glob("queries.*"))
        # The bench's own polling is not the pipeline's: only the sweep's statements are counted.
        queries = worker_queries + counter.sweep
        self.stop()
        sampled = read_messages(sample)
        sampled_average = sum(map(len, sampled)) // max(len(sampled), 1)
        floor_busy = machine_busy()
        floor, floor_sink_cpu = floor_rate(len(self.expected), sample, self.workers)
        floor_busy = machine_busy(since=floor_busy)
        per_s = sent / elapsed
        per_message = 1000 / max(count, 1)
        self.out.write(
            f"delivered {sent:,} reminders in {elapsed:.1f}s (average message {average:,} bytes, "
            f"of those the floor run sent again {sampled_average:,}); "
            f"not sent: {dict(skipped) or 0}; unexpected message ids: {unexpected}; "
            f"queries: worker={worker_queries:,} sweep={counter.sweep:,}; CPU per message: "
            f"worker {worker_cpu * per_message:.2f} ms, sink {sink_cpu * per_message:.2f} ms "
            f"(floor run {floor_sink_cpu / len(self.expected) * 1000:.2f} ms); "
            f"machine busy {busy:.0%} (floor run {floor_busy:.0%})"
        )
        self.out.write(
            f"e-mail outcomes recorded: email_sent={email['sent']} email_refused={email['refused']} "
            f"email_invalid={email['invalid']}"
        )
        return (
            f"reminders: sent={sent} per_s={per_s:.0f} smtp_floor_per_s={floor:.0f} "
            f"ratio={per_s / floor:.2f} queries_per_reminder={queries / max(sent, 1):.3f} "
            f"lost={lost} duplicates={duplicates}"
        )


class QueryCounter:
    """Counts the sweep's claims; the bench's own polling (``SELECT … EXISTS``) is left out."""

    def __init__(self):
        self.sweep = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().startswith("UPDATE meetings_reminder"):
            self.sweep += 1
        return execute(sql, params, many, context)

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
import contextlib
import datetime
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from children.models import Enrollment, Guardianship
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
        sink = subprocess.Popen(
            [sys.executable, "manage.py", "bench_reminders", "--serve-sink"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.processes.append(sink)
        smtp_port, self.control_port = (int(p) for p in sink.stdout.readline().split()[1:3])
        ready = self.tmp / "ready"
        self.query_dir = self.tmp / "queries"
        self.query_dir.mkdir()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "DEBUG": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_READY_FILE": str(ready),
            "CELERY_QUERY_COUNT_DIR": str(self.query_dir),
            "MEETING_SENT_JOURNAL": self.journal,
            "SMS_BACKEND": "portal.meetings.sms.LocMemBackend",
            "LOG_LEVEL": "WARNING",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork",
             "-c", str(self.workers), "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=open(self.tmp / "worker.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(worker)
        deadline = time.monotonic() + 60
        while not ready.exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise CommandError("The worker did not start:\n" + (self.tmp / "worker.log").read_text())
            time.sleep(0.1)

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_process(process)
        self.processes.clear()
        try:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*queue_keys(self.queue))
        except Exception as exc:  # tidying up; the numbers are what matter
            self.out.write(f"could not delete the queue: {exc}")

    def sink(self, command: str) -> str:
        with socket.create_connection(("127.0.0.1", self.control_port), timeout=30) as control:
            control.sendall(command.encode() + b"\n")
            return control.makefile().readline().strip()

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


# ---------------------------------------------------------------------------------------------------
# The SMTP floor: the same messages, straight over SMTP
# ---------------------------------------------------------------------------------------------------
# A plain smtplib client in a process of its own: connects, takes copies of the messages the sink
# received in the real run (each with a Message-ID of its own), says "ready", waits for a line on
# stdin, then sends its share over its one connection. The sink's work per message depends on the
# message's lines (aiosmtpd reads DATA line by line), so the floor sends the very same bytes.
BLAST = """
import re, smtplib, sys
port, start, count = (int(a) for a in sys.argv[1:4])
data, sample, at = open(sys.argv[4], "rb").read(), [], 0
while at < len(data):  # each message behind its length (4 bytes), as read_messages reads them
    size = int.from_bytes(data[at:at + 4])
    sample.append(data[at + 4:at + 4 + size])
    at += 4 + size
message_id = re.compile(rb"^Message-ID:[^\\r\\n]*", re.IGNORECASE | re.MULTILINE)
client = smtplib.SMTP("127.0.0.1", port)
messages = [
    message_id.sub(b"Message-ID: <floor-%d@bench>" % i, sample[i % len(sample)], count=1)
    for i in range(start, start + count)
]
print("ready", flush=True)
sys.stdin.readline()
for message in messages:
    client.sendmail("no-reply@godtpaavej.localhost", ["guardian@example.test"], message)
client.quit()
"""


def read_messages(path: Path) -> list[bytes]:
    """The messages in a file the sink wrote: each behind its length in 4 bytes."""
    data, messages, at = path.read_bytes(), [], 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4])
        messages.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return messages


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """Ask a process to stop (a worker finishes its task first), then make it."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def queue_keys(queue: str) -> list[str]:
    """The Redis keys kombu keeps for a queue: its lists (one per priority) and its bindings."""
    return [
        queue,
        *(f"{queue}\x06\x16{p}" for p in (3, 6, 9)),
        f"_kombu.binding.{queue}",
        f"_kombu.binding_permanent.{queue}",
    ]


def database_url(db: dict) -> str:
    """The URL of the database this process uses (the test database in tests), for the worker."""
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (Linux), for the sink's cost per message."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the worker and its pool)."""
    children = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
    return cpu_seconds(pid) + sum(tree_cpu_seconds(c) for c in children)


def machine_busy(since: tuple[int, int] | None = None):
    """The jiffies all cores were busy and in total (Linux ``/proc/stat``), or, given an earlier
    reading, the share of the time since then that the cores were busy."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, total = values[3] + values[4], sum(values)
    if since is None:
        return idle, total
    return 1 - (idle - since[0]) / max(total - since[1], 1)


def floor_rate(total: int, sample: Path, processes: int) -> tuple[float, float]:
    """Messages per second the sink takes from ``processes`` plain smtplib clients sending copies of
    the ``sample`` messages, and the sink's CPU seconds for them."""
    sink = subprocess.Popen(
        [sys.executable, "manage.py", "bench_reminders", "--serve-sink"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port, control = (int(p) for p in sink.stdout.readline().split()[1:3])
        share = -(-total // processes)
        jobs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    BLAST,
                    str(port),
                    str(i * share),
                    str(min(share, total - i * share)),
                    str(sample),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(processes)
        ]
        for job in jobs:
            job.stdout.readline()  # connected, messages written
        sink_cpu = cpu_seconds(sink.pid)
        started = time.perf_counter()
        for job in jobs:
            job.stdin.write("go\n")
            job.stdin.flush()
        for job in jobs:
            job.wait()
        elapsed = time.perf_counter() - started
        with socket.create_connection(("127.0.0.1", control), timeout=30) as sock:
            sock.sendall(b"count\n")
            received = int(sock.makefile().readline().split()[0])
        if received != total:
            raise CommandError(f"The floor run delivered {received} of {total} messages.")
        return total / elapsed, cpu_seconds(sink.pid) - sink_cpu
    finally:
        sink.terminate()
        sink.wait()


# ---------------------------------------------------------------------------------------------------
# The sink (``--serve-sink``): an aiosmtpd server that counts messages and records their Message-IDs
# ---------------------------------------------------------------------------------------------------
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
SAMPLE = 500  # messages the sink keeps, drawn from all it received, for the floor run to send again


def serve() -> None:
    import asyncio
    import logging

    from aiosmtpd.smtp import SMTP

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    state = {"count": 0, "bytes": 0, "ids": [], "sample": []}
    sampler = random.Random(SAMPLE)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            content = envelope.original_content or envelope.content
            head = content[: content.find(b"\r\n\r\n")]
            match = MESSAGE_ID.search(head)
            state["ids"].append(match.group(1) if match else b"-")
            state["count"] += 1
            state["bytes"] += len(content)
            # A uniform sample of everything received (reservoir sampling), for the floor run.
            if len(state["sample"]) < SAMPLE:
                state["sample"].append(content)
            elif (slot := sampler.randrange(state["count"])) < SAMPLE:
                state["sample"][slot] = content
            return "250 OK"

    async def control(reader, writer):
        command = (await reader.readline()).decode().split()
        if command and command[0] == "count":
            writer.write(f"{state['count']} {state['bytes']}\n".encode())
        elif command and command[0] == "dump":
            Path(command[1]).write_bytes(b"\n".join(state["ids"]) + b"\n")
            writer.write(b"ok\n")
        elif command and command[0] == "sample":
            Path(command[1]).write_bytes(b"".join(len(m).to_bytes(4) + m for m in state["sample"]))
            writer.write(b"ok\n")
        await writer.drain()
        writer.close()

    async def main():
        loop = asyncio.get_running_loop()
        smtp = await loop.create_server(lambda: SMTP(Handler(), hostname="sink"), "127.0.0.1", 0)
        ctl = await asyncio.start_server(control, "127.0.0.1", 0)
        print("ports", smtp.sockets[0].getsockname()[1], ctl.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())

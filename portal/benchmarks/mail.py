"""What the mail benchmarks share (``bench_reminders``, ``bench_digest``): a local SMTP sink in a process
of its own that records every ``Message-ID``, the sink's own ceiling measured with plain ``smtplib``
clients sending copies of what it received, and the CPU and process helpers around them."""

import contextlib
import os
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError

ROOT = Path(settings.BASE_DIR)
SINK_COMMAND = [sys.executable, "manage.py", "bench_reminders", "--serve-sink"]


def start_sink() -> tuple[subprocess.Popen, int, int]:
    """The sink in a process of its own: (process, SMTP port, control port)."""
    sink = subprocess.Popen(SINK_COMMAND, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    smtp_port, control_port = (int(p) for p in sink.stdout.readline().split()[1:3])
    return sink, smtp_port, control_port


def sink_command(control_port: int, command: str) -> str:
    with socket.create_connection(("127.0.0.1", control_port), timeout=30) as control:
        control.sendall(command.encode() + b"\n")
        return control.makefile().readline().strip()


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
    sink, port, control = start_sink()
    try:
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


# ---------------------------------------------------------------------------------------------------
# The worker the benchmarks measure: prefork on Redis, sharing this process's database
# ---------------------------------------------------------------------------------------------------
def start_worker(
    tmp: Path, *, smtp_port: int, queue: str, journal: str, workers: int, **env
) -> subprocess.Popen:
    """A Celery worker (prefork, ``workers`` processes) on its own queue and journal, sending to the
    sink, started and ready; its output goes to ``tmp/worker.log``. ``env`` adds settings."""
    from django.db import connection

    ready = tmp / "ready"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEBUG": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_READY_FILE": str(ready),
        "MEETING_SENT_JOURNAL": journal,
        "NOTICE_QUIET_HOURS": "",  # everything the bench makes is due now, whatever the hour of the run
        "SMS_BACKEND": "portal.meetings.sms.LocMemBackend",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork",
         "-c", str(workers), "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=WARNING"],
        cwd=ROOT,
        env=environment,
        stdout=open(tmp / "worker.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not ready.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            stop_process(worker)
            raise CommandError("The worker did not start:\n" + (tmp / "worker.log").read_text())
        time.sleep(0.1)
    return worker


def stop_all(processes: list[subprocess.Popen], queue: str, out) -> None:
    """Stop the bench's processes (the last started first) and delete its queue in the broker."""
    for process in reversed(processes):
        stop_process(process)
    processes.clear()
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*queue_keys(queue))
    except Exception as exc:  # tidying up; the numbers are what matter
        out.write(f"could not delete the queue: {exc}")

"""Run the whole portal for development: the web server, a Celery worker and Celery beat.

``make run`` ends here. Each part is a child process in its own session, so Ctrl-C reaches only this
command, which then stops the parts in order: SIGTERM to each, a grace period, then SIGKILL to whatever
is left in its process group (the dev server's auto-reloader child, the worker's pool). If any part
dies, the others are stopped and the command exits non-zero: a web server without its worker would
quietly never send an invitation.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 10  # seconds the parts get, together, to finish before they are killed


class Command(BaseCommand):
    help = "Run the development web server, a Celery worker and Celery beat until Ctrl-C."

    requires_system_checks = []  # runserver runs them; doing it twice only slows the start

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Port for the web server on 127.0.0.1 (default: $PORT or 8000).",
        )

    def handle(self, *, port, **options):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "portal"]
        parts = {
            "web": [python, str(settings.BASE_DIR / "manage.py"), "runserver", f"127.0.0.1:{port}"],
            "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [
                *celery,
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(settings.CELERY_BEAT_SCHEDULE_FILENAME),
            ],
        }

        stop_signal = []
        # Before the first child starts, so an early Ctrl-C still stops what has started.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stop_signal.append(signum))

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        children = {}
        failed = None
        try:
            for name, argv in parts.items():
                children[name] = subprocess.Popen(
                    argv, cwd=settings.BASE_DIR, env=env, stdin=subprocess.DEVNULL, start_new_session=True
                )
            self.banner(port)
            while not stop_signal and failed is None:
                time.sleep(0.2)
                failed = next((name for name, child in children.items() if child.poll() is not None), None)
        finally:
            self.stop(children)

        if failed:
            returncode = children[failed].returncode
            raise CommandError(
                f"The {failed} process exited with status {returncode}; stopped the others.",
                returncode=returncode if returncode and returncode > 0 else 1,
            )
        self.stdout.write("Stopped the web server, worker and beat.")

    def banner(self, port):
        mailer = settings.MAILERS["default"]
        mail = (
            f"Mail is written to {mailer['OPTIONS']['file_path']}/."
            if mailer["BACKEND"].endswith("filebased.EmailBackend")
            else f"Mail goes out through {mailer['BACKEND']}."
        )
        self.stdout.write(
            "\n".join(
                [
                    "",
                    self.style.SUCCESS(f"Godt på vej: http://127.0.0.1:{port}/"),
                    "  Log in as anna@demo.test / godtpaavej-demo (parent), carla@demo.test (pedagogue),"
                    " erik@demo.test (administrator).",
                    "  Staff need an authenticator code: run `.venv/bin/python manage.py demo_totp`.",
                    f"  {mail}",
                    "  Ctrl-C stops the web server, the Celery worker and Celery beat.",
                    "",
                ]
            )
        )

    def stop(self, children):
        """Stop every child: SIGTERM, wait up to STOP_TIMEOUT in all, then SIGKILL its process group."""
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {name} process did not stop within {STOP_TIMEOUT} s; killing it.")
            # The group outlives its leader when the leader dies first (the dev server's reloader child).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()

"""The worker CPU each main page costs, against a minimal logged-in page, as production serves them.

Run it on a database for benchmarks (PostgreSQL and Redis) with the municipality scale
(``seed_demo --scale municipality``). To see how pages grow with the data, name a second database on the
same server with the small demo: ``--against godtpaavej_small`` serves it too, from a second gunicorn,
and asks its pages in the same interleaved rounds, so that both scales meet the same load on the machine
(``--save`` / ``--baseline`` compare with an earlier run instead). A page's growth is its worker CPU on
the municipality over its worker CPU on the small demo, in the same run; against an earlier run, its
ratio to its own run's floor over the earlier ratio. It first adds, once, what a year of
use adds to each (``portal.benchmarks.data``): a review round with agreements, conference meetings and
an access log, so do not run it on a database people use.

It starts gunicorn with two sync workers on production settings (``DJANGO_ENV=production``, the
database and Redis this command uses, the benchmark's URLconf with the floor page added) and signs
people in with sessions as after password and MFA. Pages are requested in interleaved rounds: each
round asks every page, the floor included, ``--requests`` times, in a shuffled order. A page's worker CPU
is the CPU time both workers used during its requests (``/proc/<pid>/task/*/schedstat``, nanoseconds)
divided by their number; the figure is the median over the rounds. Its queries come from the worker
(an ``X-Queries`` header). The last line is::

    pages: pages=<n> worst_page=<name> worst_cpu_ms=<x> floor_cpu_ms=<f> worst_ratio=<x/f>
"""

import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from children.models import Child, Enrollment, Guardianship
from expectations.models import ExpectationAgreement, ReviewRound
from portal.benchmarks import data
from portal.meetings.models import Meeting
from portal.organisation.models import MunicipalAdministrator, Municipality, StaffMembership

AARHUS = "751"
# Above this many children the database holds the municipality scale, not the small demo.
MUNICIPALITY_SCALE = 10_000
APP_NAME = "bench-pages"  # the workers' PostgreSQL application_name


@dataclass
class Page:
    name: str
    user: object
    url: str
    cookie: str = ""
    status: int = 0
    queries: int = 0
    cpu_ms: list = field(default_factory=list)
    wall_ms: list = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_ms)


FAMILY_SIZE = 2


def pages_for(municipality) -> list[Page]:
    """The main pages of each role, for people chosen by the data: among the parents of two children
    with an agreement, the one with the most children with a meeting; the teacher and leader of their
    child with a meeting, and the municipality's administrator. A family of the same size at every
    scale, so that a page's growth says what the municipality's size costs, not a larger family's."""
    agreement = ExpectationAgreement.objects.exclude(status="draft").filter(child=OuterRef("child"))
    meeting = Meeting.objects.filter(child=OuterRef("child"))
    family = (
        Guardianship.objects.active()
        .filter(has_custody=True, child__municipality=municipality)
        .filter(Exists(agreement))
        .values("user")
        .annotate(meetings=Count("child", filter=Exists(meeting)), n=Count("child"))
        .filter(n=FAMILY_SIZE)
        .order_by("-meetings", "user")
        .first()
    )
    if family is None:
        raise CommandError(f"No parent of {FAMILY_SIZE} children with an agreement in this municipality.")
    parent = family["user"]
    # Their child with a meeting where there is one, so that the teacher has meetings at every scale.
    child = (
        Child.objects.filter(guardianships__user=parent, guardianships__ended_on__isnull=True)
        .filter(Exists(ExpectationAgreement.objects.exclude(status="draft").filter(child=OuterRef("pk"))))
        .filter(Exists(Enrollment.objects.current().filter(child=OuterRef("pk"), group__isnull=False)))
        .annotate(has_meeting=Exists(Meeting.objects.filter(child=OuterRef("pk"))))
        .order_by("-has_meeting", "pk")
        .first()
    )
    agreement = (
        ExpectationAgreement.objects.exclude(status="draft").filter(child=child).order_by("pk").first()
    )
    enrollment = Enrollment.objects.current().filter(child=child, group__isnull=False).order_by("pk").first()
    memberships = StaffMembership.objects.active().filter(institution_id=enrollment.institution_id)
    teacher = memberships.filter(groups=enrollment.group_id).exclude(role="leader").order_by("pk").first()
    leader = memberships.filter(role="leader").order_by("pk").first()
    admin = MunicipalAdministrator.objects.filter(municipality=municipality).order_by("pk").first()
    review = ReviewRound.objects.filter(municipality=municipality).order_by("-period_end", "-pk").first()
    if not (teacher and leader and admin and review):
        raise CommandError("The municipality lacks a teacher, a leader, an administrator or a review round.")
    parent = Guardianship.objects.filter(user=parent).select_related("user").first().user
    return [
        Page("parent_home", parent, reverse("children:parent_home")),
        Page("parent_child", parent, reverse("children:child_detail", args=[child.pk])),
        Page("parent_child_access_log", parent, reverse("children:access_log", args=[child.pk])),
        Page("parent_agreement", parent, reverse("expectations:agreement_detail", args=[agreement.pk])),
        Page("parent_meetings", parent, reverse("meetings:my_meetings")),
        Page("staff_home", teacher.user, reverse("children:staff_home")),
        Page("staff_child", teacher.user, reverse("children:child_detail", args=[child.pk])),
        Page("staff_group", teacher.user, reverse("children:group_detail", args=[enrollment.group_id])),
        Page("staff_meetings", teacher.user, reverse("meetings:staff_meetings")),
        Page("leader_home", leader.user, reverse("children:staff_home")),
        Page(
            "leader_institution",
            leader.user,
            reverse("organisation:institution_detail", args=[enrollment.institution_id]),
        ),
        Page("admin_home", admin.user, reverse("organisation:admin_home")),
        Page("admin_institutions", admin.user, reverse("organisation:institution_list")),
        Page("admin_access_log", admin.user, reverse("organisation:audit_search")),
        Page("admin_review_report", admin.user, reverse("expectations:review_report", args=[review.pk])),
    ]


def session_cookie(user, secret_key: str) -> str:
    """A session as after password and MFA at login, signed with the server's key."""
    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        client.force_login(user)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return session.session_key


def time_pages(server, pages, rounds: int, requests: int, rng) -> None:
    """Sign each page's person in, warm the workers, then ask the pages in shuffled rounds and keep each
    request's wall time on its page (``wall_ms``) and its query count (the benchmarks of one feature)."""
    cookies = {}
    for page in pages:
        if page.user.pk not in cookies:
            cookies[page.user.pk] = session_cookie(page.user, server.secret_key)
        page.cookie = cookies[page.user.pk]
        for _ in range(3):  # warm: the workers' first requests load templates and catalogues
            page.status, page.queries = server.get(page.url, page.cookie)
        if page.status != 200:
            raise CommandError(f"{page.name} {page.url} answered {page.status}.")
    for _ in range(rounds):
        order = pages[:]
        rng.shuffle(order)
        for page in order:
            for _ in range(requests):
                started = time.perf_counter()
                status, page.queries = server.get(page.url, page.cookie)
                page.wall_ms.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise CommandError(f"{page.name} {page.url} answered {status}.")


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def on_database(name: str | None):
    """The default connection on another database of the same server while the block runs."""
    if not name:
        yield
        return
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    with suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu_ns(pids: list[int]) -> int:
    """CPU time of the processes, all their threads, in nanoseconds (the scheduler's own accounting)."""
    total = 0
    for pid in pids:
        with suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
    return total


class Server:
    """gunicorn with two sync workers on production settings and the benchmark's URLconf."""

    def __init__(self, tmp: Path, workers: int, name: str = APP_NAME):
        self.tmp, self.workers, self.port, self.name = tmp, workers, free_port(), name
        self.tmp.mkdir(exist_ok=True)
        self.secret_key = secrets.token_urlsafe(60)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.benchmarks.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "MFA_ENCRYPTION_KEYS": ",".join(settings.MFA_ENCRYPTION_KEYS) or Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": "smtp://127.0.0.1:1",
            "STATIC_ROOT": str(Path(settings.BASE_DIR, "var", "bench-static")),
            "LOG_LEVEL": "WARNING",
            "PGAPPNAME": name,
        }
        self.process = None

    def start(self) -> None:
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.env,
            cwd=settings.BASE_DIR,
            check=True,
        )
        self.log = open(self.tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [python, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "sync", "--preload"],
            env=self.env, cwd=settings.BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn stopped: {(self.tmp / 'gunicorn.log').read_text()[-2000:]}")
            workers = children_of(self.process.pid)
            if len(workers) == self.workers and self._answers():
                self.worker_pids = workers
                return
            time.sleep(0.2)
        raise CommandError("gunicorn did not start within a minute.")

    def _answers(self) -> bool:
        try:
            return self.get("/healthz", "")[0] == 200
        except OSError:
            return False

    def get(self, url: str, cookie: str) -> tuple[int, int]:
        """Status and the worker's query count of one request, as if over https through the proxy."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "da"}
            if cookie:
                headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status, int(response.getheader("X-Queries") or 0)
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "log", None):
            self.log.close()
        # The workers' connections end with them; wait until PostgreSQL has noticed.
        for _ in range(50):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [self.name]
                )
                if not cursor.fetchone()[0]:
                    return
            time.sleep(0.1)


@dataclass
class Scale:
    """One database's municipality, its pages and the server that serves them."""

    database: str | None  # None: the command's own database
    name: str = ""
    children: int = 0
    pages: list = field(default_factory=list)
    server: Server | None = None

    @property
    def floor(self) -> Page:
        return self.pages[0]

    @property
    def measured(self) -> list:
        return self.pages[1:]


class Command(BaseCommand):
    help = "Worker CPU, queries and time of the main pages against a one-query floor (a benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=11, help="Interleaved rounds (default 11).")
        parser.add_argument("--requests", type=int, default=10, help="Requests per page and round.")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--against",
            metavar="DATABASE",
            help="Another database on the same server (the small demo), served and asked in the same rounds.",
        )
        parser.add_argument("--save", help="Write the figures to this JSON file.")
        parser.add_argument("--baseline", help="A JSON file from --save (the small demo) to compare with.")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, rounds, requests, workers, against, save, baseline, seed, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "bench_pages measures production: set DATABASE_URL (PostgreSQL) and REDIS_URL."
            )
        if against and baseline:
            raise CommandError("Compare with --against or with --baseline, not both.")
        scales = [Scale(None), *([Scale(against)] if against else [])]
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
            try:
                for number, scale in enumerate(scales):
                    self._prepare(scale, Path(tmp, str(number)), workers, seed)
                self._measure(scales, rounds, requests, random.Random(seed))
            finally:
                for scale in scales:
                    if scale.server:
                        with on_database(scale.database):
                            scale.server.stop()
        main = scales[0]
        if against:
            self._table(scales[1], {})
            previous = {p.name: {"cpu_ms": p.cpu, "same_run": True} for p in scales[1].pages}
        else:
            previous = json.loads(Path(baseline).read_text())["pages"] if baseline else {}
        self._report(main, previous, save)

    def _prepare(self, scale, tmp, workers, seed) -> None:
        """Add the year of use, choose the people and pages, start the server and sign the people in."""
        with on_database(scale.database):
            municipality = Municipality.objects.filter(code=AARHUS).first()
            if municipality is None:
                raise CommandError(
                    "No data: run `manage.py seed_demo --scale municipality` (or small) first"
                    + (f" on {scale.database}." if scale.database else ".")
                )
            scale.children = Child.objects.filter(municipality=municipality).count()
            scale.name = "municipality" if scale.children > MUNICIPALITY_SCALE else "small"
            # The same year of use on both scales, so that a page's growth is the data's size alone.
            data.review_round(municipality, self.stdout, seed=seed)
            data.meetings(municipality, self.stdout)
            data.access_events(municipality, self.stdout, seed=seed)
            pages = pages_for(municipality)
            floor = Page("floor", pages[0].user, reverse("bench_floor", urlconf="portal.benchmarks.urls"))
            scale.pages = [floor, *pages]
            scale.server = Server(tmp, workers, f"{APP_NAME}-{tmp.name}")
            scale.server.start()
            cookies = {}
            for page in scale.pages:
                if page.user.pk not in cookies:
                    cookies[page.user.pk] = session_cookie(page.user, scale.server.secret_key)
                page.cookie = cookies[page.user.pk]
        for page in scale.pages:
            for _ in range(3):  # warm: the workers' first requests load templates and catalogues
                page.status, page.queries = scale.server.get(page.url, page.cookie)
            if page.status != 200:
                raise CommandError(f"{page.name} {page.url} answered {page.status}.")

    def _measure(self, scales, rounds, requests, rng) -> None:
        asked = [(scale.server, page) for scale in scales for page in scale.pages]
        for _ in range(rounds):
            order = asked[:]
            rng.shuffle(order)
            for server, page in order:
                before, started = cpu_ns(server.worker_pids), time.perf_counter()
                for _ in range(requests):
                    status, page.queries = server.get(page.url, page.cookie)
                    if status != 200:
                        raise CommandError(f"{page.name} {page.url} answered {status}.")
                page.wall_ms.append((time.perf_counter() - started) * 1000 / requests)
                page.cpu_ms.append((cpu_ns(server.worker_pids) - before) / 1e6 / requests)

    def _table(self, scale, previous) -> dict:
        """Print the scale's pages; return each page's growth against ``previous``: its worker CPU
        against the same run's (the other server was asked in the same rounds), else its ratio to the
        floor against an earlier run's ratio (the machine's load may have differed)."""
        self.stdout.write(f"scale={scale.name} children={scale.children:,}")
        self.stdout.write(
            f"{'page':26} {'queries':>7} {'median_ms':>9} {'cpu_ms':>7} {'ratio':>6}"
            + (f" {'growth':>7}" if previous else "")
        )
        growth = {}
        for page in scale.pages:
            ratio = page.cpu / scale.floor.cpu
            line = f"{page.name:26} {page.queries:>7} {page.wall:>9.1f} {page.cpu:>7.2f} {ratio:>6.1f}"
            if page.name in previous:
                before = previous[page.name]
                growth[page.name] = (
                    page.cpu / before["cpu_ms"] if before.get("same_run") else ratio / before["ratio"]
                )
                line += f" {growth[page.name]:>6.2f}x"
            self.stdout.write(line)
        return growth

    def _report(self, scale, previous, save) -> None:
        growth = self._table(scale, previous)
        floor = scale.floor
        if save:
            Path(save).write_text(
                json.dumps(
                    {
                        "scale": scale.name,
                        "floor_cpu_ms": floor.cpu,
                        "pages": {
                            p.name: {"queries": p.queries, "cpu_ms": p.cpu, "ratio": p.cpu / floor.cpu}
                            for p in scale.pages
                        },
                    },
                    indent=2,
                )
            )
        if growth:
            growth.pop("floor", None)
            name = max(growth, key=growth.get)
            self.stdout.write(f"growth: worst_page={name} worst_growth={growth[name]:.2f}")
        worst = max(scale.measured, key=lambda p: p.cpu)
        self.stdout.write(
            f"pages: pages={len(scale.measured)} worst_page={worst.name} worst_cpu_ms={worst.cpu:.2f} "
            f"floor_cpu_ms={floor.cpu:.2f} worst_ratio={worst.cpu / floor.cpu:.1f}"
        )

"""Time the main pages as real people see them, on whatever data the database holds.

Run it on the benchmark municipality: ``seed_demo --scale municipality`` and then ``bench_pages``.
Each line gives the page, its number of queries (the same whatever the data size, by design) and the
median time of a few warm requests through Django's test client (no network, no browser).
"""

import statistics
import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from children.models import Guardianship
from portal.accounts.models import User
from portal.organisation.models import MunicipalAdministrator, StaffMembership


def _login(client, user):
    """A session as after password and MFA at login."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


class Command(BaseCommand):
    help = "Queries and median time of the main pages for a parent, a teacher, a leader and an administrator."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)

    def handle(self, *args, repeat, **options):
        admin = MunicipalAdministrator.objects.select_related("user").order_by("pk").first()
        family = Guardianship.objects.values("user").annotate(n=Count("child")).order_by("-n", "user").first()
        leader = StaffMembership.objects.active().filter(role="leader").order_by("pk").first()
        teacher = (
            StaffMembership.objects.active()
            .filter(role="teacher", groups__isnull=False)
            .order_by("pk")
            .first()
        )
        if not (admin and family and leader and teacher):
            raise CommandError("No data: run `manage.py seed_demo --scale municipality` first.")
        parent = User.objects.get(pk=family["user"])
        group = teacher.groups.order_by("pk").first()
        pages = [
            (f"parent ({family['n']} children)", parent, "/family/"),
            ("teacher", teacher.user, "/staff/"),
            ("teacher", teacher.user, f"/groups/{group.pk}/"),
            ("leader", leader.user, f"/institutions/{leader.institution_id}/"),
            ("administrator", admin.user, "/municipality/"),
            ("administrator", admin.user, "/municipality/institutions/"),
            ("administrator", admin.user, "/municipality/access-log/"),
        ]
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for who, user, url in pages:
                client = Client()
                _login(client, user)
                client.get(url)
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                self.stdout.write(
                    f"{who:24} {url:30} status={response.status_code} queries={len(queries)} "
                    f"median_ms={statistics.median(times):.0f}"
                )

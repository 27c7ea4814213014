"""Benchmark the learning plan pages on the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing, then (once, ``portal.benchmarks.plans``) a plan for every
child's current daycare or school place: goals or focus points with their history, staff's notes, the
parents' comments and what they see at home, two published versions and the read receipts, all written
with COPY. It then serves the pages as ``bench_pages`` does (gunicorn, two sync workers, production
settings, the database and Redis this command uses) and asks, in interleaved rounds, a pupil's plan as
their teacher sees it (the draft, with who has read the latest version), the same plan as the parent
reads it, and the teacher's group overview of the class of 30 (the fullest class with a teacher). The
queries are counted in the worker. The last line is::

    plans: queries_child=<n> queries_group=<n> median_ms_child=<ms> median_ms_group=<ms> children=<n>

There is no room for evidence metadata yet: plans have no attachments.
"""

import random
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse

from children.models import Child, Enrollment, Guardianship, LearningPlan
from portal.benchmarks import plans as plan_data
from portal.management.commands.bench_pages import Page, Server, time_pages
from portal.organisation.models import Group, Institution, Municipality, StaffMembership

AARHUS = "751"
CLASS_SIZE = 30


def class_and_people(municipality):
    """The fullest school class of at most 30 with a teacher (not a leader) and a pupil with a plan and a
    parent with custody: the class, its teacher, the pupil's plan and the parent."""
    pupils = (
        Enrollment.objects.current()
        .filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    teachers = StaffMembership.objects.active().exclude(role="leader")
    groups = (
        Group.objects.filter(
            institution__municipality=municipality, institution__kind=Institution.Kind.SCHOOL
        )
        .filter(pk__in=teachers.values("groups"))
        .annotate(pupils=Subquery(pupils, output_field=IntegerField()))
        .filter(pupils__lte=CLASS_SIZE)
        .order_by("-pupils", "pk")
    )
    for group in groups[:20]:
        teacher = teachers.filter(groups=group).select_related("user").order_by("pk").first()
        plan = (
            LearningPlan.objects.filter(
                institution_id=group.institution_id,
                child__enrollments__group=group,
                child__guardianships__has_custody=True,
                child__guardianships__ended_on__isnull=True,
                published_number__gt=0,
            )
            .order_by("child__first_name", "pk")
            .first()
        )
        if teacher and plan:
            parent = (
                Guardianship.objects.active()
                .filter(child_id=plan.child_id, has_custody=True)
                .select_related("user")
                .order_by("pk")
                .first()
                .user
            )
            return group, teacher.user, plan, parent
    raise CommandError("No school class with a teacher and a published pupil plan in this municipality.")


class Command(BaseCommand):
    help = "Queries and time of the plan page and a class's plan overview (a benchmark, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7, help="Interleaved rounds (default 7).")
        parser.add_argument("--requests", type=int, default=10, help="Requests per page and round.")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, rounds, requests, workers, seed, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "bench_plans measures production: set DATABASE_URL (PostgreSQL) and REDIS_URL."
            )
        if not Municipality.objects.filter(code=AARHUS).exists():
            call_command("seed_demo", scale="municipality", stdout=self.stdout)
        municipality = Municipality.objects.get(code=AARHUS)
        plan_data.plans(municipality, self.stdout, seed=seed)
        group, teacher, plan, parent = class_and_people(municipality)
        pages = [
            Page("child", teacher, reverse("children:plan_detail", args=[plan.pk])),
            Page("group", teacher, reverse("children:group_plans", args=[group.pk])),
            Page("parent_child", parent, reverse("children:plan_detail", args=[plan.pk])),
        ]
        with tempfile.TemporaryDirectory(prefix="bench-plans-") as tmp:
            server = Server(Path(tmp), workers)
            try:
                server.start()
                time_pages(server, pages, rounds, requests, random.Random(seed))
            finally:
                server.stop()
        children = Child.objects.filter(municipality=municipality).count()
        entries = plan.goals.count() + plan.focus_points.count()
        self.stdout.write(
            f"plans={LearningPlan.objects.filter(institution__municipality=municipality).count()} "
            f"class_pupils={group.pupils} plan_entries={entries} plan_notes={plan.notes.count()}"
        )
        self.stdout.write(f"{'page':14} {'queries':>7} {'median_ms':>9}")
        for page in pages:
            self.stdout.write(f"{page.name:14} {page.queries:>7} {page.wall:>9.1f}")
        child, overview = pages[0], pages[1]
        self.stdout.write(
            f"plans: queries_child={child.queries} queries_group={overview.queries} "
            f"median_ms_child={child.wall:.0f} median_ms_group={overview.wall:.0f} children={children}"
        )

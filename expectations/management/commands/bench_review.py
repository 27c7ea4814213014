"""Benchmark the municipality's review figures on the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing, then (once, ``portal.benchmarks.data.review_round``) an
agreement in force for most children's current places, three commitments each, acceptances by the
custody holders and parents' survey answers, all written with COPY. It then computes the review
figures a number of times and prints, as its last line:

    review: queries=<n> median_ms=<ms> children=<n>
"""

import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child
from expectations.selectors.review_figures import review_figures
from portal.benchmarks import data
from portal.organisation.models import Municipality

AARHUS = "751"


class Command(BaseCommand):
    help = "Time the review figures of the Aarhus-sized demo municipality (a benchmark, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, repeat, seed, **options):
        if not Municipality.objects.filter(code=AARHUS).exists():
            call_command("seed_demo", scale="municipality", stdout=self.stdout)
        municipality = Municipality.objects.get(code=AARHUS)
        review = data.review_round(municipality, self.stdout, seed=seed)
        review_figures(review)  # warm caches and connections
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                figures = review_figures(review)
            times.append((time.perf_counter() - start) * 1000)
        total = figures.municipality
        children = Child.objects.filter(municipality=municipality).count()
        self.stdout.write(
            f"children_with_a_place={total.children} places={total.places} agreements={total.agreements} "
            f"commitments={total.commitments} answers={total.answers} "
            f"institutions={len(figures.institutions)} "
            f"share_of_children_with_agreement={total.share_with_agreement}%"
        )
        median_ms = statistics.median(times)
        self.stdout.write(f"review: queries={len(queries)} median_ms={median_ms:.0f} children={children}")

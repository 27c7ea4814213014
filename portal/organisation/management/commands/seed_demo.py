"""``manage.py seed_demo``: load demo data into a development or benchmark database."""

import argparse
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import municipality, shape, small


class Command(BaseCommand):
    help = (
        "Load demo data. --scale small (the default) adds the named demo logins in Aarhus and Skanderborg; "
        "--scale municipality adds an Aarhus-sized data set and two neighbours for benchmarks. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "municipality"], default="small")
        parser.add_argument(
            "--seed", type=int, default=2017, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Load the small demo as if today were this date (YYYY-MM-DD), e.g. to see it at Christmas.",
        )
        # Scales the municipality data set down, for tests.
        parser.add_argument("--children", type=int, default=shape.FULL_CHILDREN, help=argparse.SUPPRESS)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load published demo logins even with DJANGO_ENV=production.",
        )

    def handle(self, *, scale, seed, today, children, allow_production, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError("Refusing to load demo logins with published passwords into production.")
        started = time.monotonic()
        if scale == "small":
            if small.seed(seed=seed, today=today):
                self.stdout.write(self.style.SUCCESS(f"Loaded the small demo (seed {seed})."))
            else:
                self.stdout.write("The small demo is already loaded; nothing changed.")
            self.stdout.write("")
            self.stdout.write(small.logins_table())
            return
        counts = municipality.seed(seed=seed, children=children)
        if counts is None:
            self.stdout.write("The municipality demo is already loaded; nothing changed.")
            return
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the municipality demo (seed {seed}) in {elapsed:.1f} s:")
        )
        for label, count in counts.items():
            self.stdout.write(f"  {label:<36} {count:>9,}")

"""Benchmark the municipality's review figures on the Aarhus-sized demo municipality.

Loads the municipality scale if it is missing, then (once) an agreement in force for most children's
current places, three commitments each with their follow-up, acceptances by the custody holders and
parents' survey answers, all written with COPY. It then computes the review figures a number of
times and prints, as its last line:

    review: queries=<n> median_ms=<ms> children=<n>
"""

import datetime
import random
import statistics
import time
import uuid

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship
from expectations.models import (
    AgreementAcceptance,
    Commitment,
    ExpectationAgreement,
    ReviewRound,
    SatisfactionAnswer,
)
from expectations.selectors.reviews import review_figures
from expectations.services.reviews import review_round_create
from portal.demo.municipality import BulkWriter
from portal.organisation.models import Municipality

AARHUS = "751"
ROUND_TITLE = "Forventningsafstemning 2026 (benchmark)"
AGREEMENT = [
    "id",
    "child_id",
    "institution_id",
    "status",
    "revision",
    "starts_on",
    "review_due_on",
    "preferred_language",
    "interpreter_wanted",
    "contact_form",
    "contact_frequency",
    "guidance_topics",
    "care_topics_wanted",
    "family_words",
    "extra_support",
    "created_at",
    "updated_at",
    "proposed_at",
    "agreed_at",
]
COMMITMENT = [
    "id",
    "agreement_id",
    "side",
    "text",
    "who",
    "how_often",
    "position",
    "progress",
    "progress_note",
    "progress_at",
]
ACCEPTANCE = ["id", "agreement_id", "user_id", "role", "revision", "accepted_at"]
ANSWER = ["id", "round_id", "institution_id", "clear", "equal", "concrete", "comment"]


class Command(BaseCommand):
    help = "Time the review figures of the Aarhus-sized demo municipality (a benchmark, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, repeat, seed, **options):
        if not Municipality.objects.filter(code=AARHUS).exists():
            call_command("seed_demo", scale="municipality", stdout=self.stdout)
        municipality = Municipality.objects.get(code=AARHUS)
        review = ReviewRound.objects.filter(municipality=municipality, title=ROUND_TITLE).first()
        if review is None:
            review = self._seed(municipality, random.Random(seed))
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

    @transaction.atomic
    def _seed(self, municipality, rng):
        started = time.perf_counter()
        today = timezone.localdate()
        now = timezone.now()
        review = review_round_create(
            municipality=municipality,
            title=ROUND_TITLE,
            period_start=today - datetime.timedelta(days=365),
            period_end=today,
            created_by=None,
        )
        writer = BulkWriter(
            tables=[
                (ExpectationAgreement, AGREEMENT),
                (Commitment, COMMITMENT),
                (AgreementAcceptance, ACCEPTANCE),
                (SatisfactionAnswer, ANSWER),
            ]
        )
        places = (
            Enrollment.objects.current()
            .filter(institution__municipality=municipality)
            .values_list("child_id", "institution_id")
            .distinct()
        )
        custody = {}
        for child_id, user_id in (
            Guardianship.objects.active()
            .filter(has_custody=True, child__municipality=municipality)
            .values_list("child_id", "user_id")
        ):
            custody.setdefault(child_id, []).append(user_id)
        agreement_ids, commitment_ids = writer.ids(ExpectationAgreement), writer.ids(Commitment)
        acceptance_ids = writer.ids(AgreementAcceptance)
        progress = ["not_started", "going_well", "going_well", "going_well", "hard"]
        for child_id, institution_id in places:
            if rng.random() > 0.85:
                continue
            agreement_id = next(agreement_ids)
            agreed = now - datetime.timedelta(days=rng.randint(1, 400))
            writer.rows(ExpectationAgreement).append(
                (
                    agreement_id, child_id, institution_id, "in_force", 1, agreed.date(),
                    agreed.date() + datetime.timedelta(days=365), "da", rng.random() < 0.08,
                    rng.choice(["", "", "meeting", "phone"]), rng.choice(["", "", "monthly"]), "[]",
                    False, "", "", agreed, agreed, agreed, agreed,
                )
            )  # fmt: skip
            for position, (side, text) in enumerate(
                [("institution", "Fortælle, hvad barnet arbejder med"), ("family", "Læse højt"),
                 ("family", "Tale om dagen ved aftensmaden")]
            ):  # fmt: skip
                writer.rows(Commitment).append(
                    (
                        next(commitment_ids),
                        agreement_id,
                        side,
                        text,
                        "",
                        "",
                        position,
                        rng.choice(progress),
                        "",
                        None,
                    )
                )
            for user_id in custody.get(child_id, []):
                if rng.random() < 0.95:
                    writer.rows(AgreementAcceptance).append(
                        (next(acceptance_ids), agreement_id, user_id, "guardian", 1, agreed)
                    )
            if rng.random() < 0.4:
                writer.rows(SatisfactionAnswer).append(
                    (
                        uuid.UUID(int=rng.getrandbits(128), version=4), review.pk, institution_id,
                        rng.randint(2, 5), rng.randint(1, 5), rng.randint(2, 5), "",
                    )
                )  # fmt: skip
        writer.flush()
        writer.analyze()
        counts = ", ".join(f"{table}={n:,}" for table, n in writer.counts().items())
        self.stdout.write(f"seeded in {time.perf_counter() - started:.1f}s: {counts}")
        return review

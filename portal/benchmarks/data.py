"""A year of use on top of ``seed_demo --scale municipality``, written once with COPY.

``seed_demo`` loads the organisation and the families. The benchmarks also need what people add to it:
a policy expectation review with an agreement for most places (``review_round``), a conference round
per school class with a meeting for each child, half of them held and half coming up (``meetings``),
and a year of the access log (``access_events``). Each is written only when missing, so benchmarks can
run again and again on the same database.
"""

import datetime
import random
import time
import uuid

from django.db import transaction
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship
from expectations.models import (
    AgreementAcceptance,
    Commitment,
    ExpectationAgreement,
    ReviewRound,
    SatisfactionAnswer,
)
from expectations.services.reviews import review_round_create
from portal.audit.models import AccessEvent
from portal.demo.bulk import BulkWriter
from portal.meetings.models import BookingPeriod, Meeting, MeetingKind, Slot
from portal.organisation.models import Institution, StaffMembership

REVIEW_TITLE = "Forventningsafstemning 2026 (benchmark)"
MEETING_TITLE = "Skole-hjem-samtaler (benchmark-år)"
AGREEMENT = [
    "id", "child_id", "institution_id", "status", "revision", "starts_on", "review_due_on",
    "preferred_language", "interpreter_wanted", "contact_form", "contact_frequency", "guidance_topics",
    "care_topics_wanted", "family_words", "extra_support", "created_at", "updated_at", "proposed_at",
    "agreed_at",
]  # fmt: skip
COMMITMENT = [
    "id", "agreement_id", "side", "text", "who", "how_often", "position", "progress", "progress_note",
    "progress_at",
]  # fmt: skip
ACCEPTANCE = ["id", "agreement_id", "user_id", "role", "revision", "accepted_at"]
ANSWER = ["id", "round_id", "institution_id", "clear", "equal", "concrete", "comment"]
PERIOD = [
    "id", "institution_id", "group_id", "kind", "title", "location", "agenda", "booking_deadline",
    "slot_minutes", "created_at", "published_at",
]  # fmt: skip
SLOT = ["id", "period_id", "starts_at", "ends_at", "host_id"]
MEETING = [
    "id", "kind", "institution_id", "child_id", "period_id", "slot_id", "title", "starts_at", "ends_at",
    "location", "status", "sequence", "booked_by_id", "booked_at", "created_at", "updated_at",
]  # fmt: skip
EVENT = [
    "id", "at", "actor_id", "actor_name", "actor_role", "child_id", "municipality_id", "action", "subject",
    "object_id", "path", "ip",
]  # fmt: skip


def _done(out, what: str, started: float, writer: BulkWriter) -> None:
    counts = ", ".join(f"{table}={n:,}" for table, n in writer.counts().items())
    out.write(f"{what} seeded in {time.perf_counter() - started:.1f}s: {counts}")


def review_round(municipality, out, *, seed: int = 2017) -> ReviewRound:
    """The benchmark's review round: an agreement in force for about 85 % of the current places, three
    commitments each, acceptances by most custody holders, and survey answers from 40 % of families."""
    review = ReviewRound.objects.filter(municipality=municipality, title=REVIEW_TITLE).first()
    if review is not None:
        return review
    rng = random.Random(seed)
    started = time.perf_counter()
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        review = review_round_create(
            municipality=municipality,
            title=REVIEW_TITLE,
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
            .order_by("child_id", "institution_id")
        )
        custody: dict[int, list[int]] = {}
        for child_id, user_id in (
            Guardianship.objects.active()
            .filter(has_custody=True, child__municipality=municipality)
            .order_by("child_id", "user_id")
            .values_list("child_id", "user_id")
        ):
            custody.setdefault(child_id, []).append(user_id)
        agreement_ids, commitment_ids = writer.ids(ExpectationAgreement), writer.ids(Commitment)
        acceptance_ids = writer.ids(AgreementAcceptance)
        progress = ["not_started", "going_well", "going_well", "going_well", "hard"]
        sides = [
            ("institution", "Fortælle, hvad barnet arbejder med"),
            ("family", "Læse højt"),
            ("family", "Tale om dagen ved aftensmaden"),
        ]
        for child_id, institution_id in places:
            if rng.random() > 0.85:
                continue
            agreement_id = next(agreement_ids)
            agreed = now - datetime.timedelta(days=rng.randint(1, 400))
            writer.rows(ExpectationAgreement).append(
                (
                    agreement_id, child_id, institution_id, "in_force", 1, agreed.date(),
                    agreed.date() + datetime.timedelta(days=365), "da", rng.random() < 0.08,
                    rng.choice(["", "", "meeting", "phone"]), rng.choice(["", "", "monthly"]), [],
                    False, "", "", agreed, agreed, agreed, agreed,
                )
            )  # fmt: skip
            for position, (side, text) in enumerate(sides):
                writer.rows(Commitment).append(
                    (next(commitment_ids), agreement_id, side, text, "", "", position,
                     rng.choice(progress), "", None)
                )  # fmt: skip
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
    _done(out, "review round", started, writer)
    return review


def meetings(municipality, out) -> None:
    """Per school class two conference rounds: one held a month ago with a meeting for every child, and
    one in ten days where every other child has booked a time."""
    if BookingPeriod.objects.filter(institution__municipality=municipality, title=MEETING_TITLE).exists():
        return
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate(now)
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
    booker = dict(
        Guardianship.objects.with_information()
        .filter(child__municipality=municipality)
        .order_by("child_id", "-has_custody", "-user_id")
        .values_list("child_id", "user_id")
    )
    writer = BulkWriter(tables=[(BookingPeriod, PERIOD), (Slot, SLOT), (Meeting, MEETING)])
    period_ids, slot_ids, meeting_ids = writer.ids(BookingPeriod), writer.ids(Slot), writer.ids(Meeting)
    periods: dict[tuple[int, int], tuple[int, datetime.datetime]] = {}
    with transaction.atomic():
        for group_id, institution_id, child_id in places.iterator(chunk_size=5000):
            for days, held in ((-30, True), (10, False)):
                key = (group_id, days)
                if key not in periods:
                    day = today + datetime.timedelta(days=days + len(periods) % 5)
                    first = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
                    periods[key] = (next(period_ids), first)
                    writer.rows(BookingPeriod).append(
                        (periods[key][0], institution_id, group_id, MeetingKind.CONFERENCE, MEETING_TITLE,
                         "Klasselokalet", "Trivsel og faglige mål.", first, 15, now, now)
                    )  # fmt: skip
                period_id, starts = periods[key]
                periods[key] = (period_id, starts + datetime.timedelta(minutes=15))
                slot_id = next(slot_ids)
                ends = starts + datetime.timedelta(minutes=15)
                writer.rows(Slot).append((slot_id, period_id, starts, ends, None))
                if (held or child_id % 2) and child_id in booker:
                    writer.rows(Meeting).append(
                        (next(meeting_ids), MeetingKind.CONFERENCE, institution_id, child_id, period_id,
                         slot_id, "", starts, ends, "Klasselokalet", "held" if held else "planned", 0,
                         booker[child_id], now, now, now)
                    )  # fmt: skip
        writer.flush()
    writer.analyze()
    _done(out, "meetings", started, writer)


def access_events(municipality, out, *, per_child: int = 20, seed: int = 2017) -> None:
    """A year of the access log: ``per_child`` reads of each child by its staff and guardians."""
    children = Child.objects.filter(municipality=municipality)
    if AccessEvent.objects.filter(municipality=municipality).count() >= per_child * children.count() // 2:
        return
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    guardians: dict[int, list[int]] = {}
    for child_id, user_id in (
        Guardianship.objects.active().filter(child__municipality=municipality).values_list("child", "user")
    ):
        guardians.setdefault(child_id, []).append(user_id)
    staff = list(
        StaffMembership.objects.active()
        .filter(institution__municipality=municipality)
        .values_list("user_id", flat=True)[:2000]
    )
    writer = BulkWriter(tables=[(AccessEvent, EVENT)])
    ids = writer.ids(AccessEvent)
    with transaction.atomic():
        for child_id in children.values_list("pk", flat=True):
            for _ in range(per_child):
                at = now - datetime.timedelta(seconds=rng.randint(60, 365 * 24 * 3600))
                if guardians.get(child_id) and rng.random() < 0.4:
                    actor, name, role, action = rng.choice(guardians[child_id]), "Forælder", "Mor", "view"
                else:
                    actor, name, role, action = rng.choice(staff), "Medarbejder", "Lærer", "list"
                writer.rows(AccessEvent).append(
                    (next(ids), at, actor, name, role, child_id, municipality.pk, action, "child", None,
                     f"/children/{child_id}/", "127.0.0.1")
                )  # fmt: skip
        writer.flush()
    writer.analyze()
    _done(out, "access log", started, writer)

"""Planning the daily summaries: at each person's hour, one letter per channel takes every delivery
of theirs that waited for it (made before that hour), in one statement per batch of people.

Each delivery is taken by one letter only (its ``letter`` is set once, where it is still empty), and
deliveries made after the hour wait for the next day's summary: nothing is listed twice, nothing is
left out. Idempotent and safe to run in several processes at once: people are locked per batch."""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.accounts.models import User
from portal.notices import timing
from portal.notices.models import Delivery, Letter
from portal.notices.topics import Channel, Mode

BATCH = 2000


def _cutoff(now: datetime):
    """Each person's latest summary moment before ``now``, by their hour (or the default's)."""
    hour = Coalesce("digest_hour", Value(settings.NOTICE_DIGEST_HOUR))
    return Case(
        *(When(Q(hour=h), then=Value(timing.last_digest_moment(h, now))) for h in range(24)),
        output_field=DateTimeField(),
    ), hour


def digests_plan(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Make the summaries that are due; returns how many letters were made."""
    now = now or timezone.now()
    made = 0
    for channel in (Channel.EMAIL, Channel.SMS):
        while True:
            count = _plan_batch(now, channel, batch)
            made += count
            if count < batch:
                break
    return made


@transaction.atomic
def _plan_batch(now: datetime, channel: str, size: int) -> int:
    cutoff, hour = _cutoff(now)
    waiting = Delivery.objects.filter(
        user_id=OuterRef("pk"),
        channel=channel,
        mode=Mode.DIGEST,
        letter__isnull=True,
        created_at__lte=OuterRef("cutoff"),
    )
    people = User.objects.alias(hour=hour).annotate(cutoff=cutoff).filter(Exists(waiting)).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        people = people.select_for_update(skip_locked=True, of=("self",))
    due = list(people.values_list("pk", "cutoff")[:size])
    if not due:
        return 0
    letters = Letter.objects.bulk_create(
        [
            Letter(user_id=pk, channel=channel, kind=Letter.Kind.DIGEST, created_at=now, due_at=now)
            for pk, _cutoff_at in due
        ]
    )
    made = Letter.objects.filter(
        user_id=OuterRef("user_id"), channel=channel, kind=Letter.Kind.DIGEST, created_at=now
    ).values("pk")[:1]
    by_cutoff: dict[datetime, list[int]] = {}
    for pk, cutoff_at in due:
        by_cutoff.setdefault(cutoff_at, []).append(pk)
    for cutoff_at, users in by_cutoff.items():
        Delivery.objects.filter(
            user_id__in=users,
            channel=channel,
            mode=Mode.DIGEST,
            letter__isnull=True,
            created_at__lte=cutoff_at,
        ).update(letter_id=Subquery(made))
    return len(letters)

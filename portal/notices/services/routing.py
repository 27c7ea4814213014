"""Routing: each new notice in the inbox is looked at once, against its person's choices, and gets
what it needs: when the inbox shows it, and a delivery by e-mail or text message at once (a letter,
due now or when the person's quiet hours end) or in the daily summary.

Runs in Celery (``notices.sweep``, every minute, and straight after a sender commits), a batch at a
time: each batch's notices are locked (``SKIP LOCKED``), so two sweeps never route one twice, and
marked routed in the transaction that writes their deliveries. Where a notice's sender already sent
its own e-mail or text at once (meeting reminders and notices, booking nudges, agreement notices:
``Notification.sent_by``), routing adds nothing on that channel.
"""

import logging
from collections import defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from portal.meetings.models import Notification
from portal.notices import timing
from portal.notices.models import Delivery, Letter, Preference
from portal.notices.topics import DEFAULTS, Channel, Mode, topic_of

log = logging.getLogger(__name__)

BATCH = 1000


def modes_of(user_ids) -> dict[int, dict[tuple[str, str], str]]:
    """Each person's choices that differ from the defaults: {user id: {(topic, channel): mode}}."""
    chosen: dict[int, dict] = defaultdict(dict)
    for user_id, topic, channel, mode in Preference.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "topic", "channel", "mode"
    ):
        chosen[user_id][(topic, channel)] = mode
    return chosen


def mode_for(chosen: dict, topic: str, channel: str) -> str:
    return chosen.get((topic, channel)) or DEFAULTS[(topic, channel)]


def reachable(user, channel: str) -> bool:
    return user.reached_by_email if channel == Channel.EMAIL else user.reached_by_sms


def notices_route(*, now: datetime | None = None, batch: int = BATCH, limit: int | None = None) -> int:
    """Route every notice not routed yet (or ``limit`` of them), a batch per transaction."""
    total = 0
    while limit is None or total < limit:
        done = _route_batch(now or timezone.now(), batch)
        total += done
        if done < batch:
            break
    return total


@transaction.atomic
def _route_batch(now: datetime, size: int) -> int:
    rows = Notification.objects.filter(routed_at__isnull=True).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    notices = list(
        rows.select_related("user").only(
            "pk", "kind", "urgent", "sent_by", "user_id", "created_at",
            "user__email", "user__phone", "user__notify_by_email", "user__notify_by_sms",
            "user__quiet_from", "user__quiet_until", "user__digest_hour",
        )[:size]
    )  # fmt: skip
    if not notices:
        return 0
    chosen = modes_of({n.user_id for n in notices})
    shown: dict[int, datetime | None] = {}
    letters: list[Letter] = []
    deliveries: list[Delivery] = []
    for notice in notices:
        user, topic = notice.user, topic_of(notice.kind)
        mine = chosen.get(notice.user_id, {})
        portal = Mode.INSTANT if notice.urgent else mode_for(mine, topic, Channel.PORTAL)
        if portal == Mode.DIGEST:
            shown[notice.pk] = timing.next_digest_moment(timing.digest_hour(user), notice.created_at)
        elif portal == Mode.OFF:
            shown[notice.pk] = None
        handled = notice.sent_by.split(",")
        for channel in (Channel.EMAIL, Channel.SMS):
            if not reachable(user, channel) or channel in handled:
                continue
            mode = Mode.INSTANT if notice.urgent else mode_for(mine, topic, channel)
            if mode == Mode.OFF:
                continue
            # As old as its notice: the summary that is due takes what was made before its hour.
            delivery = Delivery(
                notification_id=notice.pk,
                user_id=notice.user_id,
                channel=channel,
                mode=mode,
                created_at=notice.created_at,
            )
            if mode == Mode.INSTANT:
                due = None if notice.urgent else timing.quiet_until(user, now)
                delivery.letter = Letter(
                    user_id=notice.user_id, channel=channel, kind=Letter.Kind.INSTANT, created_at=now,
                    due_at=due or now,
                )  # fmt: skip
                letters.append(delivery.letter)
            deliveries.append(delivery)
    Letter.objects.bulk_create(letters)
    for delivery in deliveries:
        if delivery.letter is not None:
            delivery.letter_id = delivery.letter.pk
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    ids = [n.pk for n in notices]
    changes = {"routed_at": Value(now)}
    if shown:
        changes["shown_at"] = Case(
            *(When(pk=pk, then=Value(at, output_field=DateTimeField())) for pk, at in shown.items()),
            default=F("shown_at"),
        )
    Notification.objects.filter(pk__in=ids).update(**changes)
    if letters:
        log.info("notices: routed=%s letters=%s deliveries=%s", len(ids), len(letters), len(deliveries))
    return len(notices)

"""Reads of the notification centre for other apps' senders."""

from datetime import datetime

from django.utils import timezone

from portal.notices import timing
from portal.notices.models import Preference
from portal.notices.topics import DEFAULTS, Channel, Mode


def wants_email_now(user, topic: str, *, now: datetime | None = None) -> bool:
    """Whether a sender that writes its own e-mail should send it to this person now: they take
    e-mail, want this topic at once, and are not in their quiet hours. Otherwise the sender leaves it
    to the notification centre (``Notification.sent_by`` empty), which sends it in the morning, in the
    summary, or not at all."""
    if not user.reached_by_email or timing.quiet_until(user, now or timezone.now()) is not None:
        return False
    chosen = (
        Preference.objects.filter(user=user, topic=topic, channel=Channel.EMAIL)
        .values_list("mode", flat=True)
        .first()
    )
    return (chosen or DEFAULTS[(topic, Channel.EMAIL)]) == Mode.INSTANT

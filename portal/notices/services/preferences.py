"""Saving what a person wants to hear about, how and when."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.notices.models import Preference
from portal.notices.topics import DEFAULTS, Channel, Mode, Topic


@transaction.atomic
def preferences_update(
    *,
    user,
    modes: dict[tuple[str, str], str],
    digest_hour: int,
    quiet_from: time | None,
    quiet_until: time | None,
) -> None:
    """Keep one row per choice that differs from the topic's default (and none for the rest), and the
    hour of the summary and the quiet hours (``None`` twice: no quiet hours)."""
    for (topic, channel), mode in modes.items():
        if topic not in Topic.values or channel not in Channel.values or mode not in Mode.values:
            raise ValidationError(_("Choose at once, in the daily summary or not at all."), code="invalid")
    if not 0 <= digest_hour <= 23:
        raise ValidationError({"digest_hour": _("Choose an hour of the day.")}, code="invalid")
    if (quiet_from is None) != (quiet_until is None) or (
        quiet_from is not None and quiet_from == quiet_until
    ):
        raise ValidationError(
            {"quiet_until": _("Quiet hours need a start and a different end.")}, code="invalid"
        )
    Preference.objects.filter(user=user).delete()
    Preference.objects.bulk_create(
        [
            Preference(user=user, topic=topic, channel=channel, mode=mode)
            for (topic, channel), mode in sorted(modes.items())
            if mode != DEFAULTS[(topic, channel)]
        ]
    )
    user.digest_hour = digest_hour
    # No quiet hours is kept as the same time twice; empty fields mean the portal's default.
    user.quiet_from = quiet_from or time(0)
    user.quiet_until = quiet_until or time(0)
    user.save(update_fields=["digest_hour", "quiet_from", "quiet_until"])

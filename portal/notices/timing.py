"""When a person may be reached: quiet hours, and the hour of the daily summary, in local time."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def _parse(value: str) -> time:
    hours, _colon, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def default_quiet_hours() -> tuple[time, time] | None:
    """The portal's default quiet hours (``NOTICE_QUIET_HOURS``, e.g. "20:00-07:00"), or None."""
    value = (settings.NOTICE_QUIET_HOURS or "").strip()
    if not value:
        return None
    start, _dash, end = value.partition("-")
    return _parse(start), _parse(end)


def quiet_hours(user) -> tuple[time, time] | None:
    """The person's quiet hours (from, until), or None when they have none."""
    if user.quiet_from is None or user.quiet_until is None:
        return default_quiet_hours()
    if user.quiet_from == user.quiet_until:
        return None
    return user.quiet_from, user.quiet_until


def quiet_until(user, now: datetime) -> datetime | None:
    """The end of the quiet hours ``now`` is in, or None when ``now`` is not quiet for this person."""
    hours = quiet_hours(user)
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(now)
    clock = local.time()
    quiet = start <= clock < end if start < end else clock >= start or clock < end
    if not quiet:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end))


def digest_hour(user) -> int:
    return settings.NOTICE_DIGEST_HOUR if user.digest_hour is None else user.digest_hour


def last_digest_moment(hour: int, now: datetime) -> datetime:
    """The latest moment at ``hour`` o'clock, local time, that is not after ``now``."""
    local = timezone.localtime(now)
    day = local.date() if local.hour >= hour else local.date() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def next_digest_moment(hour: int, now: datetime) -> datetime:
    return last_digest_moment(hour, now) + timedelta(days=1)

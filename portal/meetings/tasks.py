from celery import shared_task
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.meetings.services.delivery import TransientDeliveryError, reminders_send, reminders_sweep
from portal.meetings.services.nudges import nudges_send
from portal.meetings.services.settings import reminders_replan_municipality

TRANSIENT_ERRORS = (
    TransientDeliveryError,
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)


@shared_task(
    name="meetings.send_nudges",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=8,
)
def send_nudges(nudge_ids: list[int]) -> int:
    """Send the booking nudges with these ids; each at most once (the row's ``sent_at`` is the claim)."""
    return nudges_send(nudge_ids=nudge_ids)


@shared_task(name="meetings.replan_reminders")
def replan_reminders(municipality_id: int) -> tuple[int, int]:
    """Re-plan the upcoming reminders of a municipality after its reminder times changed; idempotent."""
    return reminders_replan_municipality(municipality_id=municipality_id)


@shared_task(name="meetings.sweep_reminders")
def sweep_reminders() -> int:
    """Claim the due reminders and notices and queue their send tasks (beat, every minute); safe to run
    in several beat processes at once."""
    return reminders_sweep()


@shared_task(
    name="meetings.send_reminders",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=6,
)
def send_reminders(reminder_ids: list[int], lease: str | None = None) -> int:
    """Send the claimed reminders among these ids, each message at most once (rows still queued under
    ``lease``, and a journal of what the SMTP server accepted); retried on transient errors only."""
    return reminders_send(reminder_ids=reminder_ids, lease=lease)

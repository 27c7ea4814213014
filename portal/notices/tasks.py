from celery import shared_task

from portal.meetings.tasks import TRANSIENT_ERRORS
from portal.notices.services.digests import digests_plan
from portal.notices.services.routing import notices_route
from portal.notices.services.sending import letters_send, letters_sweep


@shared_task(name="notices.sweep")
def sweep() -> tuple[int, int, int]:
    """Route new notices, make the summaries that are due, and claim the letters that are due (beat,
    every minute; also straight after a sender commits). Safe to run in several processes at once."""
    return notices_route(), digests_plan(), letters_sweep()


@shared_task(
    name="notices.send_letters",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=6,
)
def send_letters(letter_ids: list[int], lease: str | None = None) -> int:
    """Send the claimed letters among these ids, each at most once; retried on transient errors only."""
    return letters_send(letter_ids=letter_ids, lease=lease)

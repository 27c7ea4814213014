from celery import shared_task


@shared_task(
    name="meetings.send_nudges",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=8,
)
def send_nudges(nudge_ids: list[int]) -> int:
    """Send the booking nudges with these ids; each at most once (the row's ``sent_at`` is the claim)."""
    from portal.meetings.services.nudges import nudges_send

    return nudges_send(nudge_ids=nudge_ids)

from celery import shared_task

from transitions import services


@shared_task(name="transitions.handover_send")
def handover_send(handover_id: int) -> bool:
    """Send one requested handover (idempotent: the claim lets it be sent once, however often it runs)."""
    return services.handover_deliver(handover_id=handover_id)


@shared_task(name="transitions.handovers_send")
def handovers_send(handover_ids: list[int]) -> int:
    """Send a batch of requested handovers (idempotent: one claim for the batch, each sent once)."""
    return len(services.handovers_deliver(handover_ids=handover_ids))

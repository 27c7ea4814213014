from celery import shared_task

from portal.accounts.services import invitation_send
from portal.enqueue import enqueue
from portal.roster import services

BATCH = 500


@shared_task(name="roster.check_run", acks_late=True)
def check_run(run_id: int) -> bool:
    return services.import_run_check(run_id=run_id)


@shared_task(name="roster.apply_run", acks_late=True)
def apply_run(run_id: int) -> bool:
    return services.import_run_apply(run_id=run_id)


@shared_task(name="roster.send_invitations", acks_late=True)
def send_invitations(invitation_ids: list[int]) -> int:
    """Send these invitations, a batch at a time (each claims its own row: a retry never sends twice)."""
    batch, rest = invitation_ids[:BATCH], invitation_ids[BATCH:]
    if rest:
        enqueue("roster.send_invitations", rest)
    return sum(invitation_send(invitation_id=pk) for pk in batch)

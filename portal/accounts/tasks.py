from celery import shared_task

from portal.accounts import services


@shared_task(
    name="accounts.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=8,
)
def send_invitation(invitation_id: int) -> bool:
    """Send one invitation e-mail; idempotent (a claimed or gone invitation is skipped quietly)."""
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(name="accounts.purge_stale_invitations")
def purge_stale_invitations() -> int:
    """Delete invitations that ended long ago; safe to run any number of times."""
    return services.invitations_purge_stale()

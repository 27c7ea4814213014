from celery import shared_task

from portal.community.services import scheduled_messages_send


@shared_task(name="community.send_scheduled_messages")
def send_scheduled_messages() -> int:
    """Send the staff's messages whose time has come (beat, every minute); each exactly once."""
    return scheduled_messages_send()


@shared_task(name="community.close_elections")
def close_elections() -> int:
    """Count the votes on contact parents whose time has run out (beat, every five minutes)."""
    from portal.community.services.elections import elections_close_due

    return elections_close_due()

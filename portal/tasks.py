from celery import shared_task
from django.core.management import call_command


@shared_task(name="portal.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired sessions from the database; idempotent."""
    call_command("clearsessions")

from celery import shared_task

from expectations.services import agreements as agreement_services


@shared_task(name="expectations.send_agreement_reminders")
def send_agreement_reminders() -> int:
    """Remind custody holders who have not answered a proposed agreement after 7 days; each at most once
    (the reminder row is the claim), so running it twice or concurrently never sends twice."""
    return agreement_services.agreement_reminders_send()

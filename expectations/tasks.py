from celery import shared_task

from expectations.services import agreement_notices
from expectations.services import reviews as review_services


@shared_task(name="expectations.send_agreement_reminders")
def send_agreement_reminders() -> int:
    """Remind custody holders who have not answered a proposed agreement after 7 days; each at most once
    (the reminder row is the claim), so running it twice or concurrently never sends twice."""
    return agreement_notices.agreement_reminders_send()


@shared_task(name="expectations.notify_agreement_proposed")
def notify_agreement_proposed(agreement_id: int, proposer_id: int | None = None) -> int:
    """Tell the custody holders about a proposed agreement, once each (idempotent claim)."""
    return agreement_notices.agreement_proposal_notices_send(
        agreement_id=agreement_id, proposer_id=proposer_id
    )


@shared_task(name="expectations.notify_agreement_answered")
def notify_agreement_answered(agreement_id: int, actor_id: int | None = None) -> int:
    """After an acceptance, tell whoever's answer is the last one missing, or everyone when it is in force
    (each once: idempotent claim)."""
    return agreement_notices.agreement_answer_notices_send(agreement_id=agreement_id, actor_id=actor_id)


@shared_task(name="expectations.notify_survey_opened")
def notify_survey_opened(round_id: int) -> int:
    """Tell the municipality's parents in their inbox that the survey is open (once each: the key)."""
    return review_services.survey_opened_notices_send(round_id=round_id)


@shared_task(name="expectations.compute_review_figures")
def compute_review_figures(round_id: int) -> bool:
    """Compute a review round's figures and store them for the report."""
    return review_services.review_figures_store(round_id=round_id) is not None


@shared_task(name="expectations.refresh_review_figures")
def refresh_review_figures() -> int:
    """Each night: new figures for the open rounds (their figures change as families answer)."""
    return review_services.review_figures_refresh_open()

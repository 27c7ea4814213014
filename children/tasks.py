from celery import shared_task

from children.services import language as language_services
from children.services import plans as plan_services
from children.services import pupils as pupil_services


@shared_task(name="children.notify_plan_published")
def notify_plan_published(version_id: int) -> int:
    """Tell the child's guardians in their inbox that a plan version is published (once each: the key)."""
    return plan_services.plan_published_notices_send(version_id=version_id)


@shared_task(name="children.notify_pupil_message")
def notify_pupil_message(message_id: int) -> int:
    """Tell the child's guardians in their inbox that the pupil has written to them (once each: the key)."""
    return pupil_services.pupil_message_notices_send(message_id=message_id)


@shared_task(name="children.notify_language_result_shared")
def notify_language_result_shared(assessment_id: int) -> int:
    """Tell the child's guardians in their inbox that the language assessment's result is shown to them
    (once each: the key)."""
    return language_services.language_result_notices_send(assessment_id=assessment_id)

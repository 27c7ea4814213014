import logging

from celery import shared_task

from portal.enqueue import enqueue
from portal.organisation.models import Municipality
from portal.privacy import retention

log = logging.getLogger(__name__)


@shared_task(name="privacy.apply_retention")
def apply_retention() -> int:
    """Every night: one task per municipality, so one municipality's failure costs only itself."""
    ids = list(Municipality.objects.values_list("pk", flat=True))
    for pk in ids:
        enqueue("privacy.apply_retention_for", pk)
    return len(ids)


@shared_task(name="privacy.apply_retention_for", acks_late=True)
def apply_retention_for(municipality_id: int) -> int:
    """Delete what the municipality has kept long enough. Safe to run again: each batch commits with its
    record, so a run cut short goes on from where it stopped."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return 0
    records = retention.retention_apply(municipality=municipality)
    log.info("retention: municipality=%s records=%s", municipality_id, len(records))
    return len(records)


@shared_task(name="privacy.build_export", acks_late=True)
def build_export(export_id: int) -> bool:
    """Make a guardian's copy of their child's data (safe to run twice: one copy is offered)."""
    from portal.privacy.services import data_export_build

    return data_export_build(export_id=export_id)


@shared_task(name="privacy.expire_exports")
def expire_exports() -> int:
    """Every hour: delete the copies whose time is up."""
    from portal.privacy.services import data_exports_expire

    return data_exports_expire()

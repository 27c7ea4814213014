"""Decoupled reactions of the children app.

Evidence rows go when their child, plan, entry or note goes (cascades included, which send
``post_delete`` for each row); the stored objects follow once the deletion has committed, so a deletion
that rolls back keeps its files.
"""

import logging

from django.core.files.storage import storages
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from children.models import Evidence

log = logging.getLogger(__name__)


def evidence_objects_delete(keys) -> None:
    """Delete these objects from the evidence storage; one that cannot be deleted is logged (by key only)
    and the rest still go."""
    storage = storages["evidence"]
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            log.exception("Could not delete evidence object %s", key)


@receiver(post_delete, sender=Evidence, dispatch_uid="children.evidence_objects_delete")
def _evidence_deleted(sender, instance: Evidence, using, **kwargs):
    keys = [k for k in (instance.storage_key, instance.thumbnail_key) if k]
    transaction.on_commit(lambda: evidence_objects_delete(keys), using=using)

"""Export files go when their row goes (a cascade from the child included), once the deletion commits."""

import logging

from django.core.files.storage import storages
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from portal.privacy.models import DataExport

log = logging.getLogger(__name__)


def export_files_delete(keys) -> int:
    """Delete these files from the exports storage; one that cannot be deleted is logged by key only."""
    storage = storages["exports"]
    deleted = 0
    for key in keys:
        try:
            storage.delete(key)
            deleted += 1
        except Exception:
            log.exception("Could not delete export file %s", key)
    return deleted


@receiver(post_delete, sender=DataExport, dispatch_uid="privacy.export_files_delete")
def _export_deleted(sender, instance: DataExport, using, **kwargs):
    keys = [k for k in (instance.json_key, instance.pdf_key) if k]
    if keys:
        transaction.on_commit(lambda: export_files_delete(keys), using=using)

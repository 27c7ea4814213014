"""A guardian's copy of their child's data: asked for, built in Celery, offered for a limited time."""

import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.access import has_custody_of
from portal.enqueue import enqueue
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify, user_language
from portal.pdf import pdf_bytes, pdf_engine
from portal.privacy.export import gather
from portal.privacy.models import DataExport
from portal.privacy.signals import export_files_delete

log = logging.getLogger(__name__)


def data_export_request(*, child, user) -> DataExport:
    """Ask for a copy; only a guardian with custody may. One copy is made at a time."""
    if not has_custody_of(user, child):
        raise PermissionDenied
    try:
        with transaction.atomic():
            export = DataExport.objects.create(child=child, requested_by=user)
            enqueue("privacy.build_export", export.pk)
    except IntegrityError:
        raise ValidationError(
            _("A copy is already being made. It is usually ready within a few minutes.")
        ) from None
    return export


def _filename(export, extension) -> str:
    return f"godtpaavej-{export.requested_at:%Y-%m-%d}-{export.pk}.{extension}"


def data_export_build(*, export_id: int) -> bool:
    """Write the copy (JSON and, where the PDF engine is installed, PDF) and offer it. A task that runs
    twice makes one copy: the row is claimed when the files are recorded, and a loser deletes its files."""
    export = (
        DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED)
        .select_related("child", "requested_by")
        .first()
    )
    if export is None:
        return False
    user = export.requested_by
    if not has_custody_of(user, export.child):
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED)
        return False
    storage = storages["exports"]
    stem = uuid.uuid4().hex
    keys = []
    try:
        with translation.override(user_language(user)):
            data = gather(child=export.child, user=user)
            document = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode()
            keys.append(storage.save(f"{stem}.json", ContentFile(document)))
            engine = pdf_engine()
            if engine is not None:
                pdf = pdf_bytes(engine, "privacy/export_pdf.html", {"data": data}, base_url=settings.SITE_URL)
                keys.append(storage.save(f"{stem}.pdf", ContentFile(pdf)))
        now = timezone.now()
        with transaction.atomic():
            claimed = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.QUEUED).update(
                status=DataExport.Status.READY,
                ready_at=now,
                expires_at=now + timedelta(days=settings.EXPORT_TTL_DAYS),
                json_key=keys[0],
                pdf_key=keys[1] if len(keys) > 1 else "",
            )
            if not claimed:
                raise _AlreadyMade
            export.refresh_from_db()
            _notify_ready(export)
    except _AlreadyMade:
        export_files_delete(keys)
        return False
    except Exception:
        export_files_delete(keys)
        DataExport.objects.filter(pk=export.pk, status=DataExport.Status.QUEUED).update(
            status=DataExport.Status.FAILED
        )
        log.exception("export %s could not be made", export.pk)
        return False
    return True


class _AlreadyMade(Exception):
    pass


def _notify_ready(export) -> None:
    child = export.child

    def text(user):
        date = timezone.localtime(export.expires_at).strftime("%d.%m.%Y")
        return (
            _("Your copy of %(name)s's data is ready") % {"name": child.first_name},
            _("Download it before %(date)s. After that it is deleted, and you can ask for a new copy.")
            % {"date": date},
        )

    inbox_notify(
        [export.requested_by],
        kind=Notification.Kind.DATA_EXPORT,
        key=f"data-export-{export.pk}",
        url=reverse("privacy:export_list", args=[child.pk]),
        text=text,
    )


def data_export_downloaded(*, export) -> None:
    DataExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1)


def data_exports_expire(*, now=None) -> int:
    """Delete the files of copies past their time, and mark them as no longer available."""
    from portal.privacy.models import ErasureRecord

    now = now or timezone.now()
    expired = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now).values_list(
            "pk", "json_key", "pdf_key"
        )[:1000]
    )
    if not expired:
        return 0
    with transaction.atomic():
        DataExport.objects.filter(pk__in=[pk for pk, *_ in expired]).update(
            status=DataExport.Status.EXPIRED, json_key="", pdf_key=""
        )
        record = ErasureRecord.objects.create(
            reason=ErasureRecord.Reason.EXPORT_EXPIRED, kind="data_exports", rows={}
        )
    files = export_files_delete([key for _, *keys in expired for key in keys if key])
    ErasureRecord.objects.filter(pk=record.pk).update(files=files)
    return len(expired)

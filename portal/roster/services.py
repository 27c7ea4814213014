"""An import run: upload (kept as files), read and check in Celery (CPR columns dropped on reading),
apply in Celery."""

import logging
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone, translation

from portal.accounts.models import Invitation
from portal.enqueue import enqueue
from portal.roster import engine
from portal.roster.models import ImportRun
from portal.roster.reading import check_names, read_files

log = logging.getLogger(__name__)


def import_run_create(*, municipality, by, files) -> ImportRun:
    """Keep the files in the private imports storage and queue the dry run, which reads them (a large
    workbook takes longer to read than a request may last). A ValidationError says what the names
    already tell is wrong."""
    check_names(files)
    storage = storages["imports"]
    keys = []
    try:
        with transaction.atomic():
            for upload in files:
                keys.append(storage.save(f"{uuid.uuid4().hex}-{PurePath(upload.name).name}", upload))
            run = ImportRun.objects.create(
                municipality=municipality,
                uploaded_by=by,
                files=", ".join(f.name for f in files)[:500],
                file_keys=keys,
            )
            enqueue("roster.check_run", run.pk)
    except BaseException:
        for key in keys:
            storage.delete(key)
        raise
    return run


class _Stored:
    """A stored upload as the reader wants it: a name and a file."""

    def __init__(self, key):
        self.name = PurePath(key).name.split("-", 1)[1]
        self.file = storages["imports"].open(key, "rb")

    def read(self, *args):
        return self.file.read(*args)

    def __getattr__(self, attribute):
        return getattr(self.file, attribute)


def _read(run):
    """The sheets and dropped CPR columns of the run's files, or a ValidationError in the uploader's
    language. The files are deleted either way: only what was read is kept."""
    stored = [_Stored(key) for key in run.file_keys]
    language = getattr(run.uploaded_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            try:
                return read_files(stored)
            except ValidationError as error:
                raise ValidationError(" ".join(str(m) for m in error.messages)) from None
    finally:
        for upload in stored:
            upload.file.close()


def _files_delete(keys) -> None:
    for key in keys:
        storages["imports"].delete(key)


def import_run_check(*, run_id: int) -> bool:
    """The dry run: read the files, then what applying would do, row by row. Writes nothing but the
    run's report."""
    run = (
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.CHECKING)
        .select_related("municipality", "uploaded_by")
        .first()
    )
    if run is None:
        return False
    if run.file_keys:
        try:
            sheets, dropped = _read(run)
        except ValidationError as error:
            ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKING).update(
                status=ImportRun.Status.FAILED, error=error.messages[0][:300], file_keys=[]
            )
            _files_delete(run.file_keys)
            return False
        run.data = ImportRun.pack(sheets)
        run.total = sum(len(rows) for rows in sheets.values())
        ImportRun.objects.filter(pk=run.pk).update(
            data=run.data, dropped_columns=dropped, total=run.total, file_keys=[]
        )
        _files_delete(run.file_keys)
    plan = engine.plan(run.municipality, ImportRun.unpack(run.data))
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKING).update(
        status=ImportRun.Status.CHECKED,
        report=ImportRun.pack(plan.report),
        counts=plan.counts(),
        done=run.total,
    )
    return True


def import_run_apply_request(*, run: ImportRun) -> bool:
    """Queue the apply of a checked run, once."""
    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED).update(
            status=ImportRun.Status.APPLYING, done=0
        )
        if claimed:
            enqueue("roster.apply_run", run.pk)
    return bool(claimed)


def import_run_apply(*, run_id: int) -> bool:
    """Apply the file as the database is now (checked again: what changed since the dry run counts), then
    keep only counts and outcomes, and send the new people's invitations."""
    run = (
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.APPLYING)
        .select_related("municipality", "uploaded_by")
        .first()
    )
    if run is None:
        return False
    plan = engine.plan(run.municipality, ImportRun.unpack(run.data))
    total = max(len(plan.families), 1)
    ImportRun.objects.filter(pk=run.pk).update(total=total, done=0)

    def progress(done):
        ImportRun.objects.filter(pk=run.pk).update(done=done)

    engine.apply(plan, municipality=run.municipality, by=run.uploaded_by, progress=progress)
    # This run's invitations not sent yet, those of an attempt cut short included (each is sent once:
    # the send claims its row).
    invitations = list(
        Invitation.objects.pending()
        .filter(
            municipality=run.municipality,
            invited_by=run.uploaded_by,
            sent_at__isnull=True,
            created_at__gte=run.created_at,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.APPLIED,
            applied_at=timezone.now(),
            report=ImportRun.pack(plan.report),
            counts=plan.counts(),
            data=b"",
            done=total,
        )
        if invitations:
            enqueue("roster.send_invitations", invitations)
    log.info("roster: run=%s changes=%s invitations=%s", run.pk, plan.changes, len(invitations))
    return True

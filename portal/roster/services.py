"""An import run: upload (read at once, CPR columns dropped), check in Celery, apply in Celery."""

import logging

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Invitation
from portal.enqueue import enqueue
from portal.roster import engine
from portal.roster.models import ImportRun
from portal.roster.reading import read_files

log = logging.getLogger(__name__)


def import_run_create(*, municipality, by, files) -> ImportRun:
    """Read the files (a ValidationError says what is wrong with them) and queue the dry run."""
    sheets, dropped = read_files(files)
    with transaction.atomic():
        run = ImportRun.objects.create(
            municipality=municipality,
            uploaded_by=by,
            files=", ".join(f.name for f in files)[:500],
            data=ImportRun.pack(sheets),
            dropped_columns=dropped,
            total=sum(len(rows) for rows in sheets.values()),
        )
        enqueue("roster.check_run", run.pk)
    return run


def import_run_check(*, run_id: int) -> bool:
    """The dry run: what applying would do, row by row. Writes nothing but the run's report."""
    run = (
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.CHECKING)
        .select_related("municipality")
        .first()
    )
    if run is None:
        return False
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

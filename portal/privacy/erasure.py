"""Deleting for real: rows with their cascades, the files behind them, and the sessions of erased accounts.

One path serves the nightly retention and a family that leaves the municipality. It records *that* it
deleted (counts per table, files, cached keys) in an ``ErasureRecord``, never what or whose.
"""

import logging
from collections import Counter
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.storage import storages
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from children.models import Child, Evidence, Guardianship
from portal.accounts.models import Invitation, User
from portal.organisation.models import MunicipalAdministrator, StaffMembership
from portal.privacy.models import DataExport, ErasureRecord
from portal.roster.models import ImportRun

log = logging.getLogger(__name__)

# The rows that point at a stored file, and in which storage and fields the file's key is.
FILES = {
    Evidence: ("evidence", ("storage_key", "thumbnail_key")),
    DataExport: ("exports", ("json_key", "pdf_key")),
    ImportRun: ("imports", ("file_keys",)),  # a list of keys
}
# What a person wrote in places shared with other families: it goes with the person.
WRITTEN_BY = "author"


def _keys(value) -> list[str]:
    return [value] if isinstance(value, str) and value else list(value or [])


def _files_of(collector: Collector) -> list[tuple[str, str]]:
    """The stored files of the rows about to go: of collected instances, and of the querysets Django
    deletes without loading them (a table without signals)."""
    files = []
    for model, instances in collector.data.items():
        if model in FILES:
            alias, fields = FILES[model]
            files += [(alias, key) for obj in instances for f in fields for key in _keys(getattr(obj, f))]
    for queryset in collector.fast_deletes:
        if queryset.model in FILES:
            alias, fields = FILES[queryset.model]
            for row in queryset.values_list(*fields):
                files += [(alias, key) for value in row for key in _keys(value)]
    return files


def files_delete(files) -> int:
    deleted = 0
    for alias, key in files:
        try:
            storages[alias].delete(key)
            deleted += 1
        except Exception:
            log.exception("Could not delete a file in storage %s", alias)
    return deleted


def delete_rows(queryset) -> tuple[Counter, list]:
    """Delete these rows with everything that cascades from them, in one transaction; the files of the
    deleted rows are returned so that the caller deletes them after commit (a rollback keeps them)."""
    using = router.db_for_write(queryset.model)
    collector = Collector(using=using, origin=queryset)
    collector.collect(queryset)
    files = _files_of(collector)
    _, per_model = collector.delete()
    return Counter({label: n for label, n in per_model.items() if n}), files


def _user_name_fields():
    """(model, fk, name field) for each copy of a person's name kept beside a nullable link to them."""
    for model in _concrete_models():
        names = {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if (
                f.is_relation
                and f.related_model is User
                and f.remote_field.on_delete is models.SET_NULL
                and f"{f.name}_name" in names
            ):
                yield model, f.name, f"{f.name}_name"


def _written_by_fields():
    for model in _concrete_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User and f.name == WRITTEN_BY:
                yield model, f.name


def _concrete_models():
    from django.apps import apps

    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]


def _sessions_delete(user_ids) -> int:
    """End the accounts' sessions, the database rows and their cached copies: those allauth recorded at
    login, and any other live session signed in as one of them (read once a night, only when a family
    is erased)."""
    if not user_ids:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = set(UserSession.objects.filter(user_id__in=user_ids).values_list("session_key", flat=True))
    wanted = {str(pk) for pk in user_ids}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if str(session.get_decoded().get("_auth_user_id")) in wanted:
            keys.add(session.session_key)
    for key in keys:
        store(key).delete()
    return len(keys)


def erasable_accounts(child_ids) -> list[int]:
    """The accounts that belong only to these children's family: their guardians and pupil logins, unless
    they are guardians of another child, staff or administrators, who keep their accounts."""
    from children.models import PupilAccount

    guardians = set(Guardianship.objects.filter(child_id__in=child_ids).values_list("user_id", flat=True))
    pupils = set(PupilAccount.objects.filter(child_id__in=child_ids).values_list("user_id", flat=True))
    keep = set(
        Guardianship.objects.filter(user_id__in=guardians)
        .exclude(child_id__in=child_ids)
        .values_list("user_id", flat=True)
    )
    candidates = (guardians - keep) | pupils
    keep |= set(StaffMembership.objects.filter(user_id__in=candidates).values_list("user_id", flat=True))
    keep |= set(
        MunicipalAdministrator.objects.filter(user_id__in=candidates).values_list("user_id", flat=True)
    )
    return sorted(candidates - keep)


def families_erase(
    *, child_ids, municipality_id=None, reason=ErasureRecord.Reason.LEFT_MUNICIPALITY
) -> ErasureRecord:
    """Erase these children and what only their family has: the children's rows with every cascade, the
    family's accounts (see ``erasable_accounts``), what those accounts wrote where other families read it,
    copies of their names kept beside other rows, their invitations, admin log lines and sessions."""
    child_ids = list(child_ids)
    rows: Counter = Counter()
    files: list = []
    with transaction.atomic():
        user_ids = erasable_accounts(child_ids)
        emails = list(User.objects.filter(pk__in=user_ids).values_list("email", flat=True))
        for model, fk, name in _user_name_fields():
            changed = model.objects.filter(**{f"{fk}__in": user_ids}).update(**{name: ""})
            if changed:
                rows[f"{model._meta.label}.{name}"] += changed
        for model, fk in _written_by_fields():
            found, written = delete_rows(model.objects.filter(**{f"{fk}__in": user_ids}))
            rows.update(found)
            files += written
        invitations = Invitation.objects.filter(
            models.Q(accepted_by_id__in=user_ids)
            | models.Q(email__in=emails)
            | models.Q(child_id__in=child_ids)
        )
        found, _ = delete_rows(invitations)
        rows.update(found)
        logged = LogEntry.objects.filter(
            models.Q(
                content_type=ContentType.objects.get_for_model(Child),
                object_id__in=[str(i) for i in child_ids],
            )
            | models.Q(
                content_type=ContentType.objects.get_for_model(User), object_id__in=[str(i) for i in user_ids]
            )
        )
        found, _ = delete_rows(logged)
        rows.update(found)
        cache_keys = _sessions_delete(user_ids)
        for queryset in (Child.objects.filter(pk__in=child_ids), User.objects.filter(pk__in=user_ids)):
            found, more = delete_rows(queryset)
            rows.update(found)
            files += more
        record = ErasureRecord.objects.create(
            municipality_id=municipality_id,
            reason=reason,
            kind="family",
            rows=dict(rows),
            cache_keys=cache_keys,
        )
    record.files = files_delete(files)
    ErasureRecord.objects.filter(pk=record.pk).update(files=record.files)
    log.info("erasure: record=%s kind=family rows=%s files=%s", record.pk, record.total_rows, record.files)
    return record

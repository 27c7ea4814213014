"""Erasure: a family that leaves the municipality is erased for real, everywhere, and no other family
loses anything. A marker is planted in every text of every table that can hold the family's data (see
``tests/privacy/family.py``), in its files and its session; afterwards no table, file or cached value
holds it, while another family's marker is where it was."""

from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from children.models import Child, Guardianship
from portal.accounts.models import User
from portal.audit.models import AccessEvent
from portal.privacy.erasure import erasable_accounts
from portal.privacy.models import ErasureRecord
from portal.privacy.tasks import apply_retention_for
from tests.privacy.family import Family, family_models

pytestmark = pytest.mark.django_db

GONE, STAYS = "ZQXFREJA", "ZQXEMIL"


def _neutral(cast):
    return {
        "organisation.Municipality": cast.aarhus,
        "organisation.Institution": cast.school,
        "organisation.Group": cast.class_1a,
    }


def _mark(obj, marker, *names):
    for name in names:
        value = f"{marker}-{name}-{obj.pk}"
        setattr(obj, name, f"{value}@example.test" if name == "email" else value)
    obj.save()


def _family(cast, marker, child, guardian, *accounts):
    family = Family(
        marker=marker, child=child, guardian=guardian, neutral=_neutral(cast), staff=cast.sofie
    ).fill()
    _mark(child, marker, "first_name", "last_name")
    for user in (guardian, *accounts):
        _mark(user, marker, "first_name", "last_name", "email")
    LogEntry.objects.create(
        user=cast.erik,
        content_type=ContentType.objects.get_for_model(Child),
        object_id=str(child.pk),
        object_repr=marker,
        action_flag=CHANGE,
        change_message=marker,
    )
    return family


def _columns():
    """(table, column, is binary) of every column of every table in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name, data_type = 'bytea' FROM information_schema.columns "
                "WHERE table_schema = current_schema()"
            )
            return cursor.fetchall()
        cursor.execute(
            "SELECT m.name, p.name, 0 FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table'"
        )
        return cursor.fetchall()


def occurrences(marker: str) -> dict:
    """Where the marker is, in every column of every table: {table.column: rows}."""
    found = {}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column, binary in _columns():
            if binary:
                where, param = f"position(convert_to(%s, 'UTF8') IN {q(column)}) > 0", marker
            else:
                where, param = f"CAST({q(column)} AS TEXT) LIKE %s", f"%{marker}%"
            cursor.execute(f"SELECT count(*) FROM {q(table)} WHERE {where}", [param])  # noqa: S608
            if n := cursor.fetchone()[0]:
                found[f"{table}.{column}"] = n
    return found


def files_with(marker: str, *roots: Path) -> list[str]:
    return [
        str(p)
        for root in roots
        if root.exists()
        for p in root.rglob("*")
        if p.is_file() and marker.encode() in p.read_bytes()
    ]


def cached_with(marker: str) -> list[str]:
    """Cached values that hold the marker, in this test's part of the cache (the real Redis in CI)."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # local memory
        return [k for k, v in backend.items() if marker.encode() in v]
    client = cache._cache.get_client()
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return [k for k in client.scan_iter(f"{prefix}*") if marker.encode() in (client.get(k) or b"")]


def test_every_table_that_can_hold_a_familys_data_gets_a_marked_row(cast):
    family = _family(cast, GONE, cast.freja, cast.bo, cast.freja_pupil)
    assert family.failed == {}
    assert {m._meta.label for m in family_models()} <= set(family.rows)
    assert len(family.rows) > 60


def test_a_family_that_left_is_erased_everywhere_and_no_one_else_loses_anything(
    cast, client, login, tmp_path, django_capture_on_commit_callbacks
):
    gone = _family(cast, GONE, cast.freja, cast.bo, cast.freja_pupil)
    stays = _family(cast, STAYS, cast.emil, cast.anna)
    # What the guardian did in another family's data stays in its log, without the guardian's name.
    seen_elsewhere = AccessEvent.objects.create(
        actor=cast.bo,
        actor_name=GONE,
        child=cast.emil,
        municipality=cast.aarhus,
        action="list",
        subject="names",
    )
    login(client, cast.bo)
    client.get(reverse("home"))
    session = client.session
    session["note"] = GONE
    session.save()
    session_key = session.session_key
    assert cached_with(GONE) or not hasattr(cache, "_cache")  # the session is cached (cached_db)
    before = occurrences(STAYS)
    assert occurrences(GONE) and files_with(GONE, tmp_path)
    stays_files = files_with(STAYS, tmp_path)
    assert len(stays_files) == len(stays.files) == 4

    Child.objects.filter(pk=cast.freja.pk).update(
        left_municipality_on=timezone.localdate() - timedelta(days=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention_for(cast.aarhus.pk)

    assert occurrences(GONE) == {}
    assert files_with(GONE, tmp_path) == []
    assert cached_with(GONE) == []
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(session_key)
    assert occurrences(STAYS) == before
    assert files_with(STAYS, tmp_path) == stays_files
    assert not User.objects.filter(pk__in=[cast.bo.pk, cast.freja_pupil.pk]).exists()
    seen_elsewhere.refresh_from_db()
    assert (seen_elsewhere.actor, seen_elsewhere.actor_name) == (None, "")
    record = ErasureRecord.objects.get(kind="family")
    assert record.reason == ErasureRecord.Reason.LEFT_MUNICIPALITY
    assert record.rows["children.Child"] == 1 and record.rows["accounts.User"] == 2
    assert record.files == len(gone.files) and record.cache_keys >= 1


def test_a_guardian_with_another_child_keeps_the_account_and_that_child(cast):
    sibling = Child.objects.create(
        municipality=cast.aarhus, first_name="Bror", last_name="Nielsen", birth_date=cast.freja.birth_date
    )
    Guardianship.objects.create(child=sibling, user=cast.bo, relation="father", has_custody=True)
    assert erasable_accounts([cast.freja.pk]) == [cast.freja_pupil.pk]
    assert sorted(erasable_accounts([cast.freja.pk, sibling.pk])) == sorted([cast.bo.pk, cast.freja_pupil.pk])


def test_staff_who_are_also_guardians_keep_their_accounts(cast):
    Guardianship.objects.create(child=cast.freja, user=cast.carla, relation="mother", has_custody=True)
    assert cast.carla.pk not in erasable_accounts([cast.freja.pk])


def test_a_child_who_left_recently_is_kept_for_the_grace_period(cast):
    Child.objects.filter(pk=cast.freja.pk).update(
        left_municipality_on=timezone.localdate() - timedelta(days=29)
    )
    apply_retention_for(cast.aarhus.pk)
    assert Child.objects.filter(pk=cast.freja.pk).exists()


def test_the_access_log_says_an_erased_account_looked_when_the_name_is_gone(cast, client, login):
    AccessEvent.objects.create(
        actor=None, actor_name="", child=cast.emil, municipality=cast.aarhus, action="list", subject="names"
    )
    login(client, cast.anna)
    page = client.get(reverse("children:access_log", args=[cast.emil.pk]), HTTP_ACCEPT_LANGUAGE="da")
    assert "En konto, der siden er slettet" in page.content.decode()

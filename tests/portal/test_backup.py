"""Backups: a consistent dump and the private files with checksums, restored into an empty database and
verified; the drill runs the whole round on a small data set, on PostgreSQL (pg_dump/pg_restore) and
SQLite."""

import contextlib
import json
import shutil
import sqlite3

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from children.models import Child, Evidence
from portal import backup
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
        reason="pg_dump is not installed",
    ),
]

MARKER = "Backupmærke-7f3a"


@pytest.fixture
def family(evidence_storage):
    """A child with a learning goal and a stored photo: rows in several tables and one private file."""
    child = f.ChildFactory(first_name=MARKER)
    goal = f.LearningGoalFactory(child=child)
    key = storages["evidence"].save(f"plans/{goal.plan_id}/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    Evidence.objects.create(
        plan=goal.plan, goal=goal, kind="image", caption="En tegning", content_type="image/jpeg", size=10,
        original_name="photo.jpg", storage_key=key, uploaded_by_name="Carla", uploader_role="staff",
        uploaded_at=timezone.now(),
    )  # fmt: skip
    return child


def _rows(database, query):
    if connection.vendor == "postgresql":
        with backup._pg_connect(database) as conn:
            return conn.execute(query).fetchall()
    with contextlib.closing(sqlite3.connect(database["NAME"])) as conn:
        return conn.execute(query).fetchall()


def test_the_drill_restores_every_row_and_file_into_a_scratch_database(family, capsys):
    call_command("restore_drill")
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("drill: passed ")
    fields = dict(part.split("=") for part in line.removeprefix("drill: passed ").split())
    assert int(fields["files"]) == 1 and int(fields["rows"]) > 0
    assert int(fields["tables"]) == len(connection.introspection.table_names())


def test_a_backup_counts_rows_in_the_dump_snapshot_and_restores_the_real_data(family, tmp_path):
    manifest = backup.backup_create(target=tmp_path / "b")
    assert manifest["tables"]["children_child"] == Child.objects.count()
    assert list(manifest["files"]["evidence"]) == [Evidence.objects.get().storage_key]
    # The checksum file is the standard format an operator checks without the portal.
    sums = (tmp_path / "b" / "SHA256SUMS").read_text().splitlines()
    assert sums[0].endswith(f"  {manifest['database']['file']}") and len(sums) == 2

    with backup.scratch_database() as database:
        result = backup.backup_restore(source=tmp_path / "b", database=database, files_dir=tmp_path / "files")
        assert result.ok, result.problems
        assert _rows(database, "SELECT first_name FROM children_child") == [(MARKER,)]
    restored = tmp_path / "files" / "evidence" / Evidence.objects.get().storage_key
    assert restored.read_bytes() == b"\xff\xd8 a photo"


def test_a_changed_file_in_the_backup_stops_the_restore_before_anything_is_written(family, tmp_path):
    backup.backup_create(target=tmp_path / "b")
    stored = next((tmp_path / "b" / "files" / "evidence").rglob("*.jpg"))
    stored.write_bytes(b"tampered")
    with backup.scratch_database() as database:
        with pytest.raises(CommandError, match="does not match its checksum"):
            call_command(
                "restore", str(tmp_path / "b"), "--files-dir", str(tmp_path / "files"), **_target(database)
            )
        assert _tables(database) == []
    assert not (tmp_path / "files").exists()


def test_a_changed_dump_is_refused(family, tmp_path):
    manifest = backup.backup_create(target=tmp_path / "b")
    with (tmp_path / "b" / manifest["database"]["file"]).open("ab") as dump:
        dump.write(b"\0")
    with pytest.raises(backup.BackupError, match="does not match its checksum"):
        backup.backup_check(source=tmp_path / "b")


def test_a_restore_refuses_a_database_that_is_not_empty(family, tmp_path):
    backup.backup_create(target=tmp_path / "b")
    with backup.scratch_database() as database:
        backup.backup_restore(source=tmp_path / "b", database=database, files_dir=tmp_path / "files")
        with pytest.raises(backup.BackupError, match="not empty"):
            backup.backup_restore(source=tmp_path / "b", database=database, files_dir=tmp_path / "files")


def test_verification_finds_a_lost_row_and_a_file_the_rows_name_but_the_backup_lacks(family, tmp_path):
    manifest = backup.backup_create(target=tmp_path / "b")
    with backup.scratch_database() as database:
        backup.backup_restore(source=tmp_path / "b", database=database, files_dir=tmp_path / "files")
        _execute(database, "DELETE FROM children_evidence")
        lost_row = backup.backup_verify(manifest=manifest, database=database, files_dir=tmp_path / "files")
        assert any(problem.startswith("table children_evidence:") for problem in lost_row.problems)

    manifest["files"]["evidence"] = {}
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest))
    with backup.scratch_database() as database:
        result = backup.backup_restore(source=tmp_path / "b", database=database, files_dir=tmp_path / "other")
        assert any("named by a row but not in the backup" in problem for problem in result.problems)


def test_a_backup_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--to", str(tmp_path))


def _target(database):
    if connection.vendor == "postgresql":
        db = database
        return {"database_url": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    return {"database_url": f"sqlite:///{database['NAME']}"}


def _tables(database):
    if connection.vendor == "postgresql":
        return _rows(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return _rows(database, "SELECT name FROM sqlite_master WHERE type = 'table'")


def _execute(database, statement):
    if connection.vendor == "postgresql":
        with psycopg.connect(**_libpq(database), autocommit=True) as conn:
            conn.execute(statement)
    else:
        with contextlib.closing(sqlite3.connect(database["NAME"])) as conn:
            conn.execute(statement)
            conn.commit()


def _libpq(db):
    return {"dbname": db["NAME"], "host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"]}

"""Backups the operator can trust: a consistent copy of the database and the private files, and a restore
that proves itself.

A backup is a folder:

* ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online
  backup), taken inside one snapshot;
* ``files/<storage>/<name>``: every file of the storages in ``BACKUP_STORAGES`` (evidence by default);
* ``manifest.json``: when, which database, the row count of every table *in the same snapshot as the dump*,
  and the SHA-256 of the dump and of every file;
* ``SHA256SUMS``: the same checksums in ``sha256sum -c`` format, for a check without the portal.

``backup_restore`` checks every checksum before it writes anything, restores into an empty database only,
and then compares the restored row counts and files with the manifest.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from psycopg import sql

FORMAT = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024
# Columns that name a file in a storage: after a restore, each name must be among the restored files.
FILE_REFERENCES = {"evidence": [("children_evidence", "storage_key"), ("children_evidence", "thumbnail_key")]}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, without personal data."""


@dataclass
class Verification:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _digest(handle)


def _pg_env(db: dict) -> dict:
    """libpq's own variables, so no password appears on a command line."""
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _pg_connect(db: dict, **kwargs) -> psycopg.Connection:
    return psycopg.connect(
        dbname=db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        **kwargs,
    )


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _pg_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def _dump_postgresql(db: dict, target: Path) -> dict[str, int]:
    """Count every table and dump the database in one exported snapshot: the counts describe the dump."""
    with _pg_connect(db, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _pg_counts(cursor)
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
            check=False,
        )
        cursor.execute("COMMIT")
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup: a consistent copy even while the portal writes (an in-memory test database
    too, through Django's own connection)."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        return _sqlite_counts(copy)


def _storage_files(storage, prefix: str = ""):
    """Every file name in a storage (FileSystem or S3), walking folders through the storage API."""
    dirs, files = storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}{name}"
    for name in sorted(dirs):
        yield from _storage_files(storage, f"{prefix}{name}/")


def _copy_files(target: Path) -> dict[str, dict[str, str]]:
    copied: dict[str, dict[str, str]] = {}
    for alias in settings.BACKUP_STORAGES:
        storage = storages[alias]
        copied[alias] = {}
        with contextlib.suppress(FileNotFoundError):
            for name in _storage_files(storage):
                path = target / "files" / alias / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(name, "rb") as source, path.open("wb") as sink:
                    shutil.copyfileobj(source, sink, CHUNK)
                copied[alias][name] = _sha256(path)
    return copied


def backup_create(*, target: Path) -> dict:
    """Write a backup into ``target`` (a new or empty folder) and return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        dump = target / PG_DUMP
        counts = _dump_postgresql(db, dump)
    elif connection.vendor == "sqlite":
        dump = target / SQLITE_COPY
        counts = _dump_sqlite(dump)
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    # Files after the snapshot: a file is written before the row that names it, so every row in the dump
    # finds its file here.
    files = _copy_files(target)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": {"file": dump.name, "sha256": _sha256(dump), "bytes": dump.stat().st_size},
        "tables": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    lines = [f"{manifest['database']['sha256']}  {dump.name}"]
    lines += [
        f"{digest}  files/{alias}/{name}" for alias, named in files.items() for name, digest in named.items()
    ]
    (target / SUMS).write_text("\n".join(lines) + "\n")
    return manifest


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{source} has no {MANIFEST}.") from error
    except ValueError as error:
        raise BackupError(f"{MANIFEST} is not valid JSON.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_check(*, source: Path) -> dict:
    """Check the dump and every file against the manifest; raise before anything is restored."""
    source = Path(source)
    manifest = _read_manifest(source)
    dump = source / manifest["database"]["file"]
    if not dump.is_file() or _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump.name} is missing or does not match its checksum.")
    for alias, named in manifest["files"].items():
        for name, digest in named.items():
            path = source / "files" / alias / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"files/{alias}/{name} is missing or does not match its checksum.")
    return manifest


def _restore_postgresql(db: dict, dump: Path) -> None:
    with _pg_connect(db, autocommit=True) as conn, conn.cursor() as cursor:
        if _pg_tables(cursor):
            raise BackupError(f"The database {db['NAME']} is not empty; restore only into an empty database.")
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(dump),
        ],
        env=_pg_env(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_sqlite(path: Path, dump: Path) -> None:
    if path.exists() and path.stat().st_size:
        raise BackupError(f"{path} is not empty; restore only into an empty database.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(dump)) as source,
        contextlib.closing(sqlite3.connect(path)) as dest,
    ):
        source.backup(dest)


def _target_storage(alias: str, files_dir: Path | None):
    """The storage to restore into: the configured one, or a plain folder (a drill, or a new server)."""
    if files_dir is None:
        return storages[alias]
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=str(Path(files_dir) / alias))


def _restore_files(source: Path, manifest: dict, files_dir: Path | None) -> None:
    for alias, named in manifest["files"].items():
        storage = _target_storage(alias, files_dir)
        for name in named:
            if storage.exists(name):
                with storage.open(name, "rb") as existing:
                    if _digest(existing) == named[name]:
                        continue
                raise BackupError(f"files/{alias}/{name} exists in the target with other content.")
            with (source / "files" / alias / name).open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"files/{alias}/{name} was stored under another name.")


def _referenced_files(manifest: dict, database: dict):
    """(storage, name) of every file a row of the restored database names, for the storages backed up."""
    queries = [
        (alias, f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')  # noqa: S608 (constants)
        for alias, columns in FILE_REFERENCES.items()
        if alias in manifest["files"]
        for table, column in columns
        if table in manifest["tables"]
    ]
    if manifest["vendor"] == "postgresql":
        with _pg_connect(database) as conn, conn.cursor() as cursor:
            for alias, query in queries:
                cursor.execute(query)
                yield from ((alias, row[0]) for row in cursor)
    else:
        with contextlib.closing(sqlite3.connect(database["NAME"])) as conn:
            for alias, query in queries:
                yield from ((alias, row[0]) for row in conn.execute(query))


def backup_verify(*, manifest: dict, database: dict, files_dir: Path | None = None) -> Verification:
    """Compare a restored database and its files with the manifest: every table's row count, every file's
    checksum."""
    if manifest["vendor"] == "postgresql":
        with _pg_connect(database) as conn, conn.cursor() as cursor:
            counts = _pg_counts(cursor)
    else:
        with contextlib.closing(sqlite3.connect(database["NAME"])) as conn:
            counts = _sqlite_counts(conn)
    result = Verification(tables=len(counts), rows=sum(counts.values()))
    for alias, name in _referenced_files(manifest, database):
        if name not in manifest["files"].get(alias, {}):
            result.problems.append(f"file {alias}/{name}: named by a row but not in the backup")
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            result.problems.append(
                f"table {table}: {counts.get(table)} rows, the backup had {expected.get(table)}"
            )
    for alias, named in manifest["files"].items():
        storage = _target_storage(alias, files_dir)
        for name, digest in named.items():
            try:
                with storage.open(name, "rb") as handle:
                    actual = _digest(handle)
                    result.bytes += storage.size(name)
            except FileNotFoundError:
                actual = None
            if actual != digest:
                result.problems.append(f"file {alias}/{name}: missing or changed")
            result.files += 1
    return result


def backup_restore(*, source: Path, database: dict, files_dir: Path | None = None) -> Verification:
    """Restore a checked backup into an empty database (and its files), then verify it."""
    source = Path(source)
    manifest = backup_check(source=source)
    dump = source / manifest["database"]["file"]
    vendor = "postgresql" if "postgresql" in database["ENGINE"] else "sqlite"
    if vendor != manifest["vendor"]:
        raise BackupError(f"The backup is of a {manifest['vendor']} database, the target is {vendor}.")
    if vendor == "postgresql":
        _restore_postgresql(database, dump)
    else:
        _restore_sqlite(Path(database["NAME"]), dump)
    _restore_files(source, manifest, files_dir)
    return backup_verify(manifest=manifest, database=database, files_dir=files_dir)


@contextlib.contextmanager
def scratch_database():
    """An empty database beside the current one, dropped afterwards: where a drill restores."""
    db = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        name = f"{db['NAME']}_drill_{uuid.uuid4().hex[:8]}"
        with _pg_connect(db, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield {**db, "NAME": name}
        finally:
            with _pg_connect(db, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    else:
        with tempfile.TemporaryDirectory(prefix="drill-") as folder:
            yield {**db, "NAME": str(Path(folder) / "restored.sqlite3")}


def restore_drill(*, folder: Path | None = None) -> Verification:
    """Back up, restore into a scratch database and folder, verify; nothing of the live portal changes."""
    with contextlib.ExitStack() as stack:
        work = (
            Path(folder)
            if folder
            else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drill-")))
        )
        backup = work / "backup"
        backup_create(target=backup)
        database = stack.enter_context(scratch_database())
        return backup_restore(source=backup, database=database, files_dir=work / "restored-files")

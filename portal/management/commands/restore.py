"""Restore a backup into an empty database, after checking every checksum, and verify the result."""

from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database (default: DATABASE_URL) and the private files "
        "into their storages (or --files-dir), then compare row counts and checksums with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup folder (with manifest.json).")
        parser.add_argument(
            "--database-url", help="The empty database to restore into (default: DATABASE_URL)."
        )
        parser.add_argument("--files-dir", type=Path, help="Restore the files into this folder instead.")

    def handle(self, *, source, database_url, files_dir, **options):
        database = environ.Env.db_url_config(database_url) if database_url else dict(connection.settings_dict)
        try:
            result = backup_restore(source=source, database=database, files_dir=files_dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in result.problems:
            self.stderr.write(problem)
        line = f"restore: tables={result.tables} rows={result.rows} files={result.files}"
        if not result.ok:
            raise CommandError(f"{line} problems={len(result.problems)}")
        self.stdout.write(f"{line} verified")

"""The restore drill: back up, restore into a scratch database and folder, verify, clean up."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore_drill


class Command(BaseCommand):
    help = (
        "Prove the backups work: take a backup, restore it into a new scratch database and folder, compare "
        "every table's row count and every file's checksum, then drop the scratch copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=Path, help="Keep the backup and restored files in this folder.")

    def handle(self, *, keep, **options):
        try:
            result = restore_drill(folder=keep)
        except BackupError as error:
            raise CommandError(f"drill: failed {error}") from error
        for problem in result.problems:
            self.stderr.write(problem)
        line = f"tables={result.tables} rows={result.rows} files={result.files} bytes={result.bytes}"
        if not result.ok:
            raise CommandError(f"drill: failed {line} problems={len(result.problems)}")
        self.stdout.write(f"drill: passed {line}")

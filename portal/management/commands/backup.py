"""Take a consistent backup: the database in one snapshot, the private files, a manifest of checksums."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the private files into a new folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            help="A new or empty folder (default: BACKUP_DIR/<UTC time>).",
        )

    def handle(self, *, to, **options):
        target = to or settings.BACKUP_DIR / timezone.now().strftime("%Y%m%dT%H%M%SZ")
        try:
            manifest = backup_create(target=target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(named) for named in manifest["files"].values())
        self.stdout.write(
            f"backup: folder={target} tables={len(manifest['tables'])} "
            f"rows={sum(manifest['tables'].values())} files={files}"
        )

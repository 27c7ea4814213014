"""The roster import at municipality scale: writes the files of a municipality of ``--children`` children
(default 50,000) with their parents and places, its institutions, groups and staff, plus 1 % bad rows of
every kind the import refuses; runs the dry run, applies it, then checks and applies the same files again.
The last line is::

    import: rows=<n> dry_run_s=<s> apply_s=<s> reapply_changes=<n> refused=<n>

It works in a municipality of its own (code 998) and rolls everything back at the end unless ``--keep``.
Invitations are made as in production; their sending is left queued (not part of the figure).
"""

import random
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.accounts.models import User
from portal.organisation.models import Municipality
from portal.roster import services
from portal.roster.engine import CHANGED, CREATED, ENDED, REFUSED
from portal.roster.models import ImportRun
from portal.roster.reading import SHEETS


class _Rollback(Exception):
    pass


def write_files(folder: Path, children: int, seed: int = 7) -> int:
    """The roster's six CSV files; returns how many rows they hold (headers apart)."""
    rng = random.Random(seed)
    institutions = max(children // 100, 2)
    rows = {name: [] for name in SHEETS}
    for i in range(institutions):
        school = i % 3 == 0
        rows["institutions"].append(
            [
                f"9{i:05d}",
                f"Bench {'skole' if school else 'børnehus'} {i}",
                "skole" if school else "børnehave",
            ]
        )
        for g in range(4):
            rows["groups"].append(
                [f"9{i:05d}", f"{g + 1}.{'A' if school else 'stue'}", str(g + 1) if school else ""]
            )
        for s in range(6):
            rows["staff"].append(
                [
                    f"staff{i}-{s}@bench.example",
                    "Ansat",
                    f"Nr{s}",
                    f"9{i:05d}",
                    "lærer" if school else "pædagog",
                    f"{s % 4 + 1}.{'A' if school else 'stue'}",
                ]
            )
    for c in range(children):
        i = c % institutions
        school = i % 3 == 0
        rows["children"].append([f"B-{c}", f"Barn{c}", "Bench", f"20{15 + c % 9:02d}-0{1 + c % 9}-1{c % 9}"])
        rows["guardians"].append([f"B-{c}", f"mor{c}@bench.example", "Mor", "Bench", "mor", "ja", "ja", "da"])
        if c % 5:
            rows["guardians"].append(
                [f"B-{c}", f"far{c}@bench.example", "Far", "Bench", "far", "ja", "ja", "da"]
            )
        rows["places"].append(
            [f"B-{c}", f"9{i:05d}", f"{c % 4 + 1}.{'A' if school else 'stue'}", "2025-08-01", ""]
        )
    # 1 % bad rows: a malformed date, an unknown institution, a CPR number, a guardian without a child,
    # an invalid address, a duplicate child id.
    bad = children // 100
    for b in range(bad):
        kind = b % 6
        if kind == 0:
            rows["children"].append([f"X-{b}", "Dato", "Forkert", "31-31-2020"])
        elif kind == 1:
            rows["places"].append([f"B-{rng.randrange(children)}", "000000", "", "2025-08-01", ""])
        elif kind == 2:
            rows["children"].append([f"X-{b}", "Cpr", "1203204321", "2020-03-12"])
        elif kind == 3:
            rows["guardians"].append(
                [f"UKENDT-{b}", f"ukendt{b}@bench.example", "U", "Kendt", "mor", "ja", "ja", "da"]
            )
        elif kind == 4:
            rows["guardians"].append(
                [f"B-{rng.randrange(children)}", "ikke-en-adresse", "E", "Mail", "far", "ja", "ja", "da"]
            )
        else:
            rows["children"].append([f"B-{rng.randrange(children)}", "Dublet", "Bench", "2020-01-01"])
    for name, (_danish, columns) in SHEETS.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8") as handle:
            handle.write(",".join(columns) + "\n")
            handle.writelines(",".join(row) + "\n" for row in rows[name])
    return sum(len(r) for r in rows.values())


@contextmanager
def _opened(folder: Path):
    handles = [open(path, "rb") for path in sorted(folder.glob("*.csv"))]  # noqa: SIM115
    try:
        yield [File(h, name=Path(h.name).name) for h in handles]
    finally:
        for h in handles:
            h.close()


class Command(BaseCommand):
    help = "Import a municipality-sized roster: dry run, apply, apply again (last line: import: rows=…)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=50_000)
        parser.add_argument("--keep", action="store_true", help="keep the imported municipality")

    def handle(self, *args, children, keep, **options):
        with tempfile.TemporaryDirectory() as folder:
            rows = write_files(Path(folder), children)
            try:
                with transaction.atomic(), mock.patch("portal.roster.services.enqueue"):
                    figures = self._run(Path(folder))
                    if not keep:
                        raise _Rollback
            except _Rollback:
                pass
        dry, apply, changes, refused = figures
        self.stdout.write(
            f"import: rows={rows} dry_run_s={dry:.1f} apply_s={apply:.1f} "
            f"reapply_changes={changes} refused={refused}"
        )

    def _run(self, folder):
        municipality, _ = Municipality.objects.get_or_create(code="998", defaults={"name": "Bench Kommune"})
        admin, _ = User.objects.get_or_create(
            email="bench-admin@bench.example", defaults={"first_name": "Bench"}
        )
        with _opened(folder) as files:
            run = services.import_run_create(municipality=municipality, by=admin, files=files)
        started = time.perf_counter()
        services.import_run_check(run_id=run.pk)
        dry = time.perf_counter() - started
        run.refresh_from_db()
        refused = run.counts[REFUSED]
        self.stdout.write(f"dry run: {run.counts}")
        services.import_run_apply_request(run=run)
        started = time.perf_counter()
        services.import_run_apply(run_id=run.pk)
        apply = time.perf_counter() - started
        with _opened(folder) as files:
            again = services.import_run_create(municipality=municipality, by=admin, files=files)
        services.import_run_check(run_id=again.pk)
        services.import_run_apply_request(run=ImportRun.objects.get(pk=again.pk))
        services.import_run_apply(run_id=again.pk)
        again.refresh_from_db()
        self.stdout.write(f"again: {again.counts}")
        changes = again.counts[CREATED] + again.counts[CHANGED] + again.counts[ENDED]
        return dry, apply, changes, refused

"""Reading the roster files: one XLSX workbook with a sheet per kind, or one CSV file per kind (UTF-8,
comma or semicolon). Columns named like a CPR number are dropped here, before anything is kept."""

import csv
import io
import re
from pathlib import PurePath
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Sheet → (Danish name, columns). The first column of each is its key.
SHEETS = {
    "institutions": ("institutioner", ["institution_number", "name", "kind"]),
    "groups": ("grupper", ["institution_number", "name", "school_year"]),
    "staff": ("personale", ["email", "first_name", "last_name", "institution_number", "role", "groups"]),
    "children": ("boern", ["child_id", "first_name", "last_name", "birth_date"]),
    "guardians": (
        "foraeldre",
        ["child_id", "email", "first_name", "last_name", "relation", "custody", "information", "language"],
    ),
    "places": ("pladser", ["child_id", "institution_number", "group", "start_date", "end_date"]),
}
REQUIRED = {
    "institutions": {"institution_number", "name", "kind"},
    "groups": {"institution_number", "name"},
    "staff": {"email", "first_name", "last_name", "institution_number", "role"},
    "children": {"child_id", "first_name", "last_name", "birth_date"},
    "guardians": {"child_id", "email", "first_name", "last_name"},
    "places": {"child_id", "institution_number", "start_date"},
}
# Two rows of each sheet, for the format page.
EXAMPLES = {
    "institutions": [["101234", "Børnehuset Solsikken", "børnehave"], ["751012", "Skovvangskolen", "skole"]],
    "groups": [["101234", "Mariehønen", ""], ["751012", "1.A", "1"]],
    "staff": [
        ["carla@example.dk", "Carla", "Hansen", "101234", "pædagog", "Mariehønen"],
        ["dorte@example.dk", "Dorte", "Madsen", "751012", "lærer", "1.A"],
    ],
    "children": [["E-1001", "Emil", "Jensen", "2021-03-14"], ["E-1002", "Freja", "Nielsen", "2019-06-02"]],
    "guardians": [
        ["E-1001", "anna@example.dk", "Anna", "Jensen", "mor", "ja", "ja", "da"],
        ["E-1001", "mikkel@example.dk", "Mikkel", "Jensen", "far", "nej", "ja", "da"],
    ],
    "places": [
        ["E-1001", "101234", "Mariehønen", "2024-08-01", ""],
        ["E-1002", "751012", "1.A", "2025-08-11", ""],
    ],
}
CPR_COLUMN = re.compile(r"^(cpr|cpr_?nr|cpr_?nummer|personnummer|person_?number)$")
MAX_ROWS = 500_000


def _sheet_of(name: str) -> str | None:
    stem = PurePath(name).stem.strip().lower().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
    for sheet, (danish, _columns) in SHEETS.items():
        if stem in (sheet, danish):
            return sheet
    return None


def _header(cell) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", str(cell or "").strip().lower()).strip("_")


def _clean(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(sheet: str, table, dropped: set) -> list[dict]:
    table = iter(table)
    header = [_header(c) for c in next(table, [])]
    keep = [i for i, h in enumerate(header) if h and not CPR_COLUMN.match(h)]
    dropped.update(f"{sheet}.{h}" for h in header if h and CPR_COLUMN.match(h))
    missing = REQUIRED[sheet] - {header[i] for i in keep}
    if missing:
        raise ValidationError(
            _("The sheet %(sheet)s lacks the columns %(columns)s.")
            % {"sheet": sheet, "columns": ", ".join(sorted(missing))}
        )
    rows = []
    for line in table:
        values = {header[i]: _clean(line[i]) if i < len(line) else "" for i in keep}
        if any(values.values()):
            rows.append(values)
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("A sheet may hold at most %(n)s rows.") % {"n": MAX_ROWS})
    return rows


def check_names(files) -> None:
    """What can be told at once from the names: XLSX or the roster's CSV files."""
    for upload in files:
        name = upload.name.lower()
        if name.endswith(".csv") and _sheet_of(name) is None:
            raise ValidationError(
                _("The file %(name)s is not one of the roster's files (%(names)s).")
                % {"name": upload.name, "names": ", ".join(f"{s}.csv" for s in SHEETS)}
            )
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload an XLSX workbook or CSV files."))


def read_files(files) -> tuple[dict, list[str]]:
    """The sheets of these uploaded files, and the CPR columns dropped (as sheet.column)."""
    sheets: dict[str, list[dict]] = {}
    dropped: set[str] = set()
    for upload in files:
        name = upload.name.lower()
        if name.endswith(".xlsx"):
            _read_workbook(upload, sheets, dropped)
        elif name.endswith(".csv"):
            sheet = _sheet_of(name)
            if sheet is None:
                raise ValidationError(
                    _("The file %(name)s is not one of the roster's files (%(names)s).")
                    % {"name": upload.name, "names": ", ".join(f"{s}.csv" for s in SHEETS)}
                )
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("The file %(name)s is not UTF-8 text.") % {"name": upload.name}
                ) from None
            dialect = ";" if text[:2000].count(";") > text[:2000].count(",") else ","
            sheets[sheet] = _rows(sheet, csv.reader(io.StringIO(text), delimiter=dialect), dropped)
        else:
            raise ValidationError(_("Upload an XLSX workbook or CSV files."))
    if not sheets:
        raise ValidationError(_("The files hold none of the roster's sheets."))
    return sheets, sorted(dropped)


def _read_workbook(upload, sheets, dropped) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(
            _("The file %(name)s is not an XLSX workbook.") % {"name": upload.name}
        ) from None
    for worksheet in workbook.worksheets:
        sheet = _sheet_of(worksheet.title)
        if sheet is not None:
            sheets[sheet] = _rows(sheet, worksheet.iter_rows(values_only=True), dropped)
    workbook.close()

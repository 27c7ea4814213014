"""Dates as readers of each language write them: Django's format names (``DATE_FORMAT`` …) come from
``portal/formats/<language>/formats.py`` (``FORMAT_MODULE_PATH``), and so do the portal's own names
(``WEEKDAY_DATE_FORMAT`` …), which Django's ``date`` filter does not know: ``format_date`` and the
``datefmt`` template filter resolve both kinds.

In Danish, month and weekday names are lower case and abbreviations end with a full stop
("4. dec. 2026", "onsdag den 16. december 2026", "september 2021"); never use Django's "M" (it
capitalises: "Dec"), use "N" (Danish "dec.", "sept.", "marts").
"""

from datetime import datetime
from functools import lru_cache

from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language


def get_format(name: str) -> str:
    """The active language's format string for a Django or a portal format name (upper case); any
    other string is a format string already ("l": the weekday)."""
    if name in formats.FORMAT_SETTINGS:
        return formats.get_format(name)
    if not name.isupper():
        return name
    for module in formats.get_format_modules(get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    raise ValueError(f"No date format named {name!r} in portal/formats/.")


def format_date(value, name: str = "DATE_FORMAT") -> str:
    """``value`` (a date or a datetime, shown in local time) in the named format; '' for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    zone = str(value.tzinfo) if isinstance(value, datetime) else ""
    return _formatted(value, zone, get_format(name), get_language())


@lru_cache(maxsize=8192)
def _formatted(value, zone: str, format_string: str, language: str | None) -> str:
    """Lists show the same days and times again and again (a school's conference slots): Django's
    formatter parses the format and looks up month and day names on every call, so remember each
    result. Equal instants in two time zones are equal datetimes: the zone is part of the key."""
    return dateformat.format(value, format_string)

"""One page of a child's timeline: one query over every source, then one per kind on the page."""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import CharField, DateTimeField, F, Q, Value

from children.timeline import Entry, Reader, moment, sources

PAGE_SIZE = 25


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last event's time, kind and id (the order is all three, newest first)."""

    at: datetime
    kind: str
    id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.kind}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> "Cursor | None":
        """The cursor in ``text``, or None when there is none or it is not one of ours."""
        if not text or len(text) > 200:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, kind, pk = raw.split("|")
            at = datetime.fromisoformat(at)
            pk = int(pk)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if at.tzinfo is None or not 0 < pk < 2**63 or not kind.replace("_", "").isalpha():
            return None
        return cls(at, kind, pk)


@dataclass
class TimelinePage:
    entries: list[Entry]
    next_cursor: str  # empty on the last page


def _after(cursor: Cursor, kind: str) -> Q:
    """Rows of ``kind`` that come after the cursor in the order (time, kind, id), newest first. The kind
    is fixed per source, so the condition on it is decided here and each source's index is used."""
    at = moment(Value(cursor.at, output_field=DateTimeField()))
    if kind < cursor.kind:
        return Q(tl_at__lte=at)
    if kind > cursor.kind:
        return Q(tl_at__lt=at)
    return Q(tl_at__lt=at) | Q(tl_at=at, tl_id__lt=cursor.id)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def timeline_order(
    reader: Reader, *, cursor: Cursor | None = None, since=None, until=None, size: int = PAGE_SIZE
) -> list[dict]:
    """The next ``size + 1`` events after the cursor (within the dates, both included), as
    ``{tl_at, tl_kind, tl_id, tl_key}``. One query: the sources' rows joined by UNION ALL."""
    each_limited = connection.features.supports_slicing_ordering_in_compound
    parts = []
    for source in sources():
        rows = source.rows(reader).annotate(
            tl_kind=Value(source.kind, output_field=CharField()), tl_id=F("pk")
        )
        if since:
            rows = rows.filter(tl_at__gte=moment(Value(_start_of(since), output_field=DateTimeField())))
        if until:
            end = _start_of(until + timedelta(days=1))
            rows = rows.filter(tl_at__lt=moment(Value(end, output_field=DateTimeField())))
        if cursor:
            rows = rows.filter(_after(cursor, source.kind))
        rows = rows.values("tl_at", "tl_kind", "tl_id", "tl_key")
        # PostgreSQL: each source stops at a page too; SQLite orders only the whole.
        rows = rows.order_by("-tl_at", "-tl_id")[: size + 1] if each_limited else rows.order_by()
        parts.append(rows)
    combined = parts[0].union(*parts[1:], all=True).order_by("-tl_at", "-tl_kind", "-tl_id")
    return list(combined[: size + 1])


def timeline_page(
    reader: Reader, *, cursor: Cursor | None = None, since=None, until=None, size: int = PAGE_SIZE
) -> TimelinePage:
    """A page of the timeline with each event's entry: one query for the order, then one (rarely two)
    per kind of event on the page, whatever the length of the history."""
    rows = timeline_order(reader, cursor=cursor, since=since, until=until, size=size)
    more = len(rows) > size
    rows = rows[:size]
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["tl_kind"], []).append(row["tl_id"])
    known = {source.kind: source for source in sources()}
    found: dict[tuple[str, int], Entry] = {}
    for kind, ids in by_kind.items():
        for pk, entry in known[kind].entries(reader, ids).items():
            found[kind, pk] = entry
    entries = []
    for row in rows:
        entry = found.get((row["tl_kind"], row["tl_id"]))
        if entry is None:  # gone between the two queries
            continue
        entry.kind, entry.at, entry.id = row["tl_kind"], row["tl_at"], row["tl_id"]
        entries.append(entry)
    last = rows[-1] if rows else None
    next_cursor = Cursor(last["tl_at"], last["tl_kind"], last["tl_id"]).encode() if more and last else ""
    return TimelinePage(entries=entries, next_cursor=next_cursor)

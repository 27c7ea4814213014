"""The child's timeline: one chronological view from pregnancy to youth education, built from sources.

A *source* is one kind of event (a place, a published plan version, a meeting, a handover …). Each app
registers its own in its ``AppConfig.ready()``::

    from children.timeline import TimelineSource, register

    register(TimelineSource(kind="readiness", label=_("School readiness"), rows=..., entries=...))

``rows(reader)`` returns a queryset of the rows of ``reader.child`` the reader may see, built on the
app's own policy (``<entities>_visible_to(user)``), annotated by ``timeline_rows`` with when it happened
and a short title key. ``entries(reader, ids)`` returns ``{id: Entry}`` for the page's rows of that
kind in a fixed number of queries (one, usually). The selector (``children.timeline.selectors``) makes
one SQL query of all sources (``UNION ALL``), ordered and paged by (time, kind, id) with a keyset
cursor, then asks each kind on the page for its entries: a page costs the same number of queries
however long the child's history is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import CharField, DateTimeField, QuerySet, Value
from django.db.models.functions import Cast


@dataclass(frozen=True)
class Reader:
    """Who reads the timeline: a guardian with the right to information (``guardianship``) or staff."""

    user: object
    child: object
    guardianship: object | None

    @property
    def is_guardian(self) -> bool:
        return self.guardianship is not None


@dataclass
class Entry:
    """One event as the page shows it: a title, a few plain lines, where it happened, a link."""

    title: str
    lines: list[str] = field(default_factory=list)
    place: str = ""
    url: str = ""
    on: date | datetime | None = None  # shown instead of the sort time (a date-only event shows its date)
    kind: str = ""
    at: datetime | None = None
    id: int = 0

    @property
    def when(self):
        return self.on or self.at

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


@dataclass(frozen=True)
class TimelineSource:
    kind: str  # short, lower case and unique: it orders events of the same moment and names the cursor
    label: object
    rows: Callable[[Reader], QuerySet]
    entries: Callable[[Reader, list[int]], dict[int, Entry]]


_SOURCES: dict[str, TimelineSource] = {}


def register(source: TimelineSource) -> TimelineSource:
    """Add a source (once per kind: registering a kind again replaces it, so a reload adds nothing)."""
    if not source.kind.isascii() or not source.kind.replace("_", "").isalpha() or len(source.kind) > 20:
        raise ValueError(f"A timeline kind is up to 20 lower-case letters: {source.kind!r}")
    _SOURCES[source.kind] = source
    return source


def sources() -> list[TimelineSource]:
    return [_SOURCES[kind] for kind in sorted(_SOURCES)]


def moment(expression) -> Cast:
    """A date or time as the timeline compares them: a timestamp on both databases (SQLite writes
    every one in the same text form, so they compare as they should)."""
    return Cast(expression, output_field=DateTimeField())


def timeline_rows(queryset: QuerySet, *, at, key) -> QuerySet:
    """A source's rows with the columns the timeline reads: when (a date or a time), a title key."""
    return queryset.annotate(tl_at=moment(at), tl_key=Cast(key, output_field=CharField()))


def key(value: str) -> Value:
    return Value(value, output_field=CharField())

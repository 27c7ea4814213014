"""Reads of the access log: one page at a time, newest first.

The log grows for ever, so a page is found from the last event of the page before (keyset on an
index that ends in ``-at``), never by counting or skipping rows.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q

from portal.audit.descriptions import describe_events
from portal.audit.models import AccessEvent

_CURSOR = "%Y%m%dT%H%M%S.%fZ"


@dataclass
class EventPage:
    events: list[AccessEvent]  # each with ``description`` set
    newer: str | None  # the cursor of the page before (newer events), if any
    older: str | None  # the cursor of the page after (older events), if any

    def __iter__(self):
        return iter(self.events)

    def __len__(self):
        return len(self.events)


def _cursor(event) -> str:
    return f"{event.at.astimezone(UTC).strftime(_CURSOR)}-{event.pk}"


def _parse_cursor(value: str) -> tuple[datetime, int] | None:
    """The (time, id) of a cursor, or None for anything else (the newest page is shown then)."""
    at, _dash, pk = (value or "").partition("-")
    try:
        parsed = datetime.strptime(at, _CURSOR).replace(tzinfo=UTC), int(pk)
    except ValueError:
        return None
    return parsed if 0 < parsed[1] < 2**63 else None


def event_page(events, *, size: int, before: str = "", after: str = "", name: str | None = None) -> EventPage:
    """One page of ``events``, newest first: the newest, or those just older than the cursor ``before``,
    or just newer than ``after``. One query (size + 1 rows tell whether there is more), no COUNT."""
    newer_than = None if before else _parse_cursor(after)
    older_than = _parse_cursor(before)
    if newer_than:
        at, pk = newer_than
        rows = list(
            events.filter(Q(at__gt=at) | Q(at=at, pk__gt=pk), at__gte=at).order_by("at", "pk")[: size + 1]
        )
        if not rows:  # nothing newer than the cursor: the newest page
            return event_page(events, size=size, name=name)
        more_newer, rows = len(rows) > size, rows[:size][::-1]
        more_older = True
    else:
        if older_than:
            at, pk = older_than
            events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk), at__lte=at)
        rows = list(events.order_by("-at", "-pk")[: size + 1])
        more_older, rows = len(rows) > size, rows[:size]
        more_newer = older_than is not None
    return EventPage(
        events=describe_events(rows, name),
        newer=_cursor(rows[0]) if rows and more_newer else None,
        older=_cursor(rows[-1]) if rows and more_older else None,
    )

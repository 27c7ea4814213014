"""iCalendar (RFC 5545) for meetings: one event per meeting, in UTC so every calendar shows the right
local time on both sides of a daylight-saving change; the UID is stable and SEQUENCE follows the meeting.
No ``X-WR-TIMEZONE``: some readers (recurring-ical-events) move UTC times by it and read the repeated
hour in October an hour early; a calendar shows UTC times in its user's own zone anyway.

Written here rather than through the ``icalendar`` package: we emit one fixed shape of event, and every
reminder e-mail carries one, where the package's generic serialiser cost more than a millisecond per
event (a third of the delivery worker's time in ``bench_reminders``). The tests parse every shape we
write with ``icalendar`` to prove it is valid.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from portal.meetings.models import Meeting, MeetingKind

PRODID = "-//Godt på vej//Meetings//DA"
Event = list[str]  # content lines, unfolded


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.MESSAGE_ID_DOMAIN}"


def meeting_title(meeting: Meeting) -> str:
    """What the meeting is called in a calendar: kind and whom it concerns."""
    return title_of(
        meeting.kind,
        child_name=meeting.child.first_name if meeting.child_id else None,
        title=meeting.title,
        group_name=meeting.group.name if not meeting.child_id and not meeting.title else "",
    )


def title_of(kind: str, *, child_name: str | None, title: str, group_name: str) -> str:
    """``meeting_title`` from a meeting's values, for reads that do not load the meeting."""
    # The enum's label, not get_kind_display(), which builds the dict of choices at every call.
    label = MeetingKind(kind).label
    if child_name is not None:
        return _("%(kind)s about %(name)s") % {"kind": label, "name": child_name}
    return title or _("%(kind)s in %(group)s") % {"kind": label, "group": group_name}


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def utf8_chunks(data: bytes, size: int, then: int | None = None) -> list[bytes]:
    """``data`` cut into pieces of at most ``size`` bytes (``then`` bytes after the first), never
    inside a character's UTF-8 sequence."""
    pieces, start, limit = [], 0, size
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, then or size
    pieces.append(data[start:])
    return pieces


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space, never splitting a character (3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    # The continuation's leading space is its 75th octet.
    return b"\r\n ".join(utf8_chunks(data, 75, 74)).decode()


def meeting_event(
    meeting: Meeting,
    *,
    url: str = "",
    description: str = "",
    now: datetime | None = None,
    title: str | None = None,
) -> Event:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{_utc(now or datetime.now(UTC))}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{_text(title or meeting_title(meeting))}",
        f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}",
    ]
    location = meeting.location or meeting.video_url
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str = "", method: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(PRODID)}"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{_text(name)}")
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()

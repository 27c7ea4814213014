"""iCalendar for meetings: one event per meeting, in UTC so every calendar shows the right local time
on both sides of a daylight-saving change; the UID is stable and SEQUENCE follows the meeting."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.meetings.models import Meeting

PRODID = "-//Godt på vej//Meetings//DA"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.MESSAGE_ID_DOMAIN}"


def meeting_title(meeting: Meeting) -> str:
    """What the meeting is called in a calendar: kind and whom it concerns."""
    if meeting.child_id:
        return _("%(kind)s about %(name)s") % {
            "kind": meeting.get_kind_display(),
            "name": meeting.child.first_name,
        }
    return meeting.title or _("%(kind)s in %(group)s") % {
        "kind": meeting.get_kind_display(),
        "group": meeting.group.name,
    }


def meeting_event(
    meeting: Meeting, *, url: str = "", description: str = "", now: datetime | None = None
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting_title(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = meeting.location or meeting.video_url
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def calendar(events: Iterable[Event], *, name: str = "", method: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()

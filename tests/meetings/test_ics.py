"""The iCalendar we write is valid: parsed back with the icalendar package, every value survives."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from portal.meetings import ics
from portal.meetings.services import booking
from tests.meetings.conftest import req

AWKWARD = "Trivsel, læsning; og \\ matematik 🙂\nMed tolk (arabisk) – husk Emils bog, tak. " * 3


def test_an_awkward_event_round_trips_and_every_line_is_at_most_75_octets(cast, emil_period):
    slot = emil_period.slots.order_by("starts_at").first()
    meeting = booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=slot, child=cast.emil)
    meeting.location = "Mariehønens stue, Solsikkevej 4; 1. sal"
    body = ics.calendar(
        [ics.meeting_event(meeting, url="https://portal.example/meetings/1/", description=AWKWARD)],
        name="Møder, Godt på vej",
        method="REQUEST",
    )
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    parsed = Calendar.from_ical(body)
    assert str(parsed["method"]) == "REQUEST"
    assert "X-WR-CALNAME:Møder\\, Godt på vej\r\n".encode() in body  # a TEXT value, escaped
    (event,) = parsed.walk("VEVENT")
    assert str(event["description"]) == AWKWARD
    assert str(event["location"]) == meeting.location
    assert str(event["summary"]) == ics.meeting_title(meeting)
    assert event.decoded("dtstart") == meeting.starts_at.astimezone(UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
    assert str(event["uid"]) == ics.meeting_uid(meeting) and int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED" and str(event["url"]) == "https://portal.example/meetings/1/"


def test_a_cancelled_meeting_is_marked_cancelled(cast, emil_period):
    slot = emil_period.slots.order_by("starts_at").first()
    meeting = booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=slot, child=cast.emil)
    meeting = booking.meeting_cancel(request=req(cast.anna), user=cast.anna, meeting=meeting)
    (event,) = Calendar.from_ical(
        ics.calendar([ics.meeting_event(meeting, now=datetime(2027, 3, 28, 1, 30, tzinfo=UTC))])
    ).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1
    assert event.decoded("dtstamp") == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_folding_keeps_every_line_within_75_octets_and_never_splits_a_character():
    for text in ("a" * 200, "æ" * 120, "a🙂" * 60, "x" + "ø" * 80, "🙂" * 50):
        for length in range(60, len(text) + 1, 7):
            line = text[:length]
            folded = ics._fold(line)
            assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
            assert folded.replace("\r\n ", "") == line

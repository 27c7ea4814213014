"""The guardians' meeting pages, the inbox, contact settings and the calendar feed in the matrix.

Emil has a booked conversation (Anna booked it; a question carries his record marker), a booking that
can no longer be changed (its deadline has passed), an open period still to book and a parent meeting
of Mariehønen; Freja has a booked conference; Søren has a meeting in Skanderborg. Guardians with the
right to information read; only Anna (custody) books, moves, cancels and asks for an interpreter; staff
get 404 on the families' pages (they have their own).

The calendar feed is a capability URL: the token is the key, not the session, so every persona, signed
in or not, gets 200 with a valid token and sees the token owner's meetings. The marker scan reads every
body as if shown to the persona who fetched it, so the valid-token case uses the feed of a family
outside the cast (Karen, mother of Karl at Regnbuen, no markers of the cast), with a marker of its own
as the positive control: whoever fetches it sees Karen's meeting and nothing of their own or of the
cast's children. That Anna's feed fetched by Bo is Anna's is tested in tests/meetings/test_calendar.py.
A revoked or unknown token is 404 for everyone.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from portal.meetings.models import (
    BookingPeriod,
    CalendarFeed,
    Meeting,
    MeetingResponse,
    MeetingTopic,
    Notification,
    Reminder,
)
from portal.meetings.services import booking
from portal.meetings.services.calendar import calendar_feed_rotate
from tests import factories as f
from tests.matrix.base import (
    DONE,
    FORM,
    GET_NOT_ALLOWED,
    NF,
    NOT_ALLOWED,
    OK,
    PERSONAS,
    Case,
    Done,
    none,
    only,
)
from tests.meetings.conftest import make_period, req

SNAPSHOT_MODELS = [
    Meeting,
    MeetingResponse,
    MeetingTopic,
    Reminder,
    Notification,
    CalendarFeed,
    BookingPeriod,
]

EMIL_FAMILY = ("anna", "mikkel")
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _book(period, user, child, index=0):
    slot = period.slots.order_by("starts_at")[index]
    return booking.meeting_book(request=req(user), user=user, slot=slot, child=child)


def build(w):
    c = w.cast
    emil, freja, soeren = (w.children[k] for k in ("emil", "freja", "soeren"))
    periods = {
        "emil_booked": make_period(user=c.carla, group=c.mariehonen, title="Samtaler", days_ahead=15),
        "emil_open": make_period(user=c.carla, group=c.mariehonen, title="Samtaler igen", days_ahead=22),
        "emil_closed": make_period(user=c.carla, group=c.mariehonen, title="Lukket runde", days_ahead=9),
        "emil_draft": make_period(user=c.carla, group=c.mariehonen, title="Kladde", publish=False),
        "freja_booked": make_period(user=c.dorte, group=c.class_1a, title="Skole-hjem", days_ahead=16),
        "freja_open": make_period(user=c.dorte, group=c.class_1a, title="Skole-hjem igen", days_ahead=23),
    }
    meetings = {
        "emil": _book(periods["emil_booked"], c.anna, emil),
        "emil_closed": _book(periods["emil_closed"], c.anna, emil),
        "freja": _book(periods["freja_booked"], c.bo, freja),
    }
    BookingPeriod.objects.filter(pk=periods["emil_closed"].pk).update(
        booking_deadline=timezone.now() - timedelta(hours=1)
    )
    MeetingTopic.objects.create(
        meeting=meetings["emil"], author=c.anna, text=f"Søvn {w.record_marks['emil']}"
    )
    start = timezone.now() + timedelta(days=12)
    meetings["mariehonen"] = booking.meeting_plan(
        request=req(c.carla),
        user=c.carla,
        kind="parent_meeting",
        institution=c.solsikken,
        group=c.mariehonen,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        title="Forældremøde",
    )
    meetings["soeren"] = Meeting.objects.create(
        kind="daycare_conversation",
        institution=c.other_daycare,
        child=soeren,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
    )
    MeetingTopic.objects.create(meeting=meetings["soeren"], text=f"Emne {w.record_marks['soeren']}")

    # Everyone has an unread message and a calendar feed (so marking read and stopping change something).
    for persona in SIGNED_IN:
        user = getattr(c, persona)
        Notification.objects.create(user=user, title="Påmindelse")
        calendar_feed_rotate(user=user)
    Notification.objects.create(user=c.anna, title=f"Husk samtalen {w.record_marks['emil']}")
    _feed, revoked = calendar_feed_rotate(user=c.anna)
    calendar_feed_rotate(user=c.anna)

    # A family outside the cast: its feed is what every persona fetches with a valid token.
    feed_mark = f"MARK-feed-karen-{uuid.uuid4().hex[:10]}"
    w.labels[feed_mark] = "Karen's calendar feed"
    regnbuen = f.InstitutionFactory(municipality=c.aarhus, name="Regnbuen")
    karl = f.ChildFactory(municipality=c.aarhus, first_name="Karl", last_name="Kirk")
    f.EnrollmentFactory(child=karl, group=f.GroupFactory(institution=regnbuen, name="Solstrålerne"))
    karen = f.UserFactory(email="karen@example.test", first_name="Karen", last_name="Kirk")
    f.GuardianshipFactory(child=karl, user=karen)
    Meeting.objects.create(
        kind="daycare_conversation",
        institution=regnbuen,
        child=karl,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        location=f"Stuen {feed_mark}",
    )
    w.family = SimpleNamespace(
        periods=periods,
        meetings=meetings,
        feed_mark=feed_mark,
        tokens={"karen": calendar_feed_rotate(user=karen)[1], "revoked": revoked},
    )


def meeting(key):
    return lambda w: {"pk": w.family.meetings[key].pk}


def period(key):
    return lambda w: {"pk": w.family.periods[key].pk}


def shows(*keys, record=True):
    def markers(w, persona):
        found = set()
        for key in keys:
            found.add(w.name_marks[key])
            if record:
                found.add(w.record_marks[key])
        return found

    return markers


def free_slot(key, index=-1):
    def data(w):
        slots = list(w.family.periods[key].slots.order_by("starts_at"))
        return {"slot": slots[index].pk}

    return data


def book_payload(key, child):
    def data(w):
        return {**free_slot(key, 2)(w), "child": w.children[child].pk, "topic": "Hvordan sover han?"}

    return data


def family(outcome, **extra):
    return only(**dict.fromkeys(EMIL_FAMILY, outcome), **extra)


everyone = only(others=OK)
topic_payload = lambda w: {"text": "Kan vi tale om madpakker?"}  # noqa: E731
contact_payload = lambda w: {  # noqa: E731
    "notify_by_email": "on",
    "notify_by_sms": "on",
    "phone": "12 34 56 78",
    "language": "da",
}

MATRIX = {
    "meetings:my_meetings": [
        Case(
            "my meetings",
            none,
            get=only(anna=OK, mikkel=OK, bo=OK),
            shows=lambda w, p: (
                shows("emil")(w, p) if p in EMIL_FAMILY else shows("freja", record=False)(w, p)
            ),
        )
    ],
    "meetings:meeting_detail": [
        Case("Emil's conversation", meeting("emil"), get=family(OK), shows=shows("emil")),
        Case(
            "Emil's closed booking", meeting("emil_closed"), get=family(OK), shows=shows("emil", record=False)
        ),
        Case("Mariehønen's parent meeting", meeting("mariehonen"), get=family(OK)),
        Case("Freja's conference", meeting("freja"), get=only(bo=OK), shows=shows("freja", record=False)),
        Case("Søren's meeting", meeting("soeren"), get=only()),
    ],
    "meetings:meeting_move": [
        Case(
            "Emil's conversation",
            meeting("emil"),
            get=only(anna=OK),
            post=only(anna=Done()),
            data=free_slot("emil_booked"),
            shows=shows("emil", record=False),
        ),
        Case(
            "Emil's booking after the deadline",
            meeting("emil_closed"),
            get=only(anna=OK),
            post=only(anna=FORM),
            data=free_slot("emil_closed"),
        ),
        Case(
            "Freja's conference",
            meeting("freja"),
            get=only(bo=OK),
            post=only(bo=DONE),
            data=free_slot("freja_booked"),
        ),
        Case(
            "the parent meeting",
            meeting("mariehonen"),
            get=only(),
            post=only(),
            data=free_slot("emil_booked"),
        ),
        Case("Søren's meeting", meeting("soeren"), get=only(), post=only(), data=free_slot("emil_booked")),
    ],
    "meetings:meeting_cancel": [
        Case(
            "Emil's conversation",
            meeting("emil"),
            get=only(anna=OK),
            post=only(anna=Done("meetings:my_meetings")),
            data=none,
        ),
        Case(
            "Emil's booking after the deadline",
            meeting("emil_closed"),
            get=only(anna=OK),
            post=only(anna=FORM),
            data=none,
        ),
        Case(
            "Freja's conference",
            meeting("freja"),
            get=only(bo=OK),
            post=only(bo=Done("meetings:my_meetings")),
            data=none,
        ),
        Case("Søren's meeting", meeting("soeren"), get=only(), post=only(), data=none),
    ],
    "meetings:topic_add": [
        Case(
            "Emil's conversation", meeting("emil"), get=GET_NOT_ALLOWED, post=family(DONE), data=topic_payload
        ),
        Case("Mariehønen's parent meeting", meeting("mariehonen"), post=family(DONE), data=topic_payload),
        Case("Freja's conference", meeting("freja"), post=only(bo=DONE), data=topic_payload),
        Case("Søren's meeting", meeting("soeren"), post=only(), data=topic_payload),
    ],
    "meetings:meeting_respond": [
        Case(
            "the parent meeting of Emil's group",
            meeting("mariehonen"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE, mikkel=DONE),
            data=lambda w: {"coming": "yes", "adults": "2"},
        ),
        Case(
            "Emil's conversation (not a parent meeting)",
            meeting("emil"),
            post=only(),
            data=lambda w: {"coming": "yes", "adults": "1"},
        ),
    ],
    "meetings:meeting_interpreter": [
        Case(
            "Emil's conversation",
            meeting("emil"),
            get=GET_NOT_ALLOWED,
            post=only(anna=DONE),
            data=lambda w: {"interpreter_language": "arabisk"},
        ),
        Case(
            "the parent meeting",
            meeting("mariehonen"),
            post=only(),
            data=lambda w: {"interpreter_language": "arabisk"},
        ),
        Case(
            "Søren's meeting", meeting("soeren"), post=only(), data=lambda w: {"interpreter_language": "tysk"}
        ),
    ],
    "meetings:period_book": [
        Case(
            "Emil's open period",
            period("emil_open"),
            get=family(OK),
            # Mikkel is told that a parent with custody books; nothing is written.
            post=only(anna=DONE, mikkel=FORM),
            data=book_payload("emil_open", "emil"),
            shows=shows("emil", record=False),
        ),
        Case(
            "Emil's period, already booked",
            period("emil_booked"),
            get=family(OK),
            post=only(anna=FORM, mikkel=FORM),
            data=book_payload("emil_booked", "emil"),
        ),
        Case(
            "Freja's open period",
            period("freja_open"),
            get=only(bo=OK),
            post=only(bo=DONE),
            data=book_payload("freja_open", "freja"),
        ),
        Case(
            "an unpublished period",
            period("emil_draft"),
            get=only(),
            post=only(),
            data=book_payload("emil_draft", "emil"),
        ),
    ],
    "meetings:notifications": [
        Case(
            "my messages",
            none,
            get=everyone,
            shows=lambda w, p: {w.record_marks["emil"]} if p == "anna" else set(),
        )
    ],
    "meetings:notifications_read": [
        Case("mark all as read", none, get=GET_NOT_ALLOWED, post=only(others=DONE), data=none)
    ],
    "meetings:contact_settings": [
        Case("how we reach you", none, get=everyone, post=only(others=DONE), data=contact_payload),
        Case(
            "text messages without a number",
            none,
            post=only(others=FORM),
            data=lambda w: {"notify_by_sms": "on", "phone": "", "language": "da"},
        ),
    ],
    "meetings:calendar_settings": [Case("calendar settings", none, get=everyone)],
    "meetings:calendar_rotate": [
        Case("new address", none, get=GET_NOT_ALLOWED, post=only(others=DONE), data=none)
    ],
    "meetings:calendar_delete": [
        Case("stop the feed", none, get=GET_NOT_ALLOWED, post=only(others=DONE), data=none)
    ],
    "meetings:calendar_feed": [
        Case(
            "a valid token (Karen's)",
            lambda w: {"token": w.family.tokens["karen"]},
            get=only(anonymous=OK, others=OK),
            post=only(anonymous=NOT_ALLOWED, others=NOT_ALLOWED),
            data=none,
            shows=lambda w, p: {w.family.feed_mark},
        ),
        Case(
            "Anna's revoked token",
            lambda w: {"token": w.family.tokens["revoked"]},
            get=only(anonymous=NF, others=NF),
        ),
        Case("an unknown token", lambda w: {"token": "not-a-real-token"}, get=only(anonymous=NF, others=NF)),
    ],
}

WRITING = {
    "meetings:meeting_move",
    "meetings:meeting_cancel",
    "meetings:topic_add",
    "meetings:meeting_interpreter",
    "meetings:meeting_respond",
    "meetings:period_book",
    "meetings:notifications_read",
    "meetings:contact_settings",
    "meetings:calendar_rotate",
    "meetings:calendar_delete",
}

"""The staff's meeting pages in the authorization matrix.

Mariehønen (Emil's group, Carla's and Lene's) has an open round of conversations where Emil has not
booked, one where Anna booked Emil (her topic carries Emil's record marker), a draft, a parent meeting
and a past conversation with a summary (record marker) and a follow-up. Bien (Ida, Lene's only), 1.A
(Freja, Dorte's) and Frøerne in Skanderborg (Søren) have their own rounds, so the scan proves that each
grid and meeting is seen and changed only by the staff of its group, and by nobody else.
"""

from datetime import datetime, time, timedelta

from django.test import RequestFactory
from django.utils import timezone

from portal.meetings.models import (
    BookingNudge,
    BookingPeriod,
    FollowUp,
    Meeting,
    MeetingTopic,
    Notification,
    Reminder,
    Slot,
)
from portal.meetings.services import booking
from tests import factories as f
from tests.matrix.base import DONE, FORM, GET_NOT_ALLOWED, OK, Case, none, only

SNAPSHOT_MODELS = [
    BookingPeriod,
    BookingPeriod.hosts.through,
    Slot,
    Meeting,
    Meeting.hosts.through,
    MeetingTopic,
    FollowUp,
    Reminder,
    Notification,
    BookingNudge,
]

MARIEHONEN_STAFF = ("carla", "lene")
STAFF = ("carla", "lene", "dorte", "sofie")


def _weekday(days_ahead):
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _period(user, group, *, days_ahead=14, publish=True, title="Samtaler"):
    first = _weekday(days_ahead)
    period = booking.period_create(
        user=user,
        group=group,
        title=title,
        days=[first],
        start=time(14, 0),
        end=time(16, 0),
        slot_minutes=20,
        booking_deadline=timezone.make_aware(datetime.combine(first - timedelta(days=2), time(23, 59))),
        kind="daycare_conversation",
    )
    if publish:
        booking.period_publish(user=user, period=period)
    return period


def _past(child, institution, host, *, summary=""):
    start = timezone.now() - timedelta(hours=3)
    meeting = Meeting.objects.create(
        kind="daycare_conversation",
        institution=institution,
        child=child,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        summary=summary,
    )
    meeting.hosts.set([host])
    return meeting


def _book(period, user, child, *, topic=""):
    slot = period.slots.order_by("starts_at").first()
    return booking.meeting_book(request=_request(user), user=user, slot=slot, child=child, topic=topic)


def build(w):
    c = w.cast
    emil, ida, freja, soeren = (w.children[k] for k in ("emil", "ida", "freja", "soeren"))
    # Skanderborg's own pedagogue (no persona): holds Frøerne's conversations.
    frog_staff = f.UserFactory(email="froerne@example.test")
    f.StaffMembershipFactory(user=frog_staff, institution=c.other_daycare, groups=[c.other_group])
    w.periods = {
        "mariehonen_open": _period(c.carla, c.mariehonen),
        "mariehonen_booked": _period(c.carla, c.mariehonen, days_ahead=21),
        "mariehonen_draft": _period(c.carla, c.mariehonen, days_ahead=35, publish=False),
        "bien": _period(c.lene, c.bien),
        "class_1a": _period(c.dorte, c.class_1a),
        "other": _period(frog_staff, c.other_group),
    }
    w.meetings = {
        "emil_booked": _book(
            w.periods["mariehonen_booked"], c.anna, emil, topic=f"Søvn {w.record_marks['emil']}"
        ),
        "freja_booked": _book(w.periods["class_1a"], c.bo, freja),
        "emil_past": _past(emil, c.solsikken, c.carla, summary=f"Godt møde {w.record_marks['emil']}"),
        "soeren_past": _past(soeren, c.other_daycare, frog_staff, summary=f"Møde {w.record_marks['soeren']}"),
        "parent_meeting": booking.meeting_plan(
            request=_request(c.carla),
            user=c.carla,
            kind="parent_meeting",
            institution=c.solsikken,
            group=c.mariehonen,
            title="Forældremøde",
            starts_at=timezone.now() + timedelta(days=10),
            ends_at=timezone.now() + timedelta(days=10, hours=1),
        ),
    }
    today = timezone.localdate()
    w.follow_ups = {
        "emil": FollowUp.objects.create(
            meeting=w.meetings["emil_past"], text="Læse højt", follow_up_on=today
        ),
        "soeren": FollowUp.objects.create(meeting=w.meetings["soeren_past"], text="Læse", follow_up_on=today),
    }
    assert ida  # Ida is only in Bien's round (Lene's), never in Carla's


def period(key):
    return lambda w: {"pk": w.periods[key].pk}


def meeting(key):
    return lambda w: {"pk": w.meetings[key].pk}


def shows_name(key):
    return lambda w, persona: {w.name_marks[key]}


def shows_record(key):
    return lambda w, persona: {w.record_marks[key]}


def mariehonen(outcome):
    return only(**dict.fromkeys(MARIEHONEN_STAFF, outcome))


def period_payload(w):
    first = _weekday(28)
    return {
        "group": w.groups["mariehonen"].pk,
        "kind": "daycare_conversation",
        "title": "Nye samtaler",
        "first_day": first.isoformat(),
        "last_day": first.isoformat(),
        "start": "14:00",
        "end": "15:00",
        "slot_minutes": "20",
        "arrangement": "together",
        "booking_deadline": (first - timedelta(days=3)).isoformat(),
    }


def group_meeting_payload(w):
    return {
        "group": w.groups["mariehonen"].pk,
        "title": "Fædremøde",
        "style": "fathers",
        "day": _weekday(20).isoformat(),
        "start": "17:00",
        "end": "18:00",
    }


def assign_payload(w):
    return {
        "slot": w.periods["mariehonen_open"].slots.order_by("starts_at").first().pk,
        "child": w.children["emil"].pk,
    }


def move_payload(w):
    return {"slot": w.periods["mariehonen_booked"].slots.order_by("-starts_at").first().pk}


def other_move_payload(w):
    return {"slot": w.periods["other"].slots.order_by("-starts_at").first().pk}


def prepare_payload(w):
    return {
        "agenda": "Sprog",
        "preparation": "Se læreplanen",
        "prepare_with": "learning_plan",
    }


def record_payload(w):
    return {"attendance": "attended", "summary": "Det gik godt", "share_summary": "on"}


def followup_payload(goal_key):
    def data(w):
        return {
            "text": "Øve turtagning",
            "responsible": "both",
            "follow_up_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "learning_goal": w.goals[goal_key].pk,
        }

    return data


MATRIX = {
    "meetings:staff_meetings": [
        Case(
            "staff overview",
            none,
            get=only(**dict.fromkeys(STAFF, OK)),
            shows=lambda w, p: (
                {w.name_marks["emil"]}
                if p in MARIEHONEN_STAFF
                else {w.name_marks["freja"]}
                if p == "dorte"
                else set()
            ),
        )
    ],
    "meetings:period_create": [
        Case(
            "for Mariehønen",
            none,
            get=only(**dict.fromkeys(STAFF, OK)),
            # Dorte's and Sofie's forms offer only their own groups: Mariehønen is refused as a choice.
            post=only(carla=DONE, lene=DONE, dorte=FORM, sofie=FORM),
            data=period_payload,
        )
    ],
    "meetings:period_detail": [
        Case(
            "Mariehønen, Emil not booked",
            period("mariehonen_open"),
            get=mariehonen(OK),
            shows=shows_name("emil"),
        ),
        Case(
            "Mariehønen, Emil booked",
            period("mariehonen_booked"),
            get=mariehonen(OK),
            shows=shows_name("emil"),
        ),
        Case("Bien (not Carla's)", period("bien"), get=only(lene=OK), shows=shows_name("ida")),
        Case("1.A", period("class_1a"), get=only(dorte=OK), shows=shows_name("freja")),
        Case("Skanderborg", period("other"), get=only()),
    ],
    "meetings:period_publish": [
        Case(
            "Mariehønen draft",
            period("mariehonen_draft"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=none,
        ),
        Case("Skanderborg", period("other"), post=only(), data=none),
    ],
    "meetings:period_nudge": [
        Case(
            "Mariehønen, Emil not booked",
            period("mariehonen_open"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=none,
        ),
        Case("Skanderborg", period("other"), post=only(), data=none),
    ],
    "meetings:slot_assign": [
        Case(
            "Emil in Mariehønen",
            period("mariehonen_open"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=assign_payload,
        ),
        Case(
            "Søren in Skanderborg",
            period("other"),
            post=only(),
            data=lambda w: {"slot": w.periods["other"].slots.first().pk, "child": w.children["soeren"].pk},
        ),
    ],
    "meetings:group_meeting_create": [
        Case(
            "for Mariehønen",
            none,
            get=only(**dict.fromkeys(STAFF, OK)),
            post=only(carla=DONE, lene=DONE, dorte=FORM, sofie=FORM),
            data=group_meeting_payload,
        )
    ],
    "meetings:staff_meeting_detail": [
        Case(
            "Emil's booked conversation",
            meeting("emil_booked"),
            get=mariehonen(OK),
            shows=shows_record("emil"),
        ),
        Case(
            "Emil's past conversation", meeting("emil_past"), get=mariehonen(OK), shows=shows_record("emil")
        ),
        Case("Mariehønen's parent meeting", meeting("parent_meeting"), get=mariehonen(OK)),
        Case("Freja's conversation", meeting("freja_booked"), get=only(dorte=OK), shows=shows_name("freja")),
        Case("Søren's conversation", meeting("soeren_past"), get=only()),
    ],
    "meetings:staff_meeting_move": [
        Case(
            "Emil's booked conversation",
            meeting("emil_booked"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=move_payload,
        ),
        Case(
            "Freja's conversation",
            meeting("freja_booked"),
            post=only(dorte=DONE),
            data=lambda w: {"slot": w.periods["class_1a"].slots.order_by("-starts_at").first().pk},
        ),
        Case("Søren's conversation", meeting("soeren_past"), post=only(), data=other_move_payload),
    ],
    "meetings:staff_meeting_cancel": [
        Case(
            "Emil's booked conversation",
            meeting("emil_booked"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=none,
        ),
        Case("Mariehønen's parent meeting", meeting("parent_meeting"), post=mariehonen(DONE), data=none),
        Case("Freja's conversation", meeting("freja_booked"), post=only(dorte=DONE), data=none),
        Case("Søren's conversation", meeting("soeren_past"), post=only(), data=none),
    ],
    "meetings:meeting_prepare": [
        Case(
            "Emil's booked conversation",
            meeting("emil_booked"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=prepare_payload,
        ),
        Case("Søren's conversation", meeting("soeren_past"), post=only(), data=prepare_payload),
    ],
    "meetings:meeting_record": [
        Case(
            "Emil's past conversation",
            meeting("emil_past"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=record_payload,
        ),
        Case("Søren's conversation", meeting("soeren_past"), post=only(), data=record_payload),
    ],
    "meetings:followup_add": [
        Case(
            "Emil's goal on Emil's conversation",
            meeting("emil_past"),
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=followup_payload("emil"),
        ),
        Case(
            "Ida's goal on Emil's conversation (refused choice)",
            meeting("emil_past"),
            post=mariehonen(FORM),
            data=followup_payload("ida"),
        ),
        Case("Søren's conversation", meeting("soeren_past"), post=only(), data=followup_payload("soeren")),
    ],
    "meetings:followup_done": [
        Case(
            "Emil's follow-up",
            lambda w: {"pk": w.follow_ups["emil"].pk},
            get=GET_NOT_ALLOWED,
            post=mariehonen(DONE),
            data=none,
        ),
        Case("Søren's follow-up", lambda w: {"pk": w.follow_ups["soeren"].pk}, post=only(), data=none),
    ],
}

WRITING = {
    "meetings:period_create",
    "meetings:period_publish",
    "meetings:period_nudge",
    "meetings:slot_assign",
    "meetings:group_meeting_create",
    "meetings:staff_meeting_move",
    "meetings:staff_meeting_cancel",
    "meetings:meeting_prepare",
    "meetings:meeting_record",
    "meetings:followup_add",
    "meetings:followup_done",
}

"""Meetings for the small demo (``seed_demo``): written through the same services as the portal.
Every meeting falls on a weekday outside the Danish holidays, and the café's agenda fits the season."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portal.demo.common import next_workday
from portal.meetings.models import FollowUp, Meeting, MeetingKind, PrepareWith
from portal.meetings.services import booking

# What the parents' café talks about, by the month it is held in.
CAFE_AGENDAS = {
    (12,): "Gløgg og æbleskiver, julehygge i Mariehønen og børnenes nye legeplads.",
    (1, 2): "Kaffe og boller, vinterens ture og fastelavn.",
    (3, 4): "Kaffe og kage, forårets ture i skoven og børnenes nye legeplads.",
    (5, 6): "Kaffe og kage, sommerfesten og børnenes nye legeplads.",
    (7, 8): "Kaffe og kage, sommerferien og de nye børn i Mariehønen.",
    (9, 10, 11): "Kaffe og kage, høstfesten og børnenes nye legeplads.",
}


def cafe_agenda(day: date) -> str:
    return next(agenda for months, agenda in CAFE_AGENDAS.items() if day.month in months)


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_meetings(*, users, emil, freja, mariehonen, class_1a, others, today: date | None = None) -> None:
    today = today or timezone.localdate()
    carla, dorte, anna = users["carla"], users["dorte"], users["anna"]

    first = next_workday(today + timedelta(days=10))
    second = next_workday(first + timedelta(days=1))
    daycare = booking.period_create(
        user=carla,
        group=mariehonen,
        kind=MeetingKind.DAYCARE_CONVERSATION,
        title="Forældresamtaler i Mariehønen",
        days=[first, second],
        start=time(14, 0),
        end=time(16, 30),
        slot_minutes=25,
        pause_minutes=5,
        booking_deadline=_at(first - timedelta(days=3), 23, 59),
        location="Mariehønens stue, Solsikkevej 4",
        agenda="Hvordan trives jeres barn? Leg og venskaber. Det næste halve år.",
        preparation="Kig gerne på jeres barns læringsmål først, og tænk over, hvad I vil spørge om.",
        prepare_with=PrepareWith.LEARNING_PLAN,
    )
    booking.period_publish(user=carla, period=daycare)
    slots = list(daycare.slots.order_by("starts_at"))
    for slot, child in zip(slots[1::2], others.get(mariehonen, [])[:3], strict=False):
        booking.meeting_book(request=None, user=carla, slot=slot, child=child, by_staff=True)

    school_day = next_workday(today + timedelta(days=12))
    conferences = booking.period_create(
        user=dorte,
        group=class_1a,
        kind=MeetingKind.CONFERENCE,
        title="Skole-hjem-samtaler i 1.A",
        days=[school_day],
        start=time(15, 0),
        end=time(18, 0),
        slot_minutes=15,
        pause_minutes=5,
        break_start=time(16, 20),
        break_end=time(16, 40),
        booking_deadline=_at(school_day - timedelta(days=2), 12, 0),
        location="1.A's klasselokale, Skovvangskolen",
        video_url="https://video.example.test/skovvang-1a",
        agenda="Trivsel i klassen, læsning og matematik, og hvad I kan gøre derhjemme.",
        preparation="Læs gerne Frejas læringsmål sammen med hende før samtalen.",
        prepare_with=PrepareWith.LEARNING_PLAN,
    )
    booking.period_publish(user=dorte, period=conferences)
    school_slots = list(conferences.slots.order_by("starts_at"))
    booking.meeting_book(
        request=None,
        user=users["bo"],
        slot=school_slots[2],
        child=freja,
        topic="Hvordan går det med læsningen?",
    )
    for slot, child in zip(school_slots[4::2], others.get(class_1a, [])[:2], strict=False):
        booking.meeting_book(request=None, user=dorte, slot=slot, child=child, by_staff=True)

    cafe_day = next_workday(today + timedelta(days=21))
    booking.meeting_plan(
        request=None,
        user=carla,
        kind=MeetingKind.PARENT_MEETING,
        institution=mariehonen.institution,
        group=mariehonen,
        title="Forældrecafé i Mariehønen",
        style=Meeting.Style.CAFE,
        starts_at=_at(cafe_day, 16, 0),
        ends_at=_at(cafe_day, 17, 30),
        location="Solsikkens køkken",
        agenda=cafe_agenda(cafe_day),
    )

    # Emil's last conversation, held in the spring, with its summary shared and a follow-up.
    held_day = next_workday(today - timedelta(days=60))
    past = Meeting.objects.create(
        kind=MeetingKind.DAYCARE_CONVERSATION,
        institution=mariehonen.institution,
        child=emil,
        starts_at=_at(held_day, 14, 0),
        ends_at=_at(held_day, 14, 30),
        location="Mariehønens stue",
        status=Meeting.Status.HELD,
        attendance=Meeting.Attendance.ATTENDED,
        summary=(
            "Emil trives og leger meget med Oscar og Lily. Han fortæller gerne, når han kender emnet. "
            "Vi øver at vente på tur i samlingen."
        ),
        summary_shared_at=_at(held_day, 16, 0),
        booked_by=anna,
        booked_at=_at(held_day - timedelta(days=14), 9, 0),
    )
    past.hosts.set([carla])
    FollowUp.objects.create(
        meeting=past,
        text="Hjemme: tal om en ting fra dagen ved aftensmaden. I børnehaven: små grupper i samlingen.",
        responsible=FollowUp.Responsible.BOTH,
        follow_up_on=today + timedelta(days=30),
        learning_goal=emil.learning_goals.first(),
        created_by=carla,
    )

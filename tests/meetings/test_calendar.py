"""The personal calendar feed: the right UTC instants on both sides of both daylight-saving changes,
revocable addresses stored only as hashes (shown once), ended with the other sessions, only the owner's
meetings whoever fetches, and a fixed number of queries."""

import hashlib
import importlib
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.audit.models import AccessEvent
from portal.meetings.models import CalendarFeed, Meeting, MeetingKind
from portal.meetings.services import booking
from portal.meetings.services.calendar import calendar_feed_delete, calendar_feed_rotate
from tests import factories as f
from tests.meetings.conftest import make_period, req
from tests.queries import assert_constant_queries

CPH = ZoneInfo("Europe/Copenhagen")
hash_migration = importlib.import_module("portal.meetings.migrations.0008_calendar_feed_token_hash")


def feed_url(token):
    return reverse("meetings:calendar_feed", kwargs={"token": token})


def new_address(user):
    """The path of a new calendar address for the person (the token is known only when it is made)."""
    _feed, token = calendar_feed_rotate(user=user)
    return feed_url(token)


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def plan(cast, starts_at, *, child=None, group=None, minutes=30, user=None, **extra):
    user = user or cast.carla
    return booking.meeting_plan(
        request=req(user),
        user=user,
        kind="parent_meeting" if group else "daycare_conversation",
        institution=cast.solsikken if (child or group) in (cast.emil, cast.mariehonen) else cast.school,
        child=child,
        group=group,
        starts_at=starts_at,
        # In UTC: aware arithmetic in a zone is wall-clock time, wrong across a change of offset.
        ends_at=starts_at.astimezone(UTC) + timedelta(minutes=minutes),
        **extra,
    )


def uid(meeting):
    return f"meeting-{meeting.pk}@"


def find(evs, meeting):
    return next(e for key, e in evs.items() if key.startswith(uid(meeting)))


def last_sunday(year, month):
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


# 2027 as in the issue; a later year once 2027 has passed (meetings are planned in the future).
YEAR = max(2027, date.today().year + 1)
SPRING, AUTUMN = last_sunday(YEAR, 3), last_sunday(YEAR, 10)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.mark.parametrize(
    ("local", "offset_hours"),
    [
        # Spring forward on the last Sunday of March: CET (+1) before, CEST (+2) after.
        (at(SPRING - timedelta(days=1), 10), 1),  # 2027-03-27 10:00 CET = 09:00Z
        (at(SPRING + timedelta(days=1), 10), 2),  # 2027-03-29 10:00 CEST = 08:00Z
        # Fall back on the last Sunday of October: CEST before, CET after.
        (at(AUTUMN - timedelta(days=1), 10), 2),  # 2027-10-30 10:00 CEST = 08:00Z
        (at(AUTUMN + timedelta(days=1), 10), 1),  # 2027-11-01 10:00 CET = 09:00Z
        # 02:30 happens twice that night; the first (still summer time, fold=0) is meant.
        (at(AUTUMN, 2, 30), 2),  # 2027-10-31 02:30 CEST = 00:30Z
    ],
)
def test_meetings_around_daylight_saving_changes_have_the_right_utc_times(cast, local, offset_hours):
    meeting = plan(cast, local.replace(tzinfo=CPH), child=cast.emil)
    event = find(events(Client().get(new_address(cast.anna))), meeting)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    utc = (local - timedelta(hours=offset_hours)).replace(tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert start == utc == local.replace(tzinfo=CPH).astimezone(UTC)
    assert end - start == timedelta(minutes=30)
    assert start.astimezone(CPH).replace(tzinfo=None) == local


def test_the_2027_changes_are_where_the_issue_says():
    assert (last_sunday(2027, 3), last_sunday(2027, 10)) == (date(2027, 3, 28), date(2027, 10, 31))
    assert datetime(2027, 3, 27, 10, tzinfo=CPH).astimezone(UTC) == datetime(2027, 3, 27, 9, tzinfo=UTC)
    assert datetime(2027, 3, 29, 10, tzinfo=CPH).astimezone(UTC) == datetime(2027, 3, 29, 8, tzinfo=UTC)


def test_both_transitions_in_one_feed(cast):
    days = [
        SPRING - timedelta(days=1),
        SPRING + timedelta(days=1),
        AUTUMN - timedelta(days=1),
        AUTUMN + timedelta(days=1),
    ]
    meetings = [plan(cast, at(d, 10).replace(tzinfo=CPH), child=cast.emil) for d in days]
    evs = events(Client().get(new_address(cast.anna)))
    hours = [find(evs, m).decoded("DTSTART").hour for m in meetings]
    assert hours == [9, 8, 8, 9]


def test_both_transitions_read_alike_by_recurring_ical_events(cast):
    """recurring-ical-events reads a calendar's ``X-WR-TIMEZONE`` and moves UTC times by it; the feed
    must give it the same instants as icalendar, also for the repeated hour in October."""
    import recurring_ical_events

    locals_ = [
        at(SPRING - timedelta(days=1), 10),
        at(SPRING, 3, 30),  # the first hour of summer time
        at(SPRING + timedelta(days=1), 10),
        at(AUTUMN - timedelta(days=1), 10),
        at(AUTUMN, 2, 30),  # the repeated hour, its first time (summer time)
        at(AUTUMN, 2, 30).replace(fold=1),  # and its second (winter time)
        at(AUTUMN + timedelta(days=1), 10),
    ]
    meetings = [plan(cast, local.replace(tzinfo=CPH), child=cast.emil) for local in locals_]
    response = Client().get(new_address(cast.anna))
    by_icalendar = {uid(m): find(events(response), m).decoded("DTSTART") for m in meetings}
    calendar = Calendar.from_ical(response.content)
    read = recurring_ical_events.of(calendar).between(date(YEAR, 1, 1), date(YEAR + 1, 1, 1))
    starts = {str(e["UID"]): e["DTSTART"].dt for e in read}
    for meeting, local in zip(meetings, locals_, strict=True):
        (start,) = [s for key, s in starts.items() if key.startswith(uid(meeting))]
        assert start == local.replace(tzinfo=CPH).astimezone(UTC) == by_icalendar[uid(meeting)]


def test_an_unknown_or_revoked_address_is_404(cast):
    plan(cast, timezone.now() + timedelta(days=3), child=cast.emil)
    client = Client()
    assert client.get(reverse("meetings:calendar_feed", kwargs={"token": "not-a-token"})).status_code == 404
    old_url = new_address(cast.anna)
    assert client.get(old_url).status_code == 200
    new_url = new_address(cast.anna)
    assert new_url != old_url and CalendarFeed.objects.count() == 1
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200
    calendar_feed_delete(user=cast.anna)
    assert client.get(new_url).status_code == 404


def test_an_inactive_persons_feed_is_404(cast):
    url = new_address(cast.anna)
    cast.anna.is_active = False
    cast.anna.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_bos_feed_has_freja_and_no_emil(cast, emil_period, freja_period):
    emil_meeting = booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=emil_period.slots.first(), child=cast.emil
    )
    freja_meeting = booking.meeting_book(
        request=req(cast.bo), user=cast.bo, slot=freja_period.slots.first(), child=cast.freja
    )
    parent_meeting = plan(cast, timezone.now() + timedelta(days=4), group=cast.mariehonen)
    bo = events(Client().get(new_address(cast.bo)))
    assert [k for k in bo if k.startswith(uid(freja_meeting))]
    assert not [k for k in bo if k.startswith((uid(emil_meeting), uid(parent_meeting)))]
    assert not any("Emil" in str(e["SUMMARY"]) for e in bo.values())
    anna = events(Client().get(new_address(cast.anna)))
    assert {k.split("@")[0] for k in anna} == {f"meeting-{emil_meeting.pk}", f"meeting-{parent_meeting.pk}"}
    assert "Emil" in str(find(anna, emil_meeting)["SUMMARY"])
    assert str(find(anna, emil_meeting)["URL"]).endswith(
        reverse("meetings:meeting_detail", args=[emil_meeting.pk])
    )


def test_the_token_not_the_session_decides_whose_feed_it_is(client, login, cast, emil_period):
    meeting = booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=emil_period.slots.first(), child=cast.emil
    )
    url = new_address(cast.anna)
    login(client, cast.bo)
    evs = events(client.get(url))
    assert [k for k in evs if k.startswith(uid(meeting))]
    event = AccessEvent.objects.get(subject="calendar_feed")
    assert (event.actor, event.child, event.action) == (cast.anna, cast.emil, "list")


def test_staff_feed_has_the_meetings_they_hold_and_their_groups_parent_meetings(cast, emil_period):
    conversation = booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=emil_period.slots.first(), child=cast.emil
    )
    parent_meeting = plan(cast, timezone.now() + timedelta(days=4), group=cast.mariehonen, user=cast.lene)
    carla = events(Client().get(new_address(cast.carla)))
    assert [k for k in carla if k.startswith(uid(conversation))]
    assert [k for k in carla if k.startswith(uid(parent_meeting))]
    assert str(find(carla, conversation)["URL"]).endswith(
        reverse("meetings:staff_meeting_detail", args=[conversation.pk])
    )
    dorte = events(Client().get(new_address(cast.dorte)))
    assert not dorte
    erik = Client().get(new_address(cast.erik))
    assert events(erik) == {}


def test_a_cancelled_meeting_stays_as_cancelled_with_a_new_sequence(cast, emil_period):
    meeting = booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=emil_period.slots.first(), child=cast.emil
    )
    booking.meeting_cancel(request=req(cast.anna), user=cast.anna, meeting=meeting)
    event = find(events(Client().get(new_address(cast.anna))), meeting)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_old_meetings_and_long_cancelled_ones_leave_the_feed(cast):
    old = plan(cast, timezone.now() + timedelta(days=1), child=cast.emil)
    gone = plan(cast, timezone.now() + timedelta(days=2), child=cast.emil)
    long_ago = timezone.now() - timedelta(days=40)
    old.starts_at, old.ends_at = long_ago, long_ago + timedelta(minutes=30)
    old.save(update_fields=["starts_at", "ends_at"])
    gone.status, gone.cancelled_at = "cancelled", timezone.now() - timedelta(days=31)
    gone.save(update_fields=["status", "cancelled_at"])
    assert events(Client().get(new_address(cast.anna))) == {}


def test_the_feed_records_last_use_at_most_once_an_hour(cast, django_assert_num_queries):
    feed, token = calendar_feed_rotate(user=cast.anna)
    client = Client()
    client.get(feed_url(token))
    feed.refresh_from_db()
    first = feed.last_used_at
    assert first is not None
    client.get(feed_url(token))
    feed.refresh_from_db()
    assert feed.last_used_at == first
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=first - timedelta(hours=2))
    client.get(feed_url(token))
    feed.refresh_from_db()
    assert feed.last_used_at > first


def test_the_feed_is_private_and_not_cached(cast):
    response = Client().get(new_address(cast.anna))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_feed_costs_the_same_queries_with_one_and_many_meetings(cast, emil_period):
    booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=emil_period.slots.first(), child=cast.emil
    )
    url = new_address(cast.anna)

    def grow():
        for i in range(1, 5):
            period = make_period(user=cast.carla, group=cast.mariehonen, days_ahead=20 + i)
            booking.meeting_book(
                request=req(cast.anna), user=cast.anna, slot=period.slots.first(), child=cast.emil
            )
        plan(cast, timezone.now() + timedelta(days=4), group=cast.mariehonen)

    assert_constant_queries(Client(), url, 8, grow)


def shown_address(body: str) -> str:
    """The path of the address the settings page shows ("" when it shows none)."""
    found = re.search(r'id="feed-url" value="([^"]+)"', body)
    return found.group(1).removeprefix(settings.SITE_URL) if found else ""


def test_the_settings_page_shows_a_new_address_once_then_only_how_to_get_another(
    client, login, reauthenticate, cast
):
    reauthenticate(login(client, cast.anna))
    url = reverse("meetings:calendar_settings")
    assert "Make my calendar address" in client.get(url).content.decode()

    assert client.post(reverse("meetings:calendar_rotate")).status_code == 302
    body = client.get(url).content.decode()
    address = shown_address(body)
    assert address and "webcal://" in body and "It is shown only this once" in body
    assert Client().get(address).status_code == 200

    body = client.get(url).content.decode()
    assert not shown_address(body) and "we showed the address only once" in body
    assert Client().get(address).status_code == 200

    client.post(reverse("meetings:calendar_rotate"))
    renewed = shown_address(client.get(url).content.decode())
    assert renewed and renewed != address
    assert Client().get(address).status_code == 404
    assert Client().get(renewed).status_code == 200

    assert client.post(reverse("meetings:calendar_delete")).status_code == 302
    assert not CalendarFeed.objects.exists()
    assert Client().get(renewed).status_code == 404
    assert client.get(reverse("meetings:calendar_delete")).status_code == 405


def test_an_address_made_in_another_tab_since_is_not_shown_stale(client, login, reauthenticate, cast):
    reauthenticate(login(client, cast.anna))
    client.post(reverse("meetings:calendar_rotate"))
    new_address(cast.anna)  # another tab, or another device, makes a newer one

    body = client.get(reverse("meetings:calendar_settings")).content.decode()

    assert not shown_address(body) and "we showed the address only once" in body


def test_the_table_holds_no_usable_token(cast):
    feed, token = calendar_feed_rotate(user=cast.anna)

    assert token not in repr(list(CalendarFeed.objects.values_list()))
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert Client().get(feed_url(feed.token_hash)).status_code == 404
    assert Client().get(feed_url(token)).status_code == 200


def test_the_migration_hashes_stored_tokens_and_their_addresses_keep_working(cast):
    # Before the migration the column held the token itself.
    CalendarFeed.objects.create(user=cast.anna, token_hash="an-address-made-before-the-migration")

    hash_migration.hash_tokens(apps, connection.schema_editor())

    assert CalendarFeed.objects.get().token_hash != "an-address-made-before-the-migration"
    assert Client().get(feed_url("an-address-made-before-the-migration")).status_code == 200


def test_logging_out_the_other_sessions_ends_the_calendar_feed(cast, reauthenticate):
    address = new_address(cast.anna)
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.post(reverse("account_login"), {"login": cast.anna.email, "password": "correct-horse-battery"})
    reauthenticate(laptop)
    assert "stops your calendar address" in laptop.get(reverse("usersessions_list")).content.decode()

    assert laptop.post(reverse("usersessions_list")).status_code == 302

    assert not CalendarFeed.objects.filter(user=cast.anna).exists()
    assert Client().get(address).status_code == 404


def test_bo_logging_out_his_other_sessions_leaves_annas_feed(cast, reauthenticate):
    address = new_address(cast.anna)
    bo_phone, bo_laptop = Client(), Client()
    for c in (bo_phone, bo_laptop):
        c.post(reverse("account_login"), {"login": cast.bo.email, "password": "correct-horse-battery"})
    reauthenticate(bo_laptop)

    bo_laptop.post(reverse("usersessions_list"))

    assert Client().get(address).status_code == 200


def test_changing_the_password_ends_the_calendar_feed(client, cast):
    address = new_address(cast.anna)
    client.post(reverse("account_login"), {"login": cast.anna.email, "password": "correct-horse-battery"})

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-pass-phrase",
            "password2": "a-new-pass-phrase",
        },
    )

    assert response.status_code == 302
    assert Client().get(address).status_code == 404


def test_staff_see_a_visit_for_several_families_once_and_each_family_its_own(cast):
    alma = f.ChildFactory(municipality=cast.aarhus, first_name="Alma")
    f.EnrollmentFactory(child=alma, group=cast.mariehonen)
    starts = timezone.now() + timedelta(days=5)
    visits = [
        Meeting.objects.create(
            kind=MeetingKind.VISIT, institution=cast.solsikken, child=child, title="Besøg på skolen",
            starts_at=starts, ends_at=starts + timedelta(hours=2), location="Skovvangskolen",
        )
        for child in (cast.emil, alma)
    ]  # fmt: skip
    for visit in visits:
        visit.hosts.add(cast.carla)
    conversation = plan(cast, starts, child=cast.emil)

    carla = events(Client().get(new_address(cast.carla)))
    assert len(carla) == 2  # the visit once, and the conversation
    (visit,) = [e for key, e in carla.items() if not key.startswith(uid(conversation))]
    assert str(visit["SUMMARY"]) == "Brobygningsbesøg, 2 familier"  # in Carla's Danish
    assert str(visit["DESCRIPTION"]).startswith("Alma, Emil")
    assert str(visit["UID"]).startswith(uid(visits[0]))

    anna = events(Client().get(new_address(cast.anna)))
    assert str(find(anna, visits[0])["SUMMARY"]) == "Brobygningsbesøg om Emil"
    assert not [key for key in anna if key.startswith(uid(visits[1]))]

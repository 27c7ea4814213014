"""The staff's meeting pages with the cast: Carla offers times to Mariehønen, sees the grid fill up,
assigns a time to a family who has not booked, reminds the others, plans a parent meeting and records
what was agreed. Staff of other groups, guardians and administrators get 404."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from portal.audit.models import AccessEvent
from portal.meetings.models import (
    BookingNudge,
    BookingPeriod,
    FollowUp,
    Meeting,
    Notification,
    Reminder,
    Slot,
)
from portal.meetings.services import booking, family
from tests import factories as f
from tests.conftest import assert_mail_names_the_site
from tests.meetings.conftest import make_period, plan_parent_meeting, req
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English wording (the Danish is checked by the catalogue check)."""
    settings.LANGUAGE_CODE = "en"


def next_weekday(days_ahead=14):
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def period_data(cast, **extra):
    first = next_weekday()
    data = {
        "group": cast.mariehonen.pk,
        "kind": "daycare_conversation",
        "title": "Forældresamtaler",
        "first_day": first.isoformat(),
        "last_day": first.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "slot_minutes": "20",
        "pause_minutes": "0",
        "arrangement": "together",
        "location": "Stuen",
        "agenda": "Trivsel og sprog",
        "preparation": "Se Emils læreplan først",
        "prepare_with": "learning_plan",
        "booking_deadline": (first - timedelta(days=2)).isoformat(),
    }
    data.update(extra)
    return data


def past_meeting(cast, **extra):
    start = timezone.now() - timedelta(hours=2)
    meeting = Meeting.objects.create(
        kind="daycare_conversation",
        institution=cast.solsikken,
        child=extra.pop("child", cast.emil),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        **extra,
    )
    meeting.hosts.set([cast.carla])
    return meeting


def book_anna(cast, period, index=0):
    slot = period.slots.order_by("starts_at")[index]
    return booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=slot, child=cast.emil)


# --- periods ---------------------------------------------------------------------------------------
def test_carla_creates_a_draft_period_with_slots(client, cast, login):
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_create"), period_data(cast))
    period = BookingPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:period_detail", args=[period.pk])
    assert period.published_at is None and period.group == cast.mariehonen
    assert period.slots.count() == 6
    assert list(period.hosts.all()) == [cast.carla]
    assert period.prepare_with == "learning_plan"
    assert timezone.localtime(period.booking_deadline).time() == time(23, 59)


def test_period_create_over_several_weekdays_skips_the_weekend(client, cast, login):
    login(client, cast.carla)
    first = next_weekday()
    while first.weekday() != 0:  # a Monday
        first += timedelta(days=1)
    data = period_data(
        cast,
        first_day=first.isoformat(),
        last_day=(first + timedelta(days=7)).isoformat(),
        booking_deadline=(first - timedelta(days=1)).isoformat(),
    )
    client.post(reverse("meetings:period_create"), data)
    days = {timezone.localdate(s.starts_at) for s in Slot.objects.all()}
    assert len(days) == 6 and all(d.weekday() < 5 for d in days)


@pytest.mark.parametrize(
    "bad",
    [
        {"end": "13:00"},  # the service refuses: the day ends before it starts
        {"booking_deadline": next_weekday(20).isoformat()},  # deadline after the first conversation
        {"last_day": timezone.localdate().isoformat()},  # before the first day
        {"group": "999999"},
        {"slot_minutes": "0"},
    ],
)
def test_period_create_refuses_invalid_input_and_writes_nothing(client, cast, login, bad):
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_create"), period_data(cast, **bad))
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()
    assert not BookingPeriod.objects.exists() and not Slot.objects.exists()


def test_period_create_refuses_a_host_from_another_institution(client, cast, login):
    login(client, cast.lene)
    response = client.post(reverse("meetings:period_create"), period_data(cast, hosts=[cast.dorte.pk]))
    assert response.status_code == 200
    assert not BookingPeriod.objects.exists()


def test_carla_publishes_the_period(client, cast, login):
    period = make_period(user=cast.carla, group=cast.mariehonen, publish=False)
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_publish", args=[period.pk]))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.published_at is not None


def test_a_round_overlapping_an_open_one_is_refused_in_the_form_and_nothing_is_written(client, cast, login):
    # On the form's first day (a weekday), whatever day of the week the test runs on.
    make_period(
        user=cast.carla,
        group=cast.mariehonen,
        kind="daycare_conversation",
        title="Efterårets samtaler",
        days_ahead=(next_weekday() - timezone.localdate()).days,
    )
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_create"), period_data(cast))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mariehønen already has “Efterårets samtaler” from" in body
    assert "Two rounds of the same kind cannot overlap" in body
    assert BookingPeriod.objects.count() == 1
    later = next_weekday(20)
    data = period_data(
        cast,
        first_day=later.isoformat(),
        last_day=later.isoformat(),
        booking_deadline=(later - timedelta(days=2)).isoformat(),
    )
    assert client.post(reverse("meetings:period_create"), data).status_code == 302
    assert BookingPeriod.objects.count() == 2


def test_publishing_a_draft_that_overlaps_an_open_round_shows_why_and_keeps_the_draft(client, cast, login):
    draft = make_period(user=cast.carla, group=cast.mariehonen, publish=False, title="Udkast")
    make_period(user=cast.carla, group=cast.mariehonen, title="Allerede åben")
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_publish", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert "already has “Allerede åben”" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_grid_shows_annas_booking_and_who_has_not_booked(client, cast, login, emil_period):
    other = f.ChildFactory(municipality=cast.aarhus, first_name="Alma", last_name="Holm")
    f.EnrollmentFactory(child=other, group=cast.mariehonen)
    book_anna(cast, emil_period, index=1)
    login(client, cast.carla)
    response = client.get(reverse("meetings:period_detail", args=[emil_period.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 of 6 times are booked" in body
    assert "Emil Jensen" in body and "Alma Holm" in body
    assert body.index("Who has not booked") < body.index("<strong>Alma Holm</strong>")
    assert 'data-hx-trigger="every 20s"' in body
    assert set(
        AccessEvent.objects.filter(action="list", subject="booking_period").values_list("child_id", flat=True)
    ) == {cast.emil.pk, other.pk}


def test_htmx_poll_returns_only_the_grid_with_vary(client, cast, login, emil_period):
    book_anna(cast, emil_period)
    login(client, cast.carla)
    response = client.get(reverse("meetings:period_detail", args=[emil_period.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="slot-grid"')
    assert "<html" not in body and "Who has not booked" not in body
    assert "Emil Jensen" in body
    assert "HX-Request" in response["Vary"]


def test_carla_assigns_a_time_to_a_family_who_has_not_booked(client, cast, login, emil_period):
    slot = emil_period.slots.order_by("starts_at")[2]
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:slot_assign", args=[emil_period.pk]), {"slot": slot.pk, "child": cast.emil.pk}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.child, meeting.booked_by) == (slot, cast.emil, cast.carla)
    # A time chosen for the family: they are told of it, not thanked for booking.
    assert Reminder.objects.filter(meeting=meeting, kind="invitation").count() == 2


def test_assigning_a_taken_time_shows_the_refusal_and_writes_nothing(client, cast, login, emil_period):
    other = f.ChildFactory(municipality=cast.aarhus, first_name="Alma", last_name="Holm")
    f.EnrollmentFactory(child=other, group=cast.mariehonen)
    meeting = book_anna(cast, emil_period)
    reminders = Reminder.objects.count()
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:slot_assign", args=[emil_period.pk]),
        {"slot": meeting.slot_id, "child": other.pk},
        follow=True,
    )
    assert "Someone else has just booked this time" in response.content.decode()
    assert Meeting.objects.count() == 1 and Reminder.objects.count() == reminders


def test_assigning_a_child_from_another_group_is_refused(client, cast, login, emil_period):
    login(client, cast.lene)
    slot = emil_period.slots.first()
    client.post(
        reverse("meetings:slot_assign", args=[emil_period.pk]), {"slot": slot.pk, "child": cast.ida.pk}
    )
    assert not Meeting.objects.exists()


# --- nudges ----------------------------------------------------------------------------------------
def test_nudge_mails_custody_holders_once_a_day(
    client, cast, login, emil_period, django_capture_on_commit_callbacks
):
    cast.anna.language = "en"
    cast.anna.save(update_fields=["language"])
    login(client, cast.carla)
    url = reverse("meetings:period_nudge", args=[emil_period.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["anna@example.test"]]  # Mikkel has no custody
    message = mail.outbox[0]
    assert message.subject == "Please book a time for the conversation about Emil"
    assert "Skole-hjem-samtaler" in message.body
    nudge = BookingNudge.objects.get()
    assert nudge.sent_at is not None and nudge.requested_by == cast.carla
    assert Notification.objects.get(user=cast.anna, period=emil_period)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url, {"child": cast.emil.pk})
    assert len(mail.outbox) == 1 and not callbacks
    assert BookingNudge.objects.count() == 1


def test_nudge_respects_no_email_and_skips_families_who_booked(
    client, cast, login, emil_period, django_capture_on_commit_callbacks
):
    alma = f.ChildFactory(municipality=cast.aarhus, first_name="Alma", last_name="Holm")
    f.EnrollmentFactory(child=alma, group=cast.mariehonen)
    mum = f.UserFactory(email="alma.mor@example.test", notify_by_email=False)
    f.GuardianshipFactory(child=alma, user=mum)
    book_anna(cast, emil_period)
    login(client, cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:period_nudge", args=[emil_period.pk]))
    assert mail.outbox == []
    assert list(BookingNudge.objects.values_list("recipient_id", flat=True)) == [mum.pk]
    assert Notification.objects.filter(user=mum).count() == 1


def test_nudge_on_a_draft_is_refused(client, cast, login):
    period = make_period(user=cast.carla, group=cast.mariehonen, publish=False)
    login(client, cast.carla)
    response = client.post(reverse("meetings:period_nudge", args=[period.pk]), follow=True)
    assert "while booking is open" in response.content.decode()
    assert not BookingNudge.objects.exists()


# --- parent meetings -------------------------------------------------------------------------------
def test_carla_plans_a_parent_meeting_for_marieh0nen(client, cast, login):
    day = next_weekday(10)
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:group_meeting_create"),
        {
            "group": cast.mariehonen.pk,
            "title": "Forældrecafé",
            "style": "cafe",
            "day": day.isoformat(),
            "start": "17:00",
            "end": "18:30",
            "location": "Fællesrummet",
            "agenda": "Kaffe og snak om sommerfesten",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:staff_meeting_detail", args=[meeting.pk])
    assert (meeting.kind, meeting.group, meeting.style, meeting.child) == (
        "parent_meeting",
        cast.mariehonen,
        "cafe",
        None,
    )
    recipients = set(Reminder.objects.filter(kind="reminder").values_list("recipient_id", flat=True))
    assert recipients == {cast.anna.pk, cast.mikkel.pk}
    # Nobody booked it: the families are invited, not thanked for a booking.
    invited = set(Reminder.objects.filter(kind="invitation").values_list("recipient_id", flat=True))
    assert invited == recipients and not Reminder.objects.filter(kind="confirmation").exists()


def test_carla_sees_who_is_coming_to_the_parent_meeting_in_constant_queries(client, cast, login):
    meeting = plan_parent_meeting(cast)
    url = reverse("meetings:staff_meeting_detail", args=[meeting.pk])
    login(client, cast.carla)
    assert "No answers yet." in client.get(url).content.decode()
    family.meeting_response_set(user=cast.anna, meeting=meeting, coming=True, adults=2)

    def grow():
        family.meeting_response_set(user=cast.mikkel, meeting=meeting, coming=False)
        for i in range(5):
            child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}")
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            parent = f.GuardianshipFactory(child=child, user=f.UserFactory(first_name=f"Forælder{i}")).user
            family.meeting_response_set(user=parent, meeting=meeting, coming=True)

    assert_constant_queries(client, url, 20, grow)
    body = client.get(url).content.decode()
    assert "Coming: 6 · Adults in all: 7 · Cannot come: 1" in body
    assert "Anna Jensen" in body and "Forælder4" in body


def test_parent_meeting_in_the_past_is_refused(client, cast, login):
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:group_meeting_create"),
        {
            "group": cast.mariehonen.pk,
            "title": "For sent",
            "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "start": "17:00",
            "end": "18:00",
        },
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


# --- one meeting -----------------------------------------------------------------------------------
def test_meeting_page_shows_topics_and_interpreter_and_is_audited(client, cast, login, emil_period):
    slot = emil_period.slots.first()
    meeting = booking.meeting_book(
        request=req(cast.anna),
        user=cast.anna,
        slot=slot,
        child=cast.emil,
        interpreter_language="arabisk",
        topic="Hvordan sover Emil til middag?",
    )
    login(client, cast.carla)
    response = client.get(reverse("meetings:staff_meeting_detail", args=[meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hvordan sover Emil til middag?" in body and "Needed for arabisk" in body
    assert "Move to another free time" in body
    assert AccessEvent.objects.filter(action="view", subject="meeting", object_id=meeting.pk).exists()


def test_staff_move_and_cancel_a_booked_conversation(client, cast, login, emil_period):
    meeting = book_anna(cast, emil_period)
    target = emil_period.slots.order_by("starts_at")[3]
    login(client, cast.carla)
    client.post(reverse("meetings:staff_meeting_move", args=[meeting.pk]), {"slot": target.pk})
    meeting.refresh_from_db()
    assert meeting.slot == target and meeting.sequence == 1
    client.post(reverse("meetings:staff_meeting_cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_carla_saves_agenda_and_preparation(client, cast, login, emil_period):
    meeting = book_anna(cast, emil_period)
    login(client, cast.carla)
    client.post(
        reverse("meetings:meeting_prepare", args=[meeting.pk]),
        {"agenda": "Sprog", "preparation": "Se Emils læreplan", "prepare_with": "learning_plan"},
    )
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.prepare_with) == ("Sprog", "learning_plan")


def test_carla_records_attendance_and_shares_the_summary(client, cast, login):
    meeting = past_meeting(cast)
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:meeting_record", args=[meeting.pk]),
        {"attendance": "attended", "summary": "Emil trives.", "share_summary": "on"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance, meeting.summary) == ("held", "attended", "Emil trives.")
    assert meeting.summary_shared_at is not None


def test_recording_a_future_meeting_is_refused(client, cast, login, emil_period):
    meeting = book_anna(cast, emil_period)
    login(client, cast.carla)
    response = client.post(
        reverse("meetings:meeting_record", args=[meeting.pk]),
        {"attendance": "attended", "summary": "For tidligt"},
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.summary == ""


def test_follow_up_linked_to_emils_learning_goal(client, cast, login):
    meeting = past_meeting(cast)
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, title="Vente på tur")
    login(client, cast.carla)
    page = client.get(reverse("meetings:staff_meeting_detail", args=[meeting.pk])).content.decode()
    assert "Vente på tur" in page
    on = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("meetings:followup_add", args=[meeting.pk]),
        {
            "text": "Øve turtagning med brætspil",
            "responsible": "both",
            "follow_up_on": on,
            "learning_goal": goal.pk,
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.learning_goal, follow_up.follow_up_on, follow_up.created_by) == (goal, on, cast.carla)

    client.post(reverse("meetings:followup_done", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_follow_up_refuses_another_childs_goal(client, cast, login):
    meeting = past_meeting(cast)
    idas = f.LearningGoalFactory(child=cast.ida, institution=cast.solsikken)
    login(client, cast.lene)
    response = client.post(
        reverse("meetings:followup_add", args=[meeting.pk]),
        {
            "text": "Noget",
            "responsible": "both",
            "follow_up_on": timezone.localdate().isoformat(),
            "learning_goal": idas.pk,
        },
    )
    assert response.status_code == 200 and not FollowUp.objects.exists()


# --- outsiders -------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["dorte", "bo", "olga", "anna", "erik"])
def test_outsiders_get_404(client, cast, login, emil_period, who):
    meeting = book_anna(cast, emil_period)
    follow_up = FollowUp.objects.create(meeting=meeting, text="x", follow_up_on=timezone.localdate())
    login(client, getattr(cast, who))
    gets = [
        reverse("meetings:period_detail", args=[emil_period.pk]),
        reverse("meetings:staff_meeting_detail", args=[meeting.pk]),
    ]
    posts = [
        reverse("meetings:period_publish", args=[emil_period.pk]),
        reverse("meetings:period_nudge", args=[emil_period.pk]),
        reverse("meetings:slot_assign", args=[emil_period.pk]),
        reverse("meetings:staff_meeting_cancel", args=[meeting.pk]),
        reverse("meetings:meeting_record", args=[meeting.pk]),
        reverse("meetings:followup_done", args=[follow_up.pk]),
    ]
    if who in ("anna", "bo", "erik", "olga"):
        gets += [reverse("meetings:staff_meetings"), reverse("meetings:period_create")]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"slot": "1", "child": str(cast.emil.pk)}).status_code == 404, url
    meeting.refresh_from_db()
    assert meeting.status == "planned" and not BookingNudge.objects.exists()


def test_anonymous_is_sent_to_login(client, emil_period):
    response = client.get(reverse("meetings:period_detail", args=[emil_period.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- query budgets ---------------------------------------------------------------------------------
def test_grid_page_query_budget_is_constant(client, cast, login):
    period = make_period(user=cast.carla, group=cast.mariehonen, slot_minutes=60)  # 2 slots
    book_anna(cast, period)
    login(client, cast.carla)

    def grow():
        extra = make_period(user=cast.carla, group=cast.mariehonen, days=3, days_ahead=20, publish=False)
        Slot.objects.filter(period=extra).update(period=period)
        for i in range(8):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            f.GuardianshipFactory(child=child)
            if i % 2:
                slot = period.slots.order_by("-starts_at")[i]
                booking.meeting_book(
                    request=req(cast.carla), user=cast.carla, slot=slot, child=child, by_staff=True
                )

    assert_constant_queries(client, reverse("meetings:period_detail", args=[period.pk]), 11, grow)


def test_staff_overview_query_budget_is_constant(client, cast, login):
    period = make_period(user=cast.carla, group=cast.mariehonen)
    meeting = book_anna(cast, period)
    FollowUp.objects.create(meeting=meeting, text="Følg op", follow_up_on=timezone.localdate())
    login(client, cast.carla)

    def grow():
        for i in range(6):
            extra = make_period(user=cast.carla, group=cast.mariehonen, title=f"Runde {i}", days_ahead=15 + i)
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            m = booking.meeting_book(
                request=req(cast.carla), user=cast.carla, slot=extra.slots.first(), child=child, by_staff=True
            )
            FollowUp.objects.create(meeting=m, text=f"Følg op {i}", follow_up_on=timezone.localdate())

    assert_constant_queries(client, reverse("meetings:staff_meetings"), 8, grow)


def test_the_nudge_names_the_portal_and_links_to_its_address(
    client, cast, login, emil_period, distinct_site, django_capture_on_commit_callbacks
):
    login(client, cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:period_nudge", args=[emil_period.pk]))
    (message,) = mail.outbox
    assert_mail_names_the_site(message)


def test_carla_sees_what_happened_to_each_message_on_the_meeting_page(client, cast, login, emil_period):
    meeting = book_anna(cast, emil_period)
    confirmations = Reminder.objects.filter(meeting=meeting, kind=Reminder.Kind.CONFIRMATION)
    anna = confirmations.get(recipient=cast.anna)
    mikkel = confirmations.get(recipient=cast.mikkel)
    sent = {"status": Reminder.Status.SENT, "sent_at": timezone.now(), "channels": "email,portal"}
    Reminder.objects.filter(pk=anna.pk).update(
        **sent, email_status="refused", email_detail="550 No such mailbox"
    )
    Reminder.objects.filter(pk=mikkel.pk).update(
        **sent, email_status="invalid", email_detail="mikkel@@demo.test"
    )
    login(client, cast.carla)
    body = client.get(reverse("meetings:staff_meeting_detail", args=[meeting.pk])).content.decode()
    assert "E-mail refused by the recipient&#x27;s server: 550 No such mailbox" in body
    assert "E-mail not sent: mikkel@@demo.test is not a valid address" in body
    with translation.override("da"):
        assert Reminder.objects.get(pk=anna.pk).email_outcome == (
            "E-mail afvist af modtagerens server: 550 No such mailbox"
        )


def test_meeting_page_query_budget_is_constant_with_its_messages(client, cast, login, emil_period):
    meeting = book_anna(cast, emil_period)
    login(client, cast.carla)

    def grow():
        for i in range(8):
            guardian = f.UserFactory()
            f.GuardianshipFactory(child=cast.emil, user=guardian)
            Reminder.objects.create(
                meeting=meeting,
                recipient=guardian,
                due_at=timezone.now(),
                offset_minutes=i,
                email_status="sent",
            )

    assert_constant_queries(client, reverse("meetings:staff_meeting_detail", args=[meeting.pk]), 20, grow)

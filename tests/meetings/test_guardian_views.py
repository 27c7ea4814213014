"""The guardians' meeting pages: booking on the period page, the shared booking, moving and cancelling
before the deadline, questions, the interpreter, "my meetings", the inbox and how we reach you."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Enrollment
from portal.audit.models import AccessEvent
from portal.meetings.models import (
    BookingPeriod,
    FollowUp,
    Meeting,
    MeetingResponse,
    MeetingTopic,
    Notification,
    Reminder,
)
from portal.meetings.services import booking
from tests import factories as f
from tests.meetings.conftest import make_period, plan_parent_meeting, req
from tests.queries import assert_constant_queries


def slots(period):
    return list(period.slots.order_by("starts_at"))


def book_url(period, child=None):
    url = reverse("meetings:period_book", args=[period.pk])
    return f"{url}?child={child.pk}" if child else url


def book(cast, period, *, user=None, child=None, index=0):
    user = user or cast.anna
    return booking.meeting_book(
        request=req(user), user=user, slot=slots(period)[index], child=child or cast.emil
    )


def close(period):
    BookingPeriod.objects.filter(pk=period.pk).update(booking_deadline=timezone.now() - timedelta(hours=1))


def second_family(cast):
    """Ida moves to Mariehønen with a guardian of her own: a second family for Emil's period."""
    Enrollment.objects.filter(child=cast.ida).update(group=cast.mariehonen)
    return f.GuardianshipFactory(child=cast.ida, user=f.UserFactory(first_name="Ib")).user


def meeting_state():
    return list(
        Meeting.objects.order_by("pk").values_list("pk", "status", "slot_id", "starts_at", "sequence")
    )


# ---------------------------------------------------------------------------------------------------
# Booking
# ---------------------------------------------------------------------------------------------------
def test_anna_books_emils_time_on_the_period_page(client, login, cast, emil_period):
    login(client, cast.anna)
    response = client.get(book_url(emil_period))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Book a time for Emil" in body
    assert body.count('type="radio" name="slot"') == 6
    assert "<legend" in body and "fieldset" in body
    slot = slots(emil_period)[2]
    response = client.post(
        book_url(emil_period),
        {"child": cast.emil.pk, "slot": slot.pk, "interpreter_language": "arabisk", "topic": "Søvn"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:meeting_detail", args=[meeting.pk]
    )
    assert (meeting.child, meeting.slot, meeting.booked_by) == (cast.emil, slot, cast.anna)
    assert meeting.interpreter_language == "arabisk" and meeting.topics.get().text == "Søvn"
    page = client.get(response["Location"])
    assert "The time is booked" in page.content.decode()
    assert AccessEvent.objects.filter(actor=cast.anna, subject="meeting", action="view").exists()


def test_a_guardian_with_several_children_in_the_group_chooses_the_child_first(
    client, login, cast, emil_period
):
    Enrollment.objects.filter(child=cast.ida).update(group=cast.mariehonen)
    f.GuardianshipFactory(child=cast.ida, user=cast.anna)
    login(client, cast.anna)
    body = client.get(book_url(emil_period)).content.decode()
    assert f"?child={cast.emil.pk}" in body and f"?child={cast.ida.pk}" in body
    assert 'name="slot"' not in body
    body = client.get(book_url(emil_period, cast.ida)).content.decode()
    assert "Book a time for Ida" in body and 'name="slot"' in body


def test_mikkel_sees_the_shared_booking_but_cannot_book_move_or_cancel(client, login, cast, emil_period):
    login(client, cast.mikkel)
    response = client.get(book_url(emil_period))
    assert response.status_code == 200
    assert 'name="slot"' not in response.content.decode()
    assert "A parent with custody" in response.content.decode()
    response = client.post(book_url(emil_period), {"child": cast.emil.pk, "slot": slots(emil_period)[0].pk})
    assert response.status_code == 200 and not Meeting.objects.exists()

    meeting = book(cast, emil_period)
    before = meeting_state()
    body = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Emil" in body and reverse("meetings:meeting_move", args=[meeting.pk]) not in body
    assert body.count('name="interpreter_language"') == 0
    for name in ("meetings:meeting_move", "meetings:meeting_cancel"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:meeting_cancel", args=[meeting.pk])).status_code == 404
    move = client.post(
        reverse("meetings:meeting_move", args=[meeting.pk]), {"slot": slots(emil_period)[3].pk}
    )
    assert move.status_code == 404
    interpreter = client.post(
        reverse("meetings:meeting_interpreter", args=[meeting.pk]), {"interpreter_language": "tysk"}
    )
    assert interpreter.status_code == 404
    assert meeting_state() == before
    # Shared: "my meetings" shows Anna's booking to Mikkel.
    body = client.get(reverse("meetings:my_meetings")).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in body


def test_anna_moves_then_cancels_before_the_deadline(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    login(client, cast.anna)
    url = reverse("meetings:meeting_move", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert body.count('name="slot"') == 5  # the other free times
    new_slot = slots(emil_period)[4]
    response = client.post(url, {"slot": new_slot.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == new_slot and meeting.sequence == 1
    assert Reminder.objects.filter(meeting=meeting, kind="change").count() == 2

    cancel = reverse("meetings:meeting_cancel", args=[meeting.pk])
    assert "Yes, cancel the meeting" in client.get(cancel).content.decode()
    response = client.post(cancel)
    assert response.status_code == 302 and response["Location"] == reverse("meetings:my_meetings")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancelled_by == cast.anna


def test_move_and_cancel_are_refused_after_the_deadline_and_nothing_changes(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    close(emil_period)
    login(client, cast.anna)
    before = meeting_state()
    move = reverse("meetings:meeting_move", args=[meeting.pk])
    assert 'name="slot"' not in client.get(move).content.decode()
    response = client.post(move, {"slot": slots(emil_period)[4].pk})
    assert response.status_code == 200 and "closed" in response.content.decode()
    cancel = reverse("meetings:meeting_cancel", args=[meeting.pk])
    assert "Yes, cancel" not in client.get(cancel).content.decode()
    response = client.post(cancel)
    assert response.status_code == 200 and "deadline for changes has passed" in response.content.decode()
    assert meeting_state() == before
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert move not in detail and "deadline for changes has passed" in detail


def test_booking_after_the_deadline_shows_that_booking_has_closed(client, login, cast, emil_period):
    close(emil_period)
    login(client, cast.anna)
    response = client.post(book_url(emil_period), {"child": cast.emil.pk, "slot": slots(emil_period)[0].pk})
    assert response.status_code == 200 and "has closed" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_time_taken_in_between_is_refused_kindly_and_nothing_is_written(client, login, cast, emil_period):
    ib = second_family(cast)
    login(client, cast.anna)
    assert client.get(book_url(emil_period)).status_code == 200
    taken = slots(emil_period)[0]
    book(cast, emil_period, user=ib, child=cast.ida)  # Ib was quicker
    before = meeting_state()
    response = client.post(book_url(emil_period), {"child": cast.emil.pk, "slot": taken.pk, "topic": "Søvn"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else has just booked this time" in body
    assert f'name="slot" value="{taken.pk}"' not in body and body.count('name="slot"') == 5
    assert meeting_state() == before and not MeetingTopic.objects.exists()


def test_a_second_booking_for_the_same_child_shows_the_existing_one(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    login(client, cast.anna)
    response = client.post(book_url(emil_period), {"child": cast.emil.pk, "slot": slots(emil_period)[1].pk})
    assert response.status_code == 200
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in response.content.decode()
    assert Meeting.objects.count() == 1


def test_other_families_and_staff_get_404(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    for user in (cast.bo, cast.carla, cast.erik):
        login(client, user)
        for name in ("meetings:meeting_detail", "meetings:meeting_move", "meetings:meeting_cancel"):
            assert client.get(reverse(name, args=[meeting.pk])).status_code == 404, (user, name)
        assert client.get(book_url(emil_period)).status_code == 404
        assert client.post(reverse("meetings:topic_add", args=[meeting.pk]), {"text": "x"}).status_code == 404
    assert not MeetingTopic.objects.exists()
    login(client, cast.carla)
    assert client.get(reverse("meetings:my_meetings")).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Topics and interpreter
# ---------------------------------------------------------------------------------------------------
def test_any_guardian_with_information_adds_a_topic(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    login(client, cast.mikkel)
    url = reverse("meetings:topic_add", args=[meeting.pk])
    response = client.post(url, {"text": "  Hvordan går det med at spise?  "})
    assert response.status_code == 302
    topic = MeetingTopic.objects.get()
    assert (topic.author, topic.text) == (cast.mikkel, "Hvordan går det med at spise?")
    response = client.post(url, {"text": ""})
    assert response.status_code == 200 and MeetingTopic.objects.count() == 1
    login(client, cast.anna)
    assert (
        "Hvordan går det med at spise?"
        in client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    )


def test_topics_are_refused_once_the_meeting_is_cancelled(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    booking.meeting_cancel(request=req(cast.anna), user=cast.anna, meeting=meeting)
    login(client, cast.anna)
    response = client.post(reverse("meetings:topic_add", args=[meeting.pk]), {"text": "Søvn"})
    assert response.status_code == 200 and not MeetingTopic.objects.exists()


def test_anna_sets_and_clears_the_interpreter(client, login, cast, emil_period):
    meeting = book(cast, emil_period)
    login(client, cast.anna)
    url = reverse("meetings:meeting_interpreter", args=[meeting.pk])
    assert client.post(url, {"interpreter_language": "somali"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.interpreter_language == "somali" and meeting.sequence == 0
    assert client.post(url, {"interpreter_language": ""}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.interpreter_language == ""
    assert AccessEvent.objects.filter(subject="meeting_interpreter", actor=cast.anna).count() == 2


# ---------------------------------------------------------------------------------------------------
# My meetings
# ---------------------------------------------------------------------------------------------------
def test_my_meetings_offers_the_open_period_until_booked(client, login, cast, emil_period):
    login(client, cast.anna)
    url = reverse("meetings:my_meetings")
    body = client.get(url).content.decode()
    assert "Book a time for Emil" in body and book_url(emil_period, cast.emil) in body
    meeting = book(cast, emil_period)
    body = client.get(url).content.decode()
    assert book_url(emil_period, cast.emil) not in body
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in body
    assert AccessEvent.objects.filter(actor=cast.anna, subject="my_meetings", action="list").exists()
    login(client, cast.mikkel)
    body = client.get(url).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in body


def test_my_meetings_shows_preparation_link_and_the_summary_only_once_shared(client, login, cast):
    period = make_period(
        user=cast.carla,
        group=cast.mariehonen,
        agenda="Trivsel og venskaber",
        preparation="Tal med Emil om, hvem han leger med.",
        prepare_with="learning_plan",
    )
    meeting = book(cast, period)
    login(client, cast.anna)
    url = reverse("meetings:my_meetings")
    body = client.get(url).content.decode()
    assert "Trivsel og venskaber" in body and "hvem han leger med" in body
    assert reverse("children:child_detail", args=[cast.emil.pk]) in body

    # The conversation has been held; the summary is written but not shared yet.
    start = timezone.now() - timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=20), status="held", summary="HEMMELIGT-UDKAST"
    )
    FollowUp.objects.create(meeting=meeting, text="OPFØLGNING-1", follow_up_on=timezone.localdate())
    body = client.get(url).content.decode()
    assert "HEMMELIGT-UDKAST" not in body and "OPFØLGNING-1" not in body
    assert (
        "HEMMELIGT-UDKAST"
        not in client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    )
    Meeting.objects.filter(pk=meeting.pk).update(summary_shared_at=timezone.now())
    body = client.get(url).content.decode()
    assert "HEMMELIGT-UDKAST" in body and "OPFØLGNING-1" in body
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "HEMMELIGT-UDKAST" in detail and "OPFØLGNING-1" in detail


def test_my_meetings_shows_the_groups_parent_meeting(client, login, cast):
    meeting = plan_parent_meeting(cast, days=10, hours=2, agenda="Sommerfest")
    for user, seen in ((cast.anna, True), (cast.mikkel, True), (cast.bo, False)):
        login(client, user)
        body = client.get(reverse("meetings:my_meetings")).content.decode()
        assert ("Forældremøde i Mariehønen" in body) is seen
        status = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code
        assert status == (200 if seen else 404)


def _grow_family(cast, *, children: int):
    """More children for Anna, each in Mariehønen with a booked conversation and a parent meeting."""

    def grow():
        period = BookingPeriod.objects.filter(group=cast.mariehonen).first()
        for i in range(children):
            child = f.ChildFactory(municipality=cast.aarhus, first_name=f"Barn{i}")
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            f.GuardianshipFactory(child=child, user=cast.anna)
            m = book(cast, period, child=child, index=i + 1)
            MeetingTopic.objects.create(meeting=m, author=cast.anna, text=f"Emne {i}")
        start = timezone.now() + timedelta(days=5)
        booking.meeting_plan(
            request=req(cast.carla),
            user=cast.carla,
            kind="parent_meeting",
            institution=cast.solsikken,
            group=cast.mariehonen,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )

    return grow


def test_my_meetings_costs_the_same_queries_for_one_and_several_children(client, login, cast, emil_period):
    book(cast, emil_period)
    login(client, cast.anna)
    assert_constant_queries(client, reverse("meetings:my_meetings"), 25, _grow_family(cast, children=3))


def test_the_booking_page_costs_the_same_queries_whatever_the_number_of_slots(
    client, login, cast, emil_period
):
    login(client, cast.anna)
    url = book_url(emil_period)

    def grow():
        period = make_period(user=cast.carla, group=cast.mariehonen, days=3, publish=False)
        period.slots.update(period=emil_period)
        book(cast, emil_period, user=second_family(cast), child=cast.ida, index=2)

    assert_constant_queries(client, url, 20, grow)


# ---------------------------------------------------------------------------------------------------
# Inbox and contact settings
# ---------------------------------------------------------------------------------------------------
def test_the_inbox_shows_the_newest_first_and_marks_all_as_read(client, login, cast):
    now = timezone.now()
    Notification.objects.create(user=cast.anna, title="ÆLDRE", created_at=now - timedelta(days=1))
    Notification.objects.create(user=cast.anna, title="NYERE", created_at=now, url="/meetings/")
    Notification.objects.create(user=cast.bo, title="BOS-BESKED")
    login(client, cast.anna)
    url = reverse("meetings:notifications")
    body = client.get(url).content.decode()
    assert body.index("NYERE") < body.index("ÆLDRE") and "BOS-BESKED" not in body
    assert reverse("meetings:notifications_read") in body
    assert client.post(reverse("meetings:notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=cast.anna, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.bo, read_at__isnull=True).exists()
    assert reverse("meetings:notifications_read") not in client.get(url).content.decode()


def test_the_inbox_costs_the_same_queries_with_many_messages(client, login, cast):
    Notification.objects.create(user=cast.anna, title="En")
    login(client, cast.anna)

    def grow():
        Notification.objects.bulk_create(Notification(user=cast.anna, title=f"Besked {i}") for i in range(60))

    assert_constant_queries(client, reverse("meetings:notifications"), 12, grow)


def test_contact_settings_refuse_text_messages_without_a_number(client, login, cast):
    login(client, cast.anna)
    url = reverse("meetings:contact_settings")
    body = client.get(url).content.decode()
    assert "copy under Messages" in body
    response = client.post(
        url, {"notify_by_email": "on", "notify_by_sms": "on", "phone": "", "language": "da"}
    )
    assert response.status_code == 200 and "Write your mobile number" in response.content.decode()
    cast.anna.refresh_from_db()
    assert cast.anna.notify_by_sms is False
    response = client.post(url, {"notify_by_sms": "on", "phone": "12 34", "language": "da"})
    assert response.status_code == 200
    cast.anna.refresh_from_db()
    assert cast.anna.phone == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12 34 56 78", "+4512345678"), ("+45 12345678", "+4512345678"), ("0046701234567", "+46701234567")],
)
def test_contact_settings_save_the_number_in_one_format(client, login, cast, typed, stored):
    login(client, cast.anna)
    response = client.post(
        reverse("meetings:contact_settings"), {"notify_by_sms": "on", "phone": typed, "language": "en"}
    )
    assert response.status_code == 302
    cast.anna.refresh_from_db()
    assert (cast.anna.phone, cast.anna.notify_by_sms, cast.anna.notify_by_email, cast.anna.language) == (
        stored,
        True,
        False,
        "en",
    )
    assert response.cookies["django_language"].value == "en"


# ---------------------------------------------------------------------------------------------------
# Answering a parent meeting's invitation
# ---------------------------------------------------------------------------------------------------
def _parent_meeting(cast):
    return plan_parent_meeting(cast, title="Forældrecafé i Mariehønen")


def test_anna_answers_the_invitation_on_the_meeting_page_and_can_change_it(client, login, cast):
    meeting = _parent_meeting(cast)
    login(client, cast.anna)
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert f'href="{detail}#answer"' in client.get(reverse("meetings:my_meetings")).content.decode()
    assert "Are you coming?" in client.get(detail).content.decode()
    url = reverse("meetings:meeting_respond", args=[meeting.pk])
    response = client.post(url, {"coming": "yes", "adults": "2"})
    assert response.status_code == 302 and response["Location"].endswith("#answer")
    body = client.get(detail).content.decode()
    assert "You have said you are coming, 2 adults." in body and "Change my answer" in body
    client.post(url, {"coming": "no", "adults": "2"})
    assert "You have said you cannot come." in client.get(detail).content.decode()
    assert list(MeetingResponse.objects.values_list("guardian", "coming", "adults")) == [
        (cast.anna.pk, False, 0)
    ]


def test_a_bad_answer_shows_the_error_and_saves_nothing(client, login, cast):
    meeting = _parent_meeting(cast)
    login(client, cast.anna)
    url = reverse("meetings:meeting_respond", args=[meeting.pk])
    bad = ({}, {"coming": "maybe"}, {"coming": "yes", "adults": "40"}, {"coming": "yes", "adults": "x"})
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 200
        assert 'class="form-error-message"' in response.content.decode()
    assert not MeetingResponse.objects.exists()


def test_only_the_groups_parents_answer_and_only_for_a_parent_meeting(client, login, cast, emil_period):
    meeting = _parent_meeting(cast)
    login(client, cast.bo)
    url = reverse("meetings:meeting_respond", args=[meeting.pk])
    assert client.post(url, {"coming": "yes"}).status_code == 404
    conversation = book(cast, emil_period)
    login(client, cast.anna)
    url = reverse("meetings:meeting_respond", args=[conversation.pk])
    assert client.post(url, {"coming": "yes"}).status_code == 404
    assert (
        "Are you coming?"
        not in client.get(reverse("meetings:meeting_detail", args=[conversation.pk])).content.decode()
    )
    assert not MeetingResponse.objects.exists()

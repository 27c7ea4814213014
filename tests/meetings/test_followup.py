"""The services before and after a meeting (preparation, record, follow-up) and the booking nudges:
the rules they enforce whatever a form offered, their audit trail, and sending each nudge once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from expectations.models import ExpectationAgreement
from portal.audit.models import AccessEvent
from portal.meetings.models import BookingNudge, FollowUp, Meeting, Notification
from portal.meetings.services import booking, followup, nudges
from tests import factories as f
from tests.meetings.conftest import make_period, req

pytestmark = pytest.mark.django_db


def a_meeting(cast, *, hours_from_now=-2, **extra):
    start = timezone.now() + timedelta(hours=hours_from_now)
    return Meeting.objects.create(
        kind=extra.pop("kind", "daycare_conversation"),
        institution=cast.solsikken,
        child=extra.pop("child", cast.emil),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        **extra,
    )


# --- preparation -----------------------------------------------------------------------------------
def test_meeting_prepare_saves_changed_fields_and_audits(cast):
    meeting = a_meeting(cast, hours_from_now=48)
    followup.meeting_prepare(
        request=req(cast.carla),
        user=cast.carla,
        meeting=meeting,
        agenda="  Sprog og leg ",
        preparation="Se læreplanen",
        prepare_with="learning_plan",
    )
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.prepare_with) == ("Sprog og leg", "learning_plan")
    assert (
        AccessEvent.objects.filter(child=cast.emil, action="update", subject="meeting_prepare").count() == 1
    )
    # Saving the same again writes nothing and logs nothing.
    followup.meeting_prepare(
        request=req(cast.carla),
        user=cast.carla,
        meeting=meeting,
        agenda="Sprog og leg",
        preparation="Se læreplanen",
        prepare_with="learning_plan",
    )
    assert AccessEvent.objects.filter(subject="meeting_prepare").count() == 1


def test_a_parent_meeting_cannot_link_to_one_childs_plan(cast):
    meeting = a_meeting(cast, child=None, group=cast.mariehonen, kind="parent_meeting", hours_from_now=48)
    with pytest.raises(ValidationError):
        followup.meeting_prepare(
            request=req(cast.carla),
            user=cast.carla,
            meeting=meeting,
            agenda="",
            preparation="",
            prepare_with="learning_plan",
        )


# --- record ----------------------------------------------------------------------------------------
def test_meeting_record_marks_held_and_keeps_the_first_share_time(cast):
    meeting = a_meeting(cast)
    first = timezone.now()
    followup.meeting_record(
        request=req(cast.carla),
        user=cast.carla,
        meeting=meeting,
        attendance="attended",
        summary="Godt møde",
        share_summary=True,
        now=first,
    )
    followup.meeting_record(
        request=req(cast.carla),
        user=cast.carla,
        meeting=meeting,
        attendance="attended",
        summary="Godt møde, rettet",
        share_summary=True,
        now=first + timedelta(hours=1),
    )
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.summary_shared_at == first
    followup.meeting_record(
        request=req(cast.carla), user=cast.carla, meeting=meeting, attendance="attended", summary="Privat"
    )
    meeting.refresh_from_db()
    assert meeting.summary_shared_at is None


def test_meeting_record_refuses_a_future_or_cancelled_meeting_and_sharing_nothing(cast):
    future = a_meeting(cast, hours_from_now=3)
    with pytest.raises(ValidationError):
        followup.meeting_record(request=None, user=cast.carla, meeting=future, summary="x")
    cancelled = a_meeting(cast, status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError):
        followup.meeting_record(request=None, user=cast.carla, meeting=cancelled, summary="x")
    past = a_meeting(cast)
    with pytest.raises(ValidationError):
        followup.meeting_record(request=None, user=cast.carla, meeting=past, summary=" ", share_summary=True)
    assert not Meeting.objects.filter(status="held").exists()


def test_group_meeting_records_families_attended(cast):
    meeting = a_meeting(cast, child=None, group=cast.mariehonen, kind="parent_meeting")
    followup.meeting_record(request=req(cast.carla), user=cast.carla, meeting=meeting, families_attended=14)
    meeting.refresh_from_db()
    assert (meeting.families_attended, meeting.status) == (14, "held")
    assert not AccessEvent.objects.exists()  # a group meeting is not one child's data


# --- follow-up -------------------------------------------------------------------------------------
def test_followup_add_links_only_the_childs_own_goal_or_agreement(cast):
    meeting = a_meeting(cast)
    emils = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    idas = f.LearningGoalFactory(child=cast.ida, institution=cast.solsikken)
    freja_agreement = ExpectationAgreement.objects.create(
        child=cast.freja, institution=cast.school, review_due_on=timezone.localdate()
    )
    on = timezone.localdate() + timedelta(days=14)
    with pytest.raises(ValidationError):
        followup.followup_add(
            request=req(cast.carla),
            user=cast.carla,
            meeting=meeting,
            text="x",
            follow_up_on=on,
            learning_goal=idas,
        )
    with pytest.raises(ValidationError):
        followup.followup_add(
            request=req(cast.carla),
            user=cast.carla,
            meeting=meeting,
            text="x",
            follow_up_on=on,
            agreement=freja_agreement,
        )
    assert not FollowUp.objects.exists()
    item = followup.followup_add(
        request=req(cast.carla),
        user=cast.carla,
        meeting=meeting,
        text="Læse højt hver aften",
        responsible="family",
        follow_up_on=on,
        learning_goal=emils,
    )
    assert (item.learning_goal, item.responsible, item.created_by) == (emils, "family", cast.carla)
    assert AccessEvent.objects.filter(child=cast.emil, action="create", object_id=item.pk).exists()


def test_followup_mark_done_toggles(cast):
    meeting = a_meeting(cast)
    item = FollowUp.objects.create(meeting=meeting, text="x", follow_up_on=timezone.localdate())
    item = followup.followup_mark_done(request=req(cast.carla), user=cast.carla, follow_up=item)
    assert item.done_at is not None
    item = followup.followup_mark_done(request=req(cast.carla), user=cast.carla, follow_up=item)
    assert item.done_at is None
    item = followup.followup_mark_done(request=req(cast.carla), user=cast.carla, follow_up=item, done=False)
    assert item.done_at is None


# --- nudges ----------------------------------------------------------------------------------------
def test_nudges_send_claims_each_nudge_once(cast, django_capture_on_commit_callbacks):
    period = make_period(user=cast.carla, group=cast.mariehonen)
    with django_capture_on_commit_callbacks() as callbacks:  # not run: we send by hand below
        ids = nudges.nudges_request(request=req(cast.carla), user=cast.carla, period=period)
    assert len(callbacks) == 1 and len(ids) == 1
    assert nudges.nudges_send(nudge_ids=ids) == 1
    assert nudges.nudges_send(nudge_ids=ids) == 0  # a second worker with the same ids sends nothing
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1
    assert AccessEvent.objects.filter(child=cast.emil, subject="booking_nudge").exists()


def test_nudges_are_written_in_the_recipients_language(cast, django_capture_on_commit_callbacks):
    cast.anna.language = "da"
    cast.anna.save(update_fields=["language"])
    period = make_period(user=cast.carla, group=cast.mariehonen)
    with django_capture_on_commit_callbacks():
        ids = nudges.nudges_request(request=None, user=cast.carla, period=period)
    nudges.nudges_send(nudge_ids=ids)
    assert "Emil" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives  # an HTML part too


def test_a_failing_mail_server_releases_the_claim(cast, django_capture_on_commit_callbacks):
    period = make_period(user=cast.carla, group=cast.mariehonen)
    with django_capture_on_commit_callbacks():
        ids = nudges.nudges_request(request=None, user=cast.carla, period=period)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")
        ),
        pytest.raises(OSError),
    ):
        nudges.nudges_send(nudge_ids=ids)
    assert BookingNudge.objects.get().sent_at is None and not Notification.objects.exists()
    assert nudges.nudges_send(nudge_ids=ids) == 1  # the retry sends it


def test_nudging_a_booked_child_or_another_groups_child_does_nothing(cast):
    period = make_period(user=cast.carla, group=cast.mariehonen)
    assert nudges.nudges_request(request=None, user=cast.carla, period=period, child_ids=[cast.ida.pk]) == []
    booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=period.slots.first(), child=cast.emil)
    assert nudges.nudges_request(request=None, user=cast.carla, period=period) == []
    assert not BookingNudge.objects.exists()

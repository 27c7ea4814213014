"""Answers to a parent meeting's invitation: each guardian of a child in the group says whether they
come (and with how many adults) and may change it until the meeting begins; nobody else answers."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from portal.meetings.models import Meeting, MeetingResponse
from portal.meetings.services import booking, family
from tests.meetings.conftest import plan_parent_meeting as parent_meeting
from tests.meetings.conftest import req


def answers():
    return list(MeetingResponse.objects.values_list("guardian_id", "coming", "adults"))


def test_anna_says_she_is_coming_and_changes_her_mind_until_the_meeting(cast):
    meeting = parent_meeting(cast)
    family.meeting_response_set(user=cast.anna, meeting=meeting, coming=True, adults=2)
    family.meeting_response_set(user=cast.mikkel, meeting=meeting, coming=True)
    assert sorted(answers()) == sorted([(cast.anna.pk, True, 2), (cast.mikkel.pk, True, 1)])
    family.meeting_response_set(user=cast.anna, meeting=meeting, coming=False, adults=2)
    assert sorted(answers()) == sorted([(cast.anna.pk, False, 0), (cast.mikkel.pk, True, 1)])


def test_bo_cannot_answer_for_a_group_his_child_is_not_in(cast):
    meeting = parent_meeting(cast)
    with pytest.raises(ValidationError):
        family.meeting_response_set(user=cast.bo, meeting=meeting, coming=True)
    assert answers() == []


@pytest.mark.parametrize("adults", [0, 11])
def test_a_guardian_who_is_coming_brings_one_to_ten_adults(cast, adults):
    meeting = parent_meeting(cast)
    with pytest.raises(ValidationError) as refused:
        family.meeting_response_set(user=cast.anna, meeting=meeting, coming=True, adults=adults)
    assert "adults" in refused.value.message_dict
    assert answers() == []


def test_no_answer_once_the_meeting_has_begun_or_is_cancelled(cast):
    meeting = parent_meeting(cast)
    family.meeting_response_set(user=cast.anna, meeting=meeting, coming=True)
    later = meeting.starts_at + timedelta(minutes=1)
    with pytest.raises(ValidationError):
        family.meeting_response_set(user=cast.anna, meeting=meeting, coming=False, now=later)
    booking.meeting_cancel(request=req(cast.carla), user=cast.carla, meeting=meeting, by_staff=True)
    with pytest.raises(ValidationError):
        family.meeting_response_set(user=cast.mikkel, meeting=meeting, coming=True)
    assert answers() == [(cast.anna.pk, True, 1)]


def test_a_conversation_about_one_child_asks_nobody_whether_they_come(cast, emil_period):
    slot = emil_period.slots.first()
    meeting = booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=slot, child=cast.emil)
    with pytest.raises(ValidationError):
        family.meeting_response_set(user=cast.anna, meeting=meeting, coming=True)
    assert answers() == [] and Meeting.objects.count() == 1

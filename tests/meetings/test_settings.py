"""The municipality's reminder times, and re-planning upcoming meetings when they change."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.meetings.models import MeetingSettings, Reminder
from portal.meetings.services import booking
from portal.meetings.services.settings import reminders_replan_municipality
from tests.meetings.conftest import req


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_administrator_changes_reminder_times_and_upcoming_meetings_follow(
    cast, emil_period, client, login, django_capture_on_commit_callbacks
):
    slot = emil_period.slots.order_by("starts_at").first()
    meeting = booking.meeting_book(request=req(cast.anna), user=cast.anna, slot=slot, child=cast.emil)
    login(client, cast.erik)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:reminder_settings"), {"reminder_offsets": ["4320", "1440"]})
    assert response.status_code == 302
    assert MeetingSettings.objects.get(municipality=cast.aarhus).reminder_offsets == [4320, 1440]
    rows = Reminder.objects.filter(meeting=meeting, kind="reminder", recipient=cast.anna)
    assert dict(rows.values_list("offset_minutes", "status")) == {
        10080: "cancelled",
        4320: "pending",
        1440: "pending",
    }
    three_days = rows.get(offset_minutes=4320)
    assert three_days.due_at == meeting.starts_at - timedelta(days=3)
    # Running it again changes nothing; adding the week back re-arms the withdrawn row.
    assert reminders_replan_municipality(municipality_id=cast.aarhus.pk) == (0, 0)
    MeetingSettings.objects.filter(municipality=cast.aarhus).update(reminder_offsets=[10080, 1440])
    reminders_replan_municipality(municipality_id=cast.aarhus.pk)
    assert rows.get(offset_minutes=10080).status == "pending"
    assert rows.get(offset_minutes=4320).status == "cancelled"


def test_more_than_three_reminder_times_are_refused(cast, client, login):
    login(client, cast.erik)
    response = client.post(
        reverse("meetings:reminder_settings"), {"reminder_offsets": ["20160", "10080", "4320", "60"]}
    )
    assert response.status_code == 200
    assert "at most three" in response.content.decode()
    assert not MeetingSettings.objects.exists()


def test_another_municipality_is_untouched(cast, client, login):
    login(client, cast.olga)
    client.post(reverse("meetings:reminder_settings"), {"reminder_offsets": ["60"]})
    assert list(MeetingSettings.objects.values_list("municipality_id", flat=True)) == [cast.other.pk]

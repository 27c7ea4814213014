"""Staff write to the group's parents: now, or at a time they choose; after 18:00 the page suggests the
next morning. A scheduled message goes out once, when its time comes, and not before."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.community import services
from portal.community.models import GroupMessage
from portal.meetings.models import Notification

pytestmark = pytest.mark.django_db
KIND = Notification.Kind.GROUP_MESSAGE


def url(cast):
    return reverse("community:staff_message_create", args=[cast.mariehonen.pk])


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(2026, 12, day, hour, minute))


def received(user):
    return list(Notification.objects.filter(user=user, kind=KIND).values_list("title", "body"))


def test_staff_send_at_once_and_every_parent_of_the_group_gets_it_in_their_language(
    cast, client, login, django_capture_on_commit_callbacks
):
    cast.mikkel.language = "en"
    cast.mikkel.save()
    login(client, cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(cast), {"body": "Husk madpakke på fredag.", "when": "now"})
    assert response.status_code == 302
    assert received(cast.anna) == [("Fra Carla Hansen, personale i Mariehønen", "Husk madpakke på fredag.")]
    assert received(cast.mikkel) == [("From Carla Hansen, staff in Mariehønen", "Husk madpakke på fredag.")]
    assert received(cast.bo) == []  # Freja is in another group


def test_a_scheduled_message_goes_out_once_when_its_time_comes(cast):
    message = services.staff_message_write(
        user=cast.carla, group=cast.mariehonen, body="Tur i skoven i morgen.", send_at=at(4, 7), now=at(3, 19)
    )
    assert message.status == GroupMessage.Status.SCHEDULED
    assert services.scheduled_messages_send(now=at(4, 6, 59)) == 0 and received(cast.anna) == []
    assert services.scheduled_messages_send(now=at(4, 7)) == 1
    assert services.scheduled_messages_send(now=at(4, 7, 1)) == 0
    assert received(cast.anna) == [("Fra Carla Hansen, personale i Mariehønen", "Tur i skoven i morgen.")]
    message.refresh_from_db()
    assert message.status == GroupMessage.Status.SENT


@pytest.mark.parametrize(
    ("when", "late"), [((3, 17, 59), False), ((3, 18, 0), True), ((4, 6, 30), True), ((4, 7, 0), False)]
)
def test_writing_after_18_suggests_the_next_morning(when, late):
    now = at(*when)
    assert services.is_late(now) is late
    morning = services.next_morning(now)
    assert timezone.localtime(morning).hour == 7 and now < morning <= now + timedelta(hours=24)


def test_the_page_nudges_in_the_evening_with_the_morning_chosen(cast, client, login, monkeypatch):
    monkeypatch.setattr(services, "is_late", lambda now: True)
    login(client, cast.carla)
    page = client.get(url(cast)).content.decode()
    assert "Det er aften: skal den vente til i morgen tidlig?" in page
    later = re.search(r'<input[^>]*value="later"[^>]*>', page).group(0)
    assert "checked" in later


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": "", "when": "now"}, "Skriv beskeden."),
        ({"body": "Hej", "when": "later"}, "Vælg dagen, hvor den skal sendes."),
        (
            {"body": "Hej", "when": "later", "send_on": "2020-01-01", "send_time": "07:00"},
            "inden for 60 dage",
        ),
    ],
)
def test_a_message_that_cannot_go_is_refused_and_nothing_is_kept(cast, client, login, data, error):
    login(client, cast.carla)
    response = client.post(url(cast), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not GroupMessage.objects.exists()

"""Contact parents: a parent offers, the group's staff appoint; a contact parent writes to all the
group's parents through the portal, the staff read it first and send it or say why not. No parent sees
another's e-mail address or phone number."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Enrollment
from portal.community.models import ContactParent, GroupMessage
from portal.meetings.models import Notification
from portal.todos import staff_todos
from tests import factories as f
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def offer_url(cast, group=None):
    return reverse("community:contact_volunteer", args=[cast.emil.pk, (group or cast.mariehonen).pk])


@pytest.fixture
def offered(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.anna)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(offer_url(cast), {"action": "offer"}).status_code == 302
    return ContactParent.objects.get(user=cast.anna)


@pytest.fixture
def appointed(cast, offered, login, django_capture_on_commit_callbacks):
    from django.test import Client

    staff = login(Client(), cast.carla)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("community:contact_parent_decide", args=[offered.pk]), {"action": "appoint"})
    offered.refresh_from_db()
    return offered


def notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("title", "body"))


def test_a_parent_offers_once_and_the_groups_staff_are_told(cast, client, offered):
    assert offered.status == ContactParent.Status.VOLUNTEERED and offered.group == cast.mariehonen
    assert notices(cast.carla, Notification.Kind.CONTACT_PARENT) == [
        (
            "En forælder tilbyder at være kontaktforælder i Mariehønen",
            "Åbn gruppens kontaktforældre for at udpege forælderen.",
        )
    ]
    assert not Notification.objects.filter(user=cast.lene).exists()  # Lene leads, but is not in the group

    client.post(offer_url(cast), {"action": "offer"})
    assert ContactParent.objects.count() == 1


def test_a_parent_offers_only_for_their_own_childs_group(cast, client):
    client.force_login(cast.anna)
    assert client.post(offer_url(cast, group=cast.bien), {"action": "offer"}).status_code == 404
    client.force_login(cast.bo)
    assert client.post(offer_url(cast), {"action": "offer"}).status_code == 404
    assert not ContactParent.objects.exists()


def test_staff_appoint_and_the_parent_is_told(cast, appointed):
    assert appointed.status == ContactParent.Status.APPOINTED and appointed.appointed_by == cast.carla
    assert notices(cast.anna, Notification.Kind.CONTACT_PARENT) == [
        (
            "Du er kontaktforælder i Mariehønen",
            "Tak, fordi du vil hjælpe. Du kan nu skrive til alle forældre i Mariehønen gennem portalen. "
            "Personalet læser hver besked, før den bliver sendt.",
        )
    ]


def test_only_an_appointed_contact_parent_writes_and_the_message_waits_for_staff(cast, client, offered):
    url = reverse("community:group_message_create", args=[cast.emil.pk, cast.mariehonen.pk])
    assert client.get(url).status_code == 404  # offered, not appointed yet
    offered.status, offered.appointed_at = ContactParent.Status.APPOINTED, timezone.now()
    offered.save()

    refused = client.post(url, {"body": "  "})
    assert refused.status_code == 200 and b"Write the message." in refused.content
    assert client.post(url, {"body": "Legeaftale i parken lørdag kl. 10?"}).status_code == 302

    message = GroupMessage.objects.get()
    assert (message.status, message.author_name) == (GroupMessage.Status.WAITING, "Anna Jensen")
    (todo,) = [t for t in staff_todos(cast.carla) if t.kind == "group_message"]
    assert todo.title == "A message from a contact parent in Mariehønen waits to be sent"
    assert todo.deadline == message.created_at + timedelta(days=2)
    assert not [t for t in staff_todos(cast.dorte) if t.kind == "group_message"]


def test_a_sent_message_reaches_every_parent_of_the_group_and_nobody_else(
    cast, appointed, login, client, django_capture_on_commit_callbacks
):
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    liva_mother = f.GuardianshipFactory(child=liva, user=f.UserFactory(language="en")).user
    message = GroupMessage.objects.create(
        group=cast.mariehonen, author=cast.anna, author_name="Anna Jensen", body="Hej alle!"
    )
    login(client, cast.carla)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:group_message_decide", args=[message.pk]), {"action": "send"}
        )
        client.post(reverse("community:group_message_decide", args=[message.pk]), {"action": "send"})

    assert response.status_code == 302
    sent = [("Fra Anna Jensen, kontaktforælder i Mariehønen", "Hej alle!")]
    # Each parent reads the notice in their own language.
    assert notices(liva_mother, Notification.Kind.GROUP_MESSAGE) == [
        ("From Anna Jensen, contact parent in Mariehønen", "Hej alle!")
    ]
    assert notices(cast.mikkel, Notification.Kind.GROUP_MESSAGE) == sent  # informed, without custody
    assert notices(cast.anna, Notification.Kind.GROUP_MESSAGE) == []  # the author
    assert notices(cast.bo, Notification.Kind.GROUP_MESSAGE) == []  # another group
    assert "anna@example.test" not in Notification.objects.get(user=liva_mother).body


def test_a_message_not_sent_needs_a_reason_which_the_author_reads(
    cast, appointed, login, client, django_capture_on_commit_callbacks
):
    message = GroupMessage.objects.create(
        group=cast.mariehonen, author=cast.anna, author_name="Anna Jensen", body="…"
    )
    login(client, cast.carla)
    url = reverse("community:group_message_decide", args=[message.pk])

    refused = client.post(url, {"action": "decline", "reason": ""})
    assert refused.status_code == 200 and b"Tell the contact parent why" in refused.content
    message.refresh_from_db()
    assert message.status == GroupMessage.Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "decline", "reason": "Skriv det på forældremødet i stedet."})
    message.refresh_from_db()
    assert message.status == GroupMessage.Status.DECLINED
    assert notices(cast.anna, Notification.Kind.GROUP_MESSAGE) == [
        (
            "Din besked til forældrene i Mariehønen blev ikke sendt",
            "Personalet skrev: Skriv det på forældremødet i stedet.",
        )
    ]
    assert (
        not Notification.objects.filter(kind=Notification.Kind.GROUP_MESSAGE).exclude(user=cast.anna).exists()
    )


def test_a_parent_who_reads_english_is_told_in_english(
    cast, offered, login, django_capture_on_commit_callbacks
):
    from django.test import Client

    cast.anna.language = "en"
    cast.anna.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        login(Client(), cast.carla).post(
            reverse("community:contact_parent_decide", args=[offered.pk]), {"action": "appoint"}
        )
    assert notices(cast.anna, Notification.Kind.CONTACT_PARENT) == [
        (
            "You are a contact parent in Mariehønen",
            "Thank you for helping. You can now write to all the parents in Mariehønen through the portal. "
            "The staff read each message before it goes out.",
        )
    ]


@pytest.mark.parametrize("who", ["dorte", "sofie", "erik", "anna", "bo"])
def test_the_staff_page_is_only_for_the_groups_staff(cast, client, login, who, offered):
    login(client, getattr(cast, who), mfa=who not in ("anna", "bo"))
    assert client.get(reverse("community:group_contact", args=[cast.mariehonen.pk])).status_code == 404
    decide = client.post(reverse("community:contact_parent_decide", args=[offered.pk]), {"action": "appoint"})
    assert decide.status_code == 404
    offered.refresh_from_db()
    assert offered.status == ContactParent.Status.VOLUNTEERED


def test_a_leader_opens_the_staff_page_and_a_caseload_has_none(cast, client, login):
    login(client, cast.lene)
    assert client.get(reverse("community:group_contact", args=[cast.mariehonen.pk])).status_code == 200
    login(client, cast.sofie)
    assert client.get(reverse("community:group_contact", args=[cast.caseload.pk])).status_code == 404


def test_the_staff_page_costs_the_same_with_few_and_many_offers_and_messages(cast, client, login, offered):
    login(client, cast.carla)

    def grow():
        for number in range(24):
            child = f.ChildFactory(municipality=cast.aarhus)
            f.EnrollmentFactory(child=child, group=cast.mariehonen)
            parent = f.GuardianshipFactory(child=child).user
            ContactParent.objects.create(
                group=cast.mariehonen, user=parent, child=child, status="volunteered"
            )
            GroupMessage.objects.create(
                group=cast.mariehonen, author=parent, author_name="X", body=f"Besked {number}"
            )

    assert_constant_queries(client, reverse("community:group_contact", args=[cast.mariehonen.pk]), 14, grow)


def test_a_parent_withdraws_and_may_offer_again(cast, client, offered):
    client.post(offer_url(cast), {"action": "withdraw"})
    offered.refresh_from_db()
    assert offered.ended_at is not None
    client.post(offer_url(cast), {"action": "offer"})
    assert ContactParent.objects.filter(ended_at__isnull=True).count() == 1
    Enrollment.objects.filter(child=cast.emil).update(ended_on=timezone.localdate() - timedelta(days=1))
    assert client.post(offer_url(cast), {"action": "offer"}).status_code == 404

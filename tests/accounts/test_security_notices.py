"""Logging out the other sessions and making or stopping a calendar address are security changes: every
confirmed address of the person is told, in the portal's name, with what to do if it was not them."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.conftest import assert_mail_names_the_site

pytestmark = pytest.mark.django_db


def to(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


@pytest.fixture
def second_address(cast):
    """Anna has confirmed a second address: both are told."""
    EmailAddress.objects.create(user=cast.anna, email="anna.work@example.test", verified=True)
    return "anna.work@example.test"


def test_logging_out_the_other_sessions_tells_every_confirmed_address(
    cast, second_address, reauthenticate, distinct_site, mailoutbox
):
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.post(reverse("account_login"), {"login": cast.anna.email, "password": "correct-horse-battery"})
    reauthenticate(laptop)
    mailoutbox.clear()

    assert laptop.post(reverse("usersessions_list")).status_code == 302

    assert to(mailoutbox) == sorted([cast.anna.email, second_address])
    for message in mailoutbox:
        assert message.subject.endswith("Du er logget ud på dine andre enheder")
        assert "If this was not you" not in message.body and "Hvis det ikke var dig" in message.body
        assert_mail_names_the_site(message)


def test_a_new_calendar_address_and_stopping_it_are_mailed(
    client, cast, login, second_address, reauthenticate, distinct_site, mailoutbox
):
    reauthenticate(login(client, cast.anna, mfa=False))
    mailoutbox.clear()

    client.post(reverse("meetings:calendar_rotate"))
    assert to(mailoutbox) == sorted([cast.anna.email, second_address])
    assert all(m.subject.endswith("Der er lavet en ny kalenderadresse") for m in mailoutbox)
    mailoutbox.clear()

    client.post(reverse("meetings:calendar_delete"))
    assert to(mailoutbox) == sorted([cast.anna.email, second_address])
    assert all(m.subject.endswith("Din kalenderadresse er stoppet") for m in mailoutbox)
    assert_mail_names_the_site(mailoutbox[0])


def test_a_refused_calendar_change_sends_nothing(client, cast, login, mailoutbox):
    login(client, cast.anna, mfa=False)  # not re-authenticated: sent to give the password first
    mailoutbox.clear()
    client.post(reverse("meetings:calendar_rotate"))
    assert mailoutbox == []

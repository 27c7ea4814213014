"""Changing the e-mail address, the password, two-step verification, the calendar address or logging out
the other sessions asks for the password (or an e-mailed code) again within the last five minutes. A
signed-in phone left unlocked is not enough to take over the login: whoever holds it cannot add their own
address, and every confirmed address is told of each change."""

import re

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.meetings.models import CalendarFeed
from portal.meetings.services.calendar import calendar_feed_rotate
from tests.conftest import PASSWORD_OF_THE_CAST, assert_mail_names_the_site

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-password-7"
PASSWORD_CHANGE = {"oldpassword": PASSWORD_OF_THE_CAST, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
# Changing the password asks for the current one on the form itself; setting a first one (people who
# log in by code) asks for re-authentication like these.
SECURITY_CHANGES = {
    "add an e-mail address": ("account_email", {"action_add": "", "email": "ny@example.test"}),
    "log out the other sessions": ("usersessions_list", {}),
    "make a new calendar address": ("meetings:calendar_rotate", {}),
    "stop the calendar feed": ("meetings:calendar_delete", {}),
}


def age_the_session(client, seconds):
    """As if every login and re-authentication of this session happened ``seconds`` earlier."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{**r, "at": r["at"] - seconds} for r in records]
    session.save()


def state_of(user):
    user.refresh_from_db()
    return (
        sorted(EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
        user.password,
        CalendarFeed.objects.filter(user=user).values_list("token_hash", flat=True).first(),
    )


@pytest.mark.parametrize("change", SECURITY_CHANGES)
def test_a_session_older_than_the_window_is_sent_to_reauthenticate(change, cast, login, reauthenticate):
    url_name, data = SECURITY_CHANGES[change]
    calendar_feed_rotate(user=cast.anna)
    anna = reauthenticate(login(Client(), cast.anna, mfa=False))
    age_the_session(anna, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)
    before = state_of(cast.anna)

    response = anna.post(reverse(url_name), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert state_of(cast.anna) == before


@pytest.mark.parametrize("change", SECURITY_CHANGES)
def test_within_the_window_the_change_goes_through(change, cast, login, reauthenticate):
    url_name, data = SECURITY_CHANGES[change]
    calendar_feed_rotate(user=cast.anna)
    anna = reauthenticate(login(Client(), cast.anna, mfa=False))
    age_the_session(anna, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 30)
    before = state_of(cast.anna)

    response = anna.post(reverse(url_name), data)

    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("account_reauthenticate"))
    if url_name != "usersessions_list":  # which ends other sessions only (tests/portal/test_security.py)
        assert state_of(cast.anna) != before


def test_the_old_address_is_told_when_a_new_one_replaces_it(
    cast, login, reauthenticate, distinct_site, mailoutbox
):
    anna = reauthenticate(login(Client(), cast.anna, mfa=False))
    anna.post(reverse("account_email"), {"action_add": "", "email": "anna.ny@example.test"})
    (confirmation,) = mailoutbox
    link = re.search(r"https?://\S+", confirmation.body).group(0).removeprefix(distinct_site.url)

    anna.post(link)

    # One address per person: the new one replaces the old one, and the old one gets the notice.
    assert list(EmailAddress.objects.filter(user=cast.anna).values_list("email", "primary")) == [
        ("anna.ny@example.test", True)
    ]
    notice = mailoutbox[-1]
    assert notice.to == [cast.anna.email]
    assert notice.subject == f"{distinct_site.name}: Din e-mailadresse er ændret"
    assert "anna.ny@example.test" in notice.body and "vælg en ny adgangskode" in notice.body.lower()
    assert_mail_names_the_site(notice)


def test_whoever_holds_the_unlocked_phone_cannot_add_their_own_address(cast, login, mailoutbox):
    phone = login(Client(), cast.anna, mfa=False)  # Anna logged in an hour ago and left it unlocked
    age_the_session(phone, 3600)

    response = phone.post(reverse("account_email"), {"action_add": "", "email": "someone@example.test"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    # Without the password the way on is closed ...
    wrong = phone.post(reverse("account_reauthenticate"), {"password": "a-guess"})
    assert wrong.status_code == 200
    phone.post(reverse("account_email"), {"action_add": "", "email": "someone@example.test"})
    # ... and a code instead of the password goes to Anna's own address only.
    phone.post(reverse("account_request_reauthentication_code"))

    addresses = EmailAddress.objects.filter(user=cast.anna).values_list("email", flat=True)
    assert list(addresses) == [cast.anna.email]
    assert all(m.to == [cast.anna.email] for m in mailoutbox)
    assert not any("someone@example.test" in " ".join(m.to) for m in mailoutbox)


def test_every_confirmed_address_is_told_of_a_new_password(cast, login, reauthenticate, mailoutbox):
    EmailAddress.objects.create(user=cast.anna, email="anna.arbejde@example.test", verified=True)
    anna = reauthenticate(login(Client(), cast.anna, mfa=False))
    anna.post(reverse("account_change_password"), PASSWORD_CHANGE)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.anna.email, "anna.arbejde@example.test"])

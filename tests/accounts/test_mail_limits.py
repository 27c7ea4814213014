"""Mails anyone can ask for (login codes, password resets, e-mail confirmations): at most three per
address an hour and a bound per client address, and an address without a login gets no mail at all.
The answer never tells whether the address has a login.

The portal runs behind one proxy here (NUM_PROXIES=1); the client's address is the forwarded one."""

import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody@example.test"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.NUM_PROXIES = 1


@pytest.fixture
def minutes_later(monkeypatch):
    """Move the rate limits' clock on instead of waiting (the cache holding the counts is the real one)."""

    def move(minutes):
        offset = minutes * 60
        monkeypatch.setattr(
            ratelimit, "time", SimpleNamespace(time=lambda: time.time() + offset, monotonic=time.monotonic)
        )

    return move


def ask(url_name, email, address="192.0.2.7"):
    return Client().post(
        reverse(url_name), {"email": email}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address
    )


def answer(response):
    """What the person sees: status, where it leads, and any form errors."""
    form = response.context["form"] if response.context and "form" in response.context else None
    errors = {k: [e.code for e in v] for k, v in form.errors.as_data().items()} if form else {}
    return response.status_code, response.get("Location"), errors


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_request_login_code"])
def test_an_unknown_address_gets_no_mail_and_the_same_answer(cast, mailoutbox, url_name):
    known = ask(url_name, cast.anna.email)
    unknown = ask(url_name, UNKNOWN)

    assert [m.to for m in mailoutbox] == [[cast.anna.email]]
    assert answer(unknown) == answer(known) and known.status_code == 302


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_request_login_code"])
def test_a_fourth_mail_within_the_hour_is_not_sent(cast, mailoutbox, minutes_later, url_name):
    for minutes in (0, 10, 20):
        minutes_later(minutes)
        ask(url_name, cast.anna.email, address=f"192.0.2.{minutes + 1}")
    assert len(mailoutbox) == 3

    minutes_later(30)
    refused = ask(url_name, cast.anna.email, address="198.51.100.1")
    assert len(mailoutbox) == 3

    # Past the limit the answer is the same for an address without a login.
    for _ in range(3):
        ask(url_name, UNKNOWN, address="198.51.100.2")
    assert answer(ask(url_name, UNKNOWN, address="198.51.100.3")) == answer(refused)

    minutes_later(61)
    ask(url_name, cast.anna.email)
    assert len(mailoutbox) == 4


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_request_login_code"])
def test_one_client_address_gets_thirty_mails_an_hour(db, mailoutbox, minutes_later, url_name):
    people = [f.UserFactory() for _ in range(31)]
    for i, person in enumerate(people[:30]):
        minutes_later(i)
        ask(url_name, person.email, address="203.0.113.9")
    assert len(mailoutbox) == 30

    minutes_later(45)
    ask(url_name, people[30].email, address="203.0.113.9")
    assert len(mailoutbox) == 30

    ask(url_name, people[30].email, address="192.0.2.7")
    assert len(mailoutbox) == 31


def test_logging_in_with_an_unconfirmed_address_sends_three_confirmation_mails_an_hour(
    cast, mailoutbox, minutes_later
):
    cast.anna.emailaddress_set.update(verified=False)
    for minutes in (0, 10, 20, 30):
        minutes_later(minutes)
        Client().post(
            reverse("account_login"),
            {"login": cast.anna.email, "password": "correct-horse-battery"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{minutes + 1}",
        )

    assert len(mailoutbox) == 3 and all(m.to == [cast.anna.email] for m in mailoutbox)

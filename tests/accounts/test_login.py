"""Logging in with a password: guessing is slowed, but one person's wrong passwords never lock out
another, and the owner of an account under attack still gets in (from elsewhere, or by e-mailed code).

The portal runs behind one proxy here (NUM_PROXIES=1): every request comes from the proxy's address,
and the client's address is the last one in X-Forwarded-For."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from portal.audit.models import AccessEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
RIGHT = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.NUM_PROXIES = 1


def via_proxy(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def attempt(email, password, address, client=None):
    """One login from `address` (forwarded by the proxy); returns the client and the response."""
    client = client or Client()
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        **via_proxy(address),
    )
    return client, response


def logged_in(client):
    return "_auth_user_id" in client.session


def refused_for_too_many_tries(response):
    errors = response.context["form"].non_field_errors().as_data()
    return response.status_code == 200 and [e.code for e in errors] == ["too_many_password_attempts"]


def test_ten_people_mistyping_anywhere_never_lock_out_the_eleventh(cast):
    for i in range(10):
        person = f.UserFactory()
        _, response = attempt(person.email, "wrong-password", f"192.0.2.{i + 1}")
        assert response.status_code == 200

    client, response = attempt(cast.anna.email, RIGHT, "198.51.100.20")

    assert response.status_code == 302 and logged_in(client)


def test_ten_wrong_passwords_from_one_address_refuse_the_next_try_from_it(cast):
    for i in range(10):
        # The client may write anything before the proxy's entry; only the proxy's entry counts.
        attempt(cast.anna.email, "wrong-password", f"6.6.6.{i}, 192.0.2.7")

    client, response = attempt(cast.anna.email, RIGHT, "6.6.6.99, 192.0.2.7")

    assert refused_for_too_many_tries(response) and not logged_in(client)


def test_the_refusal_points_to_login_by_emailed_code_and_that_works(cast, mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"
    for _ in range(5):
        attempt(cast.anna.email, "wrong-password", "192.0.2.7")
    client, response = attempt(cast.anna.email, RIGHT, "192.0.2.7")

    assert refused_for_too_many_tries(response)
    assert "log in without a password with a code we e-mail you" in response.content.decode()

    client.post(
        reverse("account_request_login_code"),
        {"email": cast.anna.email},
        **via_proxy("192.0.2.7"),
    )
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, **via_proxy("192.0.2.7"))
    assert response.status_code == 302 and logged_in(client)


def test_five_failures_from_one_address_leave_the_owner_in_from_another(cast):
    for _ in range(5):
        attempt(cast.anna.email, "wrong-password", "203.0.113.66")
    _, response = attempt(cast.anna.email, RIGHT, "203.0.113.66")
    assert refused_for_too_many_tries(response)

    client, response = attempt(cast.anna.email, RIGHT, "192.0.2.7")

    assert response.status_code == 302 and logged_in(client)


def test_one_persons_failures_never_lock_out_another_at_the_same_address(cast):
    for _ in range(30):
        attempt(cast.bo.email, "wrong-password", "192.0.2.50")

    client, response = attempt(cast.anna.email, RIGHT, "192.0.2.50")

    assert response.status_code == 302 and logged_in(client)


def test_guessing_one_account_from_many_addresses_is_capped_per_account(cast):
    for i in range(10):
        _, response = attempt(cast.anna.email, "wrong-password", f"203.0.113.{i + 1}")
        assert not refused_for_too_many_tries(response)

    client, response = attempt(cast.anna.email, RIGHT, "192.0.2.7")

    assert refused_for_too_many_tries(response) and not logged_in(client)
    # Another account is untouched.
    client, response = attempt(cast.bo.email, RIGHT, "203.0.113.1")
    assert response.status_code == 302 and logged_in(client)


def test_trying_many_accounts_from_one_address_is_capped_per_address(cast):
    for i in range(100):
        _, response = attempt(f"nobody{i}@example.test", "wrong-password", "203.0.113.9")
        assert not refused_for_too_many_tries(response), i

    client, response = attempt(cast.anna.email, RIGHT, "203.0.113.9")

    assert refused_for_too_many_tries(response) and not logged_in(client)


def test_a_successful_login_gives_its_try_back(cast):
    for _ in range(4):
        attempt(cast.anna.email, "wrong-password", "192.0.2.7")
    for _ in range(3):
        client, response = attempt(cast.anna.email, RIGHT, "192.0.2.7")
        assert response.status_code == 302 and logged_in(client)


def test_the_access_log_and_the_session_list_see_the_same_client_address(cast):
    client, _ = attempt(cast.anna.email, RIGHT, "6.6.6.6, 192.0.2.7")
    client.get(reverse("children:child_detail", args=[cast.emil.pk]), **via_proxy("192.0.2.7"))

    assert UserSession.objects.get(user=cast.anna).ip == "192.0.2.7"
    assert AccessEvent.objects.get(actor=cast.anna, action="view").ip == "192.0.2.7"


def test_a_proxy_entry_that_is_no_address_is_refused_not_an_error(cast):
    client, response = attempt(cast.anna.email, RIGHT, "not-an-address")

    assert response.status_code == 403 and not logged_in(client)


def test_after_a_password_reset_the_new_password_works_at_once(cast, mailoutbox):
    for i in range(10):
        attempt(cast.anna.email, "wrong-password", f"203.0.113.{i + 1}")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": cast.anna.email}, **via_proxy("192.0.2.7"))
    link = re.search(r"https?://\S+?(/account/password/reset/key/\S+/)", mailoutbox[-1].body).group(1)
    form_url = client.get(link, **via_proxy("192.0.2.7"))["Location"]
    new = {"password1": "a-brand-new-long-password", "password2": "a-brand-new-long-password"}
    assert client.post(form_url, new, **via_proxy("192.0.2.7")).status_code == 302

    client, response = attempt(cast.anna.email, "a-brand-new-long-password", "192.0.2.7")

    assert response.status_code == 302 and logged_in(client)

"""Guessing two-step codes: allauth only slows it down (five wrong codes per five minutes, for ever). The
portal counts wrong codes in a row per person in the database: every tenth ends the pending login and
mails the person, and at thirty two-step login stays locked until the password is reset."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.conftest import TOTP_SECRET, clear_own_cache

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _guesses_not_slowed_down(settings):
    # allauth's own slow-down (5 per 5 minutes) only spreads the guesses out in time; the counts here
    # are the same whenever the guesses come.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "1000/m/key"}


def right_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def wrong_code() -> str:
    return f"{(int(right_code()) + 1) % 1_000_000:06d}"


def password_step(client, user, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.url == reverse("mfa_authenticate")


def guess(client, times):
    for _ in range(times):
        response = client.post(reverse("mfa_authenticate"), {"code": wrong_code()})
    return response


def logged_in(client):
    return "_auth_user_id" in client.session


def test_nine_wrong_codes_keep_the_login_pending_and_send_no_mail(client, cast, mailoutbox):
    password_step(client, cast.carla)

    response = guess(client, 9)

    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert client.get(reverse("mfa_authenticate")).status_code == 200
    assert mailoutbox == []


def test_the_tenth_wrong_code_in_a_row_ends_the_login_and_mails_carla(client, cast, mailoutbox, settings):
    password_step(client, cast.carla)
    guess(client, 9)

    response = guess(client, 1)

    assert response.status_code == 302 and response.url == reverse("account_login")
    assert "For mange forkerte koder. Log ind igen." in client.get(response.url).content.decode()
    # The pending login is gone: the code page sends back to the password, and a right code is too late.
    assert client.get(reverse("mfa_authenticate")).url == reverse("account_login")
    client.post(reverse("mfa_authenticate"), {"code": right_code()})
    assert not logged_in(client)

    (mail,) = mailoutbox
    assert mail.to == [cast.carla.email]
    assert settings.SITE_NAME in mail.subject and settings.SITE_NAME in mail.body
    assert settings.SITE_URL + reverse("account_reset_password") in mail.body
    # Carla reads Danish.
    assert "10 gange i træk" in mail.body and "Vælg en ny adgangskode" in mail.body


def test_the_mail_goes_to_every_verified_address_only(client, cast, mailoutbox):
    cast.carla.emailaddress_set.create(email="carla.home@example.test", verified=True)
    cast.carla.emailaddress_set.create(email="carla.old@example.test", verified=False)
    password_step(client, cast.carla)

    guess(client, 10)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.carla.email, "carla.home@example.test"])


def test_a_right_code_starts_the_count_again(client, cast, mailoutbox):
    password_step(client, cast.carla)
    guess(client, 9)
    client.post(reverse("mfa_authenticate"), {"code": right_code()})
    assert logged_in(client)
    client.post(reverse("account_logout"))

    password_step(client, cast.carla)
    response = guess(client, 9)

    assert response.status_code == 200 and mailoutbox == []


def test_the_count_survives_an_emptied_cache(client, cast, mailoutbox):
    password_step(client, cast.carla)
    guess(client, 9)
    clear_own_cache()  # as after a Redis restart

    response = guess(client, 1)

    assert response.url == reverse("account_login") and len(mailoutbox) == 1


def test_thirty_wrong_codes_lock_two_step_login_until_a_new_password(client, cast, mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"
    for _ in range(3):
        password_step(client, cast.carla)
        guess(client, 10)
    assert len(mailoutbox) == 3
    assert "Totrinsbekræftelsen er nu låst" in mailoutbox[-1].body
    assert "låst" not in mailoutbox[0].body

    # Even Carla's right code is not checked now: she is told to choose a new password.
    password_step(client, cast.carla)
    response = client.post(reverse("mfa_authenticate"), {"code": right_code()})
    assert not logged_in(client)
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == ["mfa_locked"]
    assert "Forgot your password?" in response.content.decode()

    client.post(reverse("account_reset_password"), {"email": cast.carla.email})
    link = re.search(r"http\S+/password/reset/key/\S+", mailoutbox[-1].body).group(0)
    set_password_url = client.get(link.removeprefix(settings.SITE_URL)).url
    new = "a-new-long-password-42"
    client.post(set_password_url, {"password1": new, "password2": new})

    password_step(client, cast.carla, password=new)
    client.post(reverse("mfa_authenticate"), {"code": right_code()})
    assert logged_in(client)

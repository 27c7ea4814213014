"""The first authenticator needs more than the password: a code mailed to the person's confirmed address.
Whoever knows only a staff member's password cannot set up their own authenticator on the account and
then read children's pages. The owner is mailed when an authenticator is added or removed and when
recovery codes are made."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from portal.accounts import services
from tests import factories as f
from tests.conftest import TOTP_SECRET, assert_mail_names_the_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def nina(cast):
    """A new staff member at Solsikken, without an authenticator yet."""
    nina = f.UserFactory(email="nina@example.test", first_name="Nina", last_name="Holm")
    f.StaffMembershipFactory(user=nina, institution=cast.solsikken)
    return nina


def password_login(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"})
    return client


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def mailed_code(message):
    return re.search(r"^\s*([A-Z0-9-]{6,})\s*$", message.body, re.MULTILINE).group(1)


def test_the_password_alone_cannot_set_up_an_authenticator(nina, reauthenticate, mailoutbox):
    stranger = password_login(Client(), nina)
    # The portal sends a staff member without an authenticator to set one up ...
    response = stranger.get(reverse("children:staff_home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:mfa_setup_confirm")
    # ... and even with the password entered again, setting one up asks for the mailed code first.
    reauthenticate(stranger)
    response = stranger.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_setup_confirm")
    session = stranger.session
    session[SECRET_SESSION_KEY] = TOTP_SECRET
    session.save()
    stranger.post(reverse("mfa_activate_totp"), {"code": current_code(TOTP_SECRET)})
    assert not Authenticator.objects.filter(user=nina).exists()
    # Guessing the code: a few tries, then the code is gone.
    stranger.post(reverse("accounts:mfa_setup_confirm"), {"send": ""})
    real = mailed_code(mailoutbox[-1])
    for _ in range(services.MFA_SETUP_CODE_TRIES):
        assert stranger.post(reverse("accounts:mfa_setup_confirm"), {"code": "WRONG1"}).status_code == 200
    stranger.post(reverse("accounts:mfa_setup_confirm"), {"code": real})
    assert stranger.get(reverse("mfa_activate_totp"))["Location"] == reverse("accounts:mfa_setup_confirm")


def test_the_code_goes_to_the_confirmed_address_and_lets_the_owner_set_up(
    nina, reauthenticate, distinct_site, mailoutbox, django_capture_on_commit_callbacks
):
    owner = reauthenticate(password_login(Client(), nina))
    assert owner.post(reverse("accounts:mfa_setup_confirm"), {"send": ""}).status_code == 302
    (message,) = mailoutbox
    assert message.to == [nina.email]
    assert message.subject == f"{distinct_site.name}: Din kode til at slå totrinsbekræftelse til"
    assert_mail_names_the_site(message)

    response = owner.post(reverse("accounts:mfa_setup_confirm"), {"code": mailed_code(message).lower()})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert owner.get(reverse("mfa_activate_totp")).status_code == 200
    secret = owner.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=nina, type=Authenticator.Type.TOTP).exists()
    # The owner is told at every confirmed address.
    notice = mailoutbox[-1]
    assert notice.to == [nina.email] and "Totrinsbekræftelse er slået til" in notice.subject
    assert_mail_names_the_site(notice)


def test_an_old_code_no_longer_works(nina, reauthenticate, mailoutbox, monkeypatch):
    owner = reauthenticate(password_login(Client(), nina))
    owner.post(reverse("accounts:mfa_setup_confirm"), {"send": ""})
    later = time.time() + services.MFA_SETUP_CODE_LIFETIME + 1
    monkeypatch.setattr(services.time, "time", lambda: later)
    owner.post(reverse("accounts:mfa_setup_confirm"), {"code": mailed_code(mailoutbox[-1])})
    assert owner.get(reverse("mfa_activate_totp"))["Location"] == reverse("accounts:mfa_setup_confirm")


def test_removing_the_authenticator_and_new_recovery_codes_are_mailed_to_every_address(
    cast, login, reauthenticate, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=cast.carla, email="carla.privat@example.test", verified=True)
    carla = reauthenticate(login(Client(), cast.carla))
    with django_capture_on_commit_callbacks(execute=True):
        response = carla.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302, response
    assert sorted(m.to[0] for m in mailoutbox) == ["carla.privat@example.test", cast.carla.email]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        carla.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=cast.carla, type=Authenticator.Type.TOTP).exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["carla.privat@example.test", cast.carla.email]
    assert all("slået fra" in m.subject for m in mailoutbox)

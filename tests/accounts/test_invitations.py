import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from children.models import Guardianship
from portal.accounts import services
from portal.accounts.models import Invitation, User
from portal.organisation.models import MunicipalAdministrator, StaffMembership

pytestmark = pytest.mark.django_db

PERSON = {"first_name": "Karen", "last_name": "Lund", "email": "Karen.Lund@Example.test"}


def _link(mail) -> str:
    match = re.search(r"http://[^\s]+/invitation/([^/\s]+)/", mail.body)
    assert match, mail.body
    return match.group(1)


def _invite_staff(client, cast, login, django_capture_on_commit_callbacks, user=None):
    login(client, user or cast.lene)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create_staff"),
            {**PERSON, "institution": cast.solsikken.pk, "role": "pedagogue"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Invitation.objects.get(email="karen.lund@example.test")


def test_leader_invites_staff_and_the_link_is_mailed_once(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["karen.lund@example.test"]
    token = _link(mailoutbox[0])
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash
    # A retried task does not send a second e-mail.
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mailoutbox) == 1


def test_accepting_creates_a_verified_account_with_the_role(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    token = _link(mailoutbox[0])
    client.logout()
    url = reverse("accounts:invitation_accept", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"password1": "lang-og-sikker-kode-42", "password2": "lang-og-sikker-kode-42"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="karen.lund@example.test")
    assert user.check_password("lang-og-sikker-kode-42")
    assert EmailAddress.objects.get(user=user).verified
    assert StaffMembership.objects.filter(user=user, institution=cast.solsikken, role="pedagogue").exists()
    # The link works once.
    assert client.get(url).status_code == 404


def test_accept_with_weak_or_mismatched_password_creates_nothing(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    url = reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])])
    client.logout()
    response = client.post(url, {"password1": "12345678901", "password2": "12345678901"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"password1": "lang-og-sikker-kode-42", "password2": "noget-andet-helt-42"})
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="karen.lund@example.test").exists()


def test_expired_and_revoked_invitations_cannot_be_used(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    url = reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.logout()
    assert client.get(url).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    login(client, cast.lene)
    assert client.post(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"password1": "lang-og-sikker-kode-42", "password2": "lang-og-sikker-kode-42"}
        ).status_code
        == 404
    )
    assert not User.objects.filter(email="karen.lund@example.test").exists()


def test_a_second_pending_invitation_is_refused_with_a_message(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("accounts:invitation_create_staff"),
        {**PERSON, "institution": cast.solsikken.pk, "role": "pedagogue"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Invitation.objects.count() == 1


def test_leader_cannot_invite_to_another_institution(client, cast, login):
    login(client, cast.lene)
    response = client.post(
        reverse("accounts:invitation_create_staff"),
        {**PERSON, "institution": cast.school.pk, "role": "teacher"},
    )
    assert response.status_code == 200 and "institution" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_administrator_invites_an_administrator(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, cast.erik)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_create_administrator"), PERSON)
    client.logout()
    client.post(
        reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])]),
        {"password1": "lang-og-sikker-kode-42", "password2": "lang-og-sikker-kode-42"},
    )
    assert MunicipalAdministrator.objects.filter(
        user__email="karen.lund@example.test", municipality=cast.aarhus
    ).exists()


def test_health_visitor_invites_a_parent_without_custody(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, cast.sofie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create_guardian", args=[cast.baby.pk]),
            {**PERSON, "relation": "mother"},
        )
    assert response.status_code == 302
    client.logout()
    client.post(
        reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])]),
        {"password1": "lang-og-sikker-kode-42", "password2": "lang-og-sikker-kode-42"},
    )
    guardianship = Guardianship.objects.get(user__email="karen.lund@example.test")
    assert guardianship.child == cast.baby and guardianship.has_custody is False


def test_existing_person_accepts_without_a_new_password(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, cast.lene)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create_staff"),
            {
                "first_name": "Anna",
                "last_name": "Jensen",
                "email": cast.anna.email,
                "institution": cast.solsikken.pk,
                "role": "pedagogue",
            },
        )
    client.logout()
    url = reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])])
    assert client.get(url).context["form"] is None
    client.post(url)
    cast.anna.refresh_from_db()
    assert cast.anna.check_password("correct-horse-battery")
    assert StaffMembership.objects.filter(user=cast.anna).exists()


def test_there_is_no_open_signup(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.test",
            "password1": "lang-og-sikker-kode-42",
            "password2": "lang-og-sikker-kode-42",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="stranger@example.test").exists()


def test_stale_invitations_are_purged(cast):
    old = Invitation.objects.create(
        email="old@example.test",
        first_name="O",
        last_name="Ld",
        kind="administrator",
        municipality=cast.aarhus,
        expires_at=timezone.now() - datetime.timedelta(days=200),
    )
    fresh = Invitation.objects.create(
        email="new@example.test",
        first_name="N",
        last_name="Ew",
        kind="administrator",
        municipality=cast.aarhus,
        expires_at=timezone.now() + datetime.timedelta(days=10),
    )
    assert services.invitations_purge_stale() == 1
    assert (
        not Invitation.objects.filter(pk=old.pk).exists() and Invitation.objects.filter(pk=fresh.pk).exists()
    )


def test_accepting_without_a_password_means_login_by_emailed_code(
    client, cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    _invite_staff(client, cast, login, django_capture_on_commit_callbacks)
    url = reverse("accounts:invitation_accept", args=[_link(mailoutbox[0])])
    client.logout()
    response = client.post(url, {"password1": "", "password2": ""})
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    assert client.post(url, {"use_code": "on"}).status_code == 302
    user = User.objects.get(email="karen.lund@example.test")
    assert not user.has_usable_password()
    mailoutbox.clear()
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and user.email in mailoutbox[0].to

"""Every mail about a login names the portal (SITE_NAME) and links to its address (SITE_URL), never the
host the request came in on, in the portal's own plain words rather than allauth's."""

import re

import pytest
from django.urls import reverse

from tests.conftest import assert_mail_names_the_site

pytestmark = pytest.mark.django_db

PASSWORD_OF_THE_CAST = "correct-horse-battery"  # tests/factories.py


def only(mailoutbox):
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    return mailoutbox[0]


def test_login_code_mail_names_the_portal_and_its_address(client, cast, distinct_site, mailoutbox):
    client.post(reverse("account_request_login_code"), {"email": cast.anna.email})
    message = only(mailoutbox)
    assert message.subject == f"{distinct_site.name}: Din kode til at logge ind"
    assert_mail_names_the_site(message)
    assert "Hej fra" not in message.body and "Tak fordi du bruger" not in message.body


def test_password_reset_link_goes_to_the_portals_address(client, cast, distinct_site, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": cast.anna.email})
    message = only(mailoutbox)
    assert_mail_names_the_site(message)
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(distinct_site.url + "/account/password/reset/key/")
    # The link works on the portal itself.
    path = link.removeprefix(distinct_site.url)
    assert client.get(path, follow=True).status_code == 200


def test_a_new_address_is_confirmed_by_a_link_on_the_portal(
    client, cast, login, reauthenticate, distinct_site, mailoutbox
):
    reauthenticate(login(client, cast.anna, mfa=False))
    client.post(reverse("account_email"), {"action_add": "", "email": "anna.ny@example.test"})
    message = only(mailoutbox)
    assert message.to == ["anna.ny@example.test"]
    assert_mail_names_the_site(message)
    assert distinct_site.url + "/account/confirm-email/" in message.body


def test_a_changed_password_is_reported_by_mail_in_english_too(
    client, cast, login, reauthenticate, distinct_site, mailoutbox
):
    reauthenticate(login(client, cast.anna, mfa=False))
    new = "a-new-and-long-password-7"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD_OF_THE_CAST, "password1": new, "password2": new},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    message = only(mailoutbox)
    assert message.subject == f"{distinct_site.name}: Your password was changed"
    assert_mail_names_the_site(message)
    assert "choose a new password at once" in message.body


def test_the_invitation_names_the_portal_and_links_to_its_address(
    client, cast, login, distinct_site, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, cast.lene)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create_staff"),
            {
                "first_name": "Karen",
                "last_name": "Lund",
                "email": "karen@example.test",
                "institution": cast.solsikken.pk,
                "role": "pedagogue",
            },
        )
    message = only(mailoutbox)
    assert distinct_site.name in message.subject
    assert_mail_names_the_site(message)

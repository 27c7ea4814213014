"""Login with MitID through a broker (OpenID Connect), against a real provider on 127.0.0.1: the broker's
assurance level is checked by the portal, and an identity is linked to a login only through an
invitation link or by its signed-in owner, never by e-mail address alone."""

import http.client
import re
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Invitation
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.django_db

NSIS = "https://data.gov.dk/concept/core/nsis/loa/"
SUBSTANTIAL = NSIS + "Substantial"


@pytest.fixture
def broker(settings):
    provider = Provider().start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "mitid",
                    "name": "MitID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": provider.url,
                        "fetch_userinfo": True,
                        "auth_params": {"acr_values": SUBSTANTIAL},
                    },
                }
            ],
        }
    }
    yield provider
    provider.stop()


def through_broker(client, response):
    """The browser goes to the broker, which logs the person in and sends them back to the portal."""
    assert response.status_code == 302, response.content.decode()[:1000]
    target = urlsplit(response["Location"])
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    connection.request("GET", f"{target.path}?{target.query}")
    back = urlsplit(connection.getresponse().getheader("Location"))
    connection.close()
    return client.get(f"{back.path}?{back.query}")


def log_in_with_broker(client, process="login"):
    url = reverse("openid_connect_login", kwargs={"provider_id": "mitid"})
    start = client.post(url, {"process": process})
    return through_broker(client, start)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def link(user, sub):
    return SocialAccount.objects.create(user=user, provider="mitid", uid=sub)


def test_a_linked_identity_at_substantial_logs_in(cast, broker):
    link(cast.anna, "anna-pid")
    broker.log_in_as("anna-pid", cast.anna.email, acr=SUBSTANTIAL)
    client = Client()

    response = log_in_with_broker(client)

    assert response.status_code == 302 and signed_in_as(client) == str(cast.anna.pk)
    # The portal asked the broker for the level it needs.
    assert broker.authorize_requests[-1]["acr_values"] == SUBSTANTIAL


@pytest.mark.parametrize(
    ("claims", "userinfo"),
    [
        ({"acr": NSIS + "High"}, {}),
        ({"loa": NSIS + "Substantial"}, {}),
        ({}, {"https://data.gov.dk/concept/core/nsis/loa": "Substantial"}),
    ],
)
def test_substantial_or_high_in_any_known_claim_is_accepted(cast, broker, claims, userinfo):
    link(cast.anna, "anna-pid")
    broker.log_in_as("anna-pid", cast.anna.email, **claims)
    broker.userinfo_extra = userinfo
    client = Client()

    log_in_with_broker(client)

    assert signed_in_as(client) == str(cast.anna.pk)


@pytest.mark.parametrize(
    "claims",
    [{"acr": NSIS + "Low"}, {"loa": "low"}, {}, {"acr": "https://broker.example/substantial"}],
    ids=["low", "low-loa", "no-level", "unknown-level"],
)
def test_below_substantial_or_without_a_known_level_is_refused(cast, broker, settings, claims):
    settings.LANGUAGE_CODE = "en"
    link(cast.anna, "anna-pid")
    broker.log_in_as("anna-pid", cast.anna.email, **claims)
    client = Client()

    response = log_in_with_broker(client)

    assert response.status_code == 403 and signed_in_as(client) is None
    assert "Your login was not secure enough" in response.content.decode()


def test_the_minimum_level_is_a_setting(cast, broker, settings):
    settings.OIDC_MIN_ASSURANCE = "high"
    link(cast.anna, "anna-pid")
    broker.log_in_as("anna-pid", cast.anna.email, acr=SUBSTANTIAL)
    client = Client()

    assert log_in_with_broker(client).status_code == 403 and signed_in_as(client) is None


def test_an_unknown_identity_is_never_connected_by_e_mail_address(cast, broker, settings):
    settings.LANGUAGE_CODE = "en"
    broker.log_in_as("someone-else", cast.anna.email, acr=SUBSTANTIAL)
    client = Client()

    response = log_in_with_broker(client)

    assert response.status_code == 403 and signed_in_as(client) is None
    assert "Your MitID is not linked to a login here" in response.content.decode()
    assert not SocialAccount.objects.exists()


def invite_karen(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            invited_by=cast.lene,
            kind=Invitation.Kind.GUARDIAN,
            municipality=cast.aarhus,
            child=cast.emil,
            email="karen@example.test",
            first_name="Karen",
            last_name="Lund",
            relation="mother",
        )
    token = re.search(r"/invitation/([^/\s]+)/", mailoutbox[-1].body).group(1)
    return invitation, token


def test_an_invitation_link_links_the_identity_and_later_logins_need_only_the_broker(
    cast, broker, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_karen(cast, mailoutbox, django_capture_on_commit_callbacks)
    client = Client()
    page = client.get(reverse("accounts:invitation_accept", args=[token])).content.decode()
    accept_url = reverse("accounts:invitation_accept_with_provider", args=[token, "mitid"])
    assert f'action="{accept_url}"' in page
    broker.log_in_as("karen-pid", "karen.private@example.test", acr=SUBSTANTIAL)

    response = through_broker(client, client.post(accept_url))

    invitation.refresh_from_db()
    karen = invitation.accepted_by
    assert response.status_code == 302 and signed_in_as(client) == str(karen.pk)
    assert karen.email == "karen@example.test" and not karen.has_usable_password()
    assert SocialAccount.objects.get(uid="karen-pid").user == karen
    assert client.get(reverse("children:child_detail", args=[cast.emil.pk])).status_code == 200

    later = Client()
    log_in_with_broker(later)
    assert signed_in_as(later) == str(karen.pk)


def test_an_invitation_accepted_at_low_assurance_links_nothing(
    cast, broker, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite_karen(cast, mailoutbox, django_capture_on_commit_callbacks)
    broker.log_in_as("karen-pid", "karen@example.test", acr=NSIS + "Low")
    client = Client()

    url = reverse("accounts:invitation_accept_with_provider", args=[token, "mitid"])
    response = through_broker(client, client.post(url))

    assert response.status_code == 403 and signed_in_as(client) is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not SocialAccount.objects.exists()


def test_an_invitation_link_that_was_used_links_nothing(
    cast, broker, mailoutbox, django_capture_on_commit_callbacks
):
    _, token = invite_karen(cast, mailoutbox, django_capture_on_commit_callbacks)
    client = Client()
    start = client.post(reverse("accounts:invitation_accept_with_provider", args=[token, "mitid"]))
    services.invitation_accept(token=token, password="another-long-password")  # used meanwhile
    broker.log_in_as("karen-pid", "karen@example.test", acr=SUBSTANTIAL)

    response = through_broker(client, start)

    assert response.status_code == 404 and signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_a_signed_in_owner_links_the_identity_after_giving_the_password_again(cast, broker, login):
    client = login(Client(), cast.anna, mfa=False)
    broker.log_in_as("anna-pid", "anna.other@example.test", acr=SUBSTANTIAL)

    response = log_in_with_broker(client, process="connect")

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not SocialAccount.objects.exists()
    client.post(response["Location"], {"password": "correct-horse-battery"})
    assert SocialAccount.objects.get(uid="anna-pid").user == cast.anna
    later = Client()
    log_in_with_broker(later)
    assert signed_in_as(later) == str(cast.anna.pk)


def test_the_login_page_offers_the_broker_and_the_account_menu_its_links(cast, broker, login):
    client = Client()
    assert "/account/oidc/mitid/login/" in client.get(reverse("account_login")).content.decode()
    login(client, cast.anna, mfa=False)
    page = client.get(reverse("usersessions_list")).content.decode()
    assert reverse("socialaccount_connections") in page
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == 200
    assert "/account/oidc/mitid/login/?process=connect" in response.content.decode()


def test_without_a_broker_the_account_menu_offers_no_linking(cast, login):
    client = login(Client(), cast.anna, mfa=False)
    page = client.get(reverse("usersessions_list")).content.decode()
    assert reverse("socialaccount_connections") not in page

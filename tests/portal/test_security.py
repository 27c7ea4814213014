import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from children.models import LearningGoal
from tests.conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db


def current_code():
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    nonce = csp.split("'nonce-")[1].split("'")[0]
    # Every script carries the nonce; none is inline.
    for tag in body.split("<script")[1:]:
        head = tag.split(">")[0]
        assert f'nonce="{nonce}"' in head and "src=" in head


def test_hsts_in_production_settings(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_are_not_stored(client, cast, login):
    login(client, cast.anna, mfa=False)
    response = client.get(reverse("children:parent_home"))
    assert "no-store" in response["Cache-Control"]


def test_csrf_is_enforced_on_state_changes(cast, login):
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, cast.carla)
    response = csrf_client.post(
        reverse("children:goal_create", args=[cast.emil.pk]),
        {"title": "x", "theme": "language", "description": "x", "home_activity": "x", "status": "planned"},
    )
    assert response.status_code == 403
    assert not LearningGoal.objects.exists()


def test_get_never_changes_state(client, cast, login):
    login(client, cast.lene)
    for name in ["organisation:membership_end", "children:goal_status"]:
        args = [cast.solsikken.pk, 1] if name.startswith("organisation") else [cast.emil.pk, 1]
        assert client.get(reverse(name, args=args)).status_code == 405


def test_session_ends_after_idle_timeout(client, cast, login, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    login(client, cast.anna, mfa=False)
    assert client.get(reverse("children:parent_home")).status_code == 200
    session = client.session
    session["portal.seen_at"] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("children:parent_home"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_session_ends_after_absolute_timeout_even_when_active(client, cast, login, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    login(client, cast.anna, mfa=False)
    client.get(reverse("children:parent_home"))
    session = client.session
    session["portal.started_at"] = int(time.time()) - 3601
    session.save()
    assert client.get(reverse("children:parent_home")).status_code == 302


def test_staff_without_mfa_must_set_it_up_before_child_data(client, cast, login):
    Authenticator.objects.filter(user=cast.carla).delete()
    login(client, cast.carla, mfa=False)
    response = client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_staff_session_without_mfa_is_sent_back_to_login(client, cast, login):
    login(client, cast.carla, mfa=False)  # enrolled, but this session did not pass MFA
    response = client.get(reverse("children:child_detail", args=[cast.emil.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_parents_need_no_mfa(client, cast, login):
    login(client, cast.anna, mfa=False)
    assert client.get(reverse("children:child_detail", args=[cast.emil.pk])).status_code == 200


def test_real_login_with_password_and_totp_gives_a_new_session(client, cast):
    client.get(reverse("account_login"))
    before = client.cookies.get("sessionid").value if client.cookies.get("sessionid") else None
    response = client.post(
        reverse("account_login"), {"login": cast.carla.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get(reverse("children:child_detail", args=[cast.emil.pk])).status_code == 200


def test_wrong_totp_code_does_not_log_in(client, cast):
    client.post(reverse("account_login"), {"login": cast.carla.email, "password": "correct-horse-battery"})
    response = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code() != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_rate_limited(client, cast, settings):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": cast.anna.email, "password": "wrong-password-1"})
    response = client.post(
        reverse("account_login"), {"login": cast.anna.email, "password": "correct-horse-battery"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_django_admin_login_goes_through_allauth(client, db):
    response = client.get("/" + "django-admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_log_out_everywhere_page_lists_sessions(client, cast, login):
    login(client, cast.anna, mfa=False)
    assert client.get(reverse("usersessions_list")).status_code == 200


def test_login_by_emailed_code_is_offered(client, db):
    assert client.get(reverse("account_request_login_code")).status_code == 200


def test_log_out_everywhere_ends_the_other_sessions(cast, login, reauthenticate):
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.post(reverse("account_login"), {"login": cast.anna.email, "password": "correct-horse-battery"})
        assert c.get(reverse("children:parent_home")).status_code == 200
    reauthenticate(laptop)
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(reverse("children:parent_home")).status_code == 302
    assert laptop.get(reverse("children:parent_home")).status_code == 200


def test_openid_connect_provider_appears_only_when_configured(client, db, settings):
    assert "MitID" not in client.get(reverse("account_login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "mitid",
                    "name": "MitID",
                    "client_id": "portal",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://broker.example.dk"},
                }
            ]
        }
    }
    body = client.get(reverse("account_login")).content.decode()
    assert "MitID" in body
    assert "/account/oidc/mitid/login/" in body

"""A password reset link lives one hour (``PASSWORD_RESET_TIMEOUT``): long enough to read the mail, short
enough that a link found later in a mailbox is worthless."""

from datetime import datetime

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-password-7"


def reset_with_link_made(client, user, seconds_ago):
    """Follow a reset link made ``seconds_ago`` and choose a new password; True if it took."""
    generator = default_token_generator
    timestamp = generator._num_seconds(datetime.now()) - seconds_ago
    token = generator._make_token_with_timestamp(user, timestamp, settings.SECRET_KEY)
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token}
    )
    page = client.get(url, follow=True)
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    return user.check_password(NEW_PASSWORD)


def test_password_reset_link_lives_one_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60


def test_password_reset_link_works_within_the_hour(cast, client):
    assert reset_with_link_made(client, cast.anna, seconds_ago=55 * 60)


def test_password_reset_link_just_past_the_hour_is_refused(cast, client):
    assert not reset_with_link_made(client, cast.anna, seconds_ago=60 * 60 + 5)

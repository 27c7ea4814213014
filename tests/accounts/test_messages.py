"""The notes allauth shows after logging in and out are the portal's own plain words, in Danish and
English, not allauth's stock texts ("Loggede succesfuldt ind med …")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD_OF_THE_CAST = "correct-horse-battery"  # tests/factories.py


@pytest.mark.parametrize(
    ("language", "logged_in", "logged_out"),
    [
        ("da", "Velkommen, Anna Jensen. Du er logget ind.", "Du er logget ud."),
        ("en", "Welcome, Anna Jensen. You are logged in.", "You are logged out."),
    ],
)
def test_anna_is_greeted_in_plain_words_when_she_logs_in_and_out(
    client, cast, language, logged_in, logged_out
):
    page = client.post(
        reverse("account_login"),
        {"login": cast.anna.email, "password": PASSWORD_OF_THE_CAST},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    ).content.decode()
    assert logged_in in page
    assert "succesfuldt" not in page and "Successfully" not in page
    page = client.post(reverse("account_logout"), HTTP_ACCEPT_LANGUAGE=language, follow=True).content.decode()
    assert logged_out in page

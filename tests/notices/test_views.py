"""The page where a person chooses what we tell them and when."""

from datetime import time

import pytest
from django.urls import reverse

from portal.notices.models import Preference
from portal.notices.topics import DEFAULTS, Channel, Topic

pytestmark = pytest.mark.django_db
URL = reverse("notices:preferences")


def form(**changes):
    data = {f"{t}_{c}": DEFAULTS[(t, c)] for t in Topic for c in Channel}
    data.update({"digest_hour": "16", "quiet": "on", "quiet_from": "20", "quiet_until": "7"})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_the_defaults_and_saves_only_what_differs(client, cast, login):
    login(client, cast.anna)
    page = client.get(URL).content.decode()
    assert "Hvad vi giver dig besked om og hvornår" in page and "Gruppens forældre" in page
    response = client.post(URL, form(plans_email="instant", community_portal="off", digest_hour="7"))
    assert response.status_code == 302
    assert set(Preference.objects.filter(user=cast.anna).values_list("topic", "channel", "mode")) == {
        ("plans", "email", "instant"),
        ("community", "portal", "off"),
    }
    cast.anna.refresh_from_db()
    assert cast.anna.digest_hour == 7 and (cast.anna.quiet_from, cast.anna.quiet_until) == (time(20), time(7))
    client.post(URL, form())
    assert not Preference.objects.filter(user=cast.anna).exists()


def test_no_quiet_hours_is_kept_as_a_choice_of_its_own(client, cast, login):
    login(client, cast.anna)
    client.post(URL, form(quiet=None))
    cast.anna.refresh_from_db()
    assert cast.anna.quiet_from == cast.anna.quiet_until == time(0)
    assert 'name="quiet" class="form-checkbox" id="id_quiet" checked' not in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "bad", [{"plans_email": "hourly"}, {"digest_hour": "3"}, {"quiet_from": "12"}, {"meetings_sms": None}]
)
def test_a_choice_that_does_not_exist_is_refused_and_nothing_is_saved(client, cast, login, bad):
    login(client, cast.anna)
    response = client.post(URL, form(**bad), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "form-error" in response.content.decode()
    assert not Preference.objects.exists()
    cast.anna.refresh_from_db()
    assert cast.anna.digest_hour is None


def test_the_page_costs_the_same_queries_with_no_choices_and_with_every_choice(
    client, cast, login, django_assert_num_queries
):
    login(client, cast.anna)
    client.get(URL)
    with django_assert_num_queries(3) as few:
        client.get(URL)
    for t in Topic:
        for c in Channel:
            Preference.objects.create(user=cast.anna, topic=t, channel=c, mode="off")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL)

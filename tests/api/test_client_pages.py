"""The administrators' API key pages: a key is shown once, listed by its prefix, and revoked."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.api.models import ApiClient
from portal.api.services import api_client_create
from tests.api.conftest import get

pytestmark = pytest.mark.django_db

LIST = "api_clients:client_list"


def test_erik_makes_a_key_that_is_shown_once(cast, login):
    client = login(Client(), cast.erik)
    response = client.post(reverse(LIST), {"name": "Elevadministration", "scopes": ["children:read"]})
    assert response.status_code == 302
    made = ApiClient.objects.get()
    assert (made.municipality, made.created_by, made.scopes) == (cast.aarhus, cast.erik, ["children:read"])
    page = client.get(reverse(LIST)).content.decode()
    key = page.split('<code class="api-key">')[1].split("</code>")[0]
    assert key.startswith(made.key_prefix) and ApiClient.hash_key(key) == made.key_hash
    again = client.get(reverse(LIST)).content.decode()
    assert key not in again and made.key_prefix in again
    assert get(reverse("api:child-list"), key).status_code == 200


def test_a_key_needs_a_name_and_a_scope(cast, login):
    client = login(Client(), cast.erik)
    response = client.post(reverse(LIST), {"name": " ", "scopes": []})
    assert response.status_code == 200 and not ApiClient.objects.exists()
    response = client.post(reverse(LIST), {"name": "X", "scopes": ["everything:write"]})
    assert response.status_code == 200 and not ApiClient.objects.exists()


def test_erik_revokes_a_key_and_it_stops_working(cast, login):
    made, key = api_client_create(
        municipality=cast.aarhus, name="Gammelt system", scopes=["organisation:read"], created_by=cast.erik
    )
    assert get(reverse("api:institution-list"), key).status_code == 200
    olga = login(Client(), cast.olga)
    assert olga.post(reverse("api_clients:client_revoke", args=[made.pk])).status_code == 404
    erik = login(Client(), cast.erik)
    assert erik.post(reverse("api_clients:client_revoke", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert get(reverse("api:institution-list"), key).status_code == 401
    assert erik.post(reverse("api_clients:client_revoke", args=[made.pk])).status_code == 302  # idempotent


@pytest.mark.parametrize("n", [1, 25])
def test_the_list_uses_a_constant_number_of_queries(n, cast, login, django_assert_num_queries):
    for i in range(n):
        api_client_create(municipality=cast.aarhus, name=f"System {i}", scopes=["children:read"],
                          created_by=cast.erik)  # fmt: skip
    client = login(Client(), cast.erik)
    client.get(reverse(LIST))
    with django_assert_num_queries(4):
        response = client.get(reverse(LIST))
    assert response.content.decode().count("gpv_") == n

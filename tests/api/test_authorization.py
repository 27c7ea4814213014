"""The API's authorization matrix: every URL under /api/v1/, with no key, a wrong or revoked key, a
signed-in person's session, a key without the scope, another municipality's key and the right key.

A URL pattern under ``API_PREFIX`` without an entry in ``tests/api/matrix.py`` fails
``test_every_api_url_is_in_the_matrix``; the portal's matrix leaves these routes to this file."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.api.models import ApiClient
from portal.api.services import api_client_revoke
from tests.api.conftest import get
from tests.api.matrix import API_MATRIX, API_PREFIX, S
from tests.conftest import clear_own_cache
from tests.test_authorization_matrix import walk_patterns

pytestmark = pytest.mark.django_db


def api_routes():
    return [(route, name) for route, name, _cb in walk_patterns() if route.startswith(API_PREFIX)]


def test_every_api_url_is_in_the_matrix():
    routes = api_routes()
    assert len(routes) >= len(API_MATRIX)
    missing = sorted(f"{name or 'unnamed'} (/{route})" for route, name in routes if name not in API_MATRIX)
    assert not missing, f"API URL patterns without an entry in API_MATRIX: {missing}"
    stale = sorted(set(API_MATRIX) - {name for _route, name in routes})
    assert not stale, f"API_MATRIX names URLs that no longer exist: {stale}"


def _url(w, name, entry):
    return reverse(name, kwargs=entry.kwargs(w) if entry.kwargs else None)


def test_api_authorization_matrix(api_world, make_key, login):
    w, c = api_world, api_world.cast
    aarhus = make_key()
    other = make_key(municipality=c.other, name="Skanderborg")
    revoked_key = make_key(name="Gammel")
    api_client_revoke(client=ApiClient.objects.get(name="Gammel"))
    signed_in = login(Client(), c.erik, mfa=True)
    problems = []
    for name, entry in API_MATRIX.items():
        url = _url(w, name, entry)
        clear_own_cache()  # the rate limit is tested on its own
        if not entry.scope:
            for who, key in (("no key", None), ("Aarhus' key", aarhus)):
                if (status := get(url, key).status_code) != 200:
                    problems.append(f"{name} {who}: {status}, not 200")
            continue
        others = [s for s in S.values if s != entry.scope]
        checks = [
            ("no key", get(url), 401),
            ("a wrong key", get(url, "gpv_00000000_wrong"), 401),
            ("a revoked key", get(url, revoked_key), 401),
            ("a signed-in administrator's session only", get(url, client=signed_in), 401),
            ("Aarhus' key without the scope", get(url, make_key(scopes=others)), 403),
            ("Skanderborg's key", get(url, other), 404 if entry.kwargs else 200),
            ("Aarhus' key", get(url, aarhus), 200),
        ]  # fmt: skip
        for who, response, expected in checks:
            if response.status_code != expected:
                problems.append(f"{name} {who}: {response.status_code}, not {expected}")
        if entry.aarhus:
            marker = entry.aarhus(w)
            if marker not in checks[-1][1].content.decode():
                problems.append(f"{name}: Aarhus' key does not see {marker!r}")
            if marker in checks[-2][1].content.decode():
                problems.append(f"{name}: Skanderborg's key sees {marker!r}")
    assert not problems, "\n".join(problems)


def test_a_pupil_or_staff_session_gives_nothing(api_world, login):
    c = api_world.cast
    for user in (c.freja_pupil, c.carla):
        response = login(Client(), user, mfa=False).get(reverse("api:child-list"))
        assert response.status_code == 401, user
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_malformed_authorization_headers_are_refused(api_world):
    url = reverse("api:child-list")
    for header in ("Bearer", "Bearer a b", "Bearer \u00e6\u00f8\u00e5", "Basic ZXJpazpwdw==", "Token abc"):
        response = Client().get(url, headers={"Authorization": header})
        assert response.status_code == 401, header


def test_the_rate_limit_answers_429_per_client(api_world, make_key, settings):
    settings.API_RATE_LIMIT = "3/min"
    key, second = make_key(), make_key(name="Andet system")
    url = reverse("api:institution-list")
    assert [get(url, key).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in get(url, key)
    assert get(url, second).status_code == 200  # another client has its own count


def test_the_key_is_stored_only_as_a_hash_and_its_last_use_noted(api_world, make_key):
    key = make_key()
    client = ApiClient.objects.get()
    assert key not in {client.key_hash, client.key_prefix} and key.startswith(client.key_prefix)
    assert client.key_hash == ApiClient.hash_key(key)
    assert client.last_used_at is None
    get(reverse("api:institution-list"), key)
    client.refresh_from_db()
    assert client.last_used_at is not None

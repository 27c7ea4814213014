"""Bad input is answered, never a server error: every URL parameter and every form field the
authorization matrix knows gets a NUL byte, an overlong value and invalid UTF-8, from a persona the
matrix lets through to the view (so the view's own code runs, not only the access check).

An answer is 400 (bad request), 404, 405, a redirect or a page (a form error); never a 500, on SQLite
and on PostgreSQL (where a NUL byte in a query is an error of the database).
"""

from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.matrix.base import OK, PERSONAS, Done
from tests.test_authorization_matrix import MATRIX, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

PLACEHOLDER = "zqxhostilezqx"
# As they appear percent-encoded in a path, a query string or a form body.
HOSTILE = {"NUL byte": "a%00b", "overlong value": "x" * 5000, "invalid UTF-8": "%ff%fe%c3%28"}
ANSWERS = {200, 302, 400, 403, 404, 405}
FORM = "application/x-www-form-urlencoded"


def persona_through(outcomes) -> str:
    """A persona whose request reaches the view's own code (anonymous if nobody's does)."""
    for persona in PERSONAS:
        expected = outcomes[persona]
        if expected == OK or isinstance(expected, Done) or expected == "200 refused form":
            return persona
    return "anonymous"


def hostile_paths(url_name, kwargs):
    """The case's URL with each string parameter replaced by each hostile value."""
    for name in kwargs:
        try:
            path = reverse(url_name, kwargs={**kwargs, name: PLACEHOLDER})
        except NoReverseMatch:  # an int parameter: the converter refuses anything else with a 404
            continue
        for label, value in HOSTILE.items():
            yield f"parameter {name} ({label})", path.replace(PLACEHOLDER, value)


def hostile_bodies(data):
    """The case's form with each field replaced by each hostile value, as an urlencoded body."""
    for field in data:
        for label, value in HOSTILE.items():
            fields = {k: (PLACEHOLDER if k == field else v) for k, v in data.items()}
            body = urlencode(fields, doseq=True).replace(PLACEHOLDER, value)
            yield f"field {field} ({label})", body


def run(w, login, method):
    clients: dict[str, Client] = {}
    problems, requests = [], 0
    for url_name, cases in MATRIX.items():
        for case in cases:
            kwargs = case.kwargs(w)
            url = reverse(url_name, kwargs=kwargs)
            if method == "GET" and case.get:
                persona = persona_through(case.get)
                attempts = [(path + case.query, None, what) for what, path in hostile_paths(url_name, kwargs)]
                attempts += [
                    (f"{url}?{body}", None, f"query {what}") for what, body in hostile_bodies({"q": ""})
                ]
            elif method == "POST" and case.post:
                persona = persona_through(case.post)
                data = case.data(w)
                attempts = [
                    (path, urlencode(data, doseq=True), what)
                    for what, path in hostile_paths(url_name, kwargs)
                ]
                attempts += [(url, body, what) for what, body in hostile_bodies(data)]
            else:
                continue
            user = None if persona == "anonymous" else getattr(w.cast, persona)
            client = clients.setdefault(persona, Client(raise_request_exception=False))
            for path, body, what in attempts:
                if user and client.session.get("_auth_user_id") != str(user.pk):
                    login(client, user, mfa=True)  # accepting an invitation signs out
                requests += 1
                savepoint = transaction.savepoint_create()
                try:
                    if method == "GET":
                        response = client.get(path)
                    else:
                        response = client.generic("POST", path, body, content_type=FORM)
                finally:
                    transaction.savepoint_rollback(savepoint)
                if response.status_code not in ANSWERS:
                    exc = getattr(response, "exc_info", None)
                    cause = f" ({exc[0].__name__}: {exc[1]})" if exc else ""
                    problems.append(
                        f"{persona} {method} {path[:120]} [{url_name}: {case.label}, {what}]: "
                        f"{response.status_code}{cause}"
                    )
    return problems, requests


def test_every_url_parameter_and_query_survives_hostile_input(world, login):  # noqa: F811
    problems, requests = run(world, login, "GET")
    assert requests > 500
    assert not problems, f"{len(problems)} bad answer(s):\n" + "\n".join(problems)


def test_every_form_field_survives_hostile_input(world, login):  # noqa: F811
    problems, requests = run(world, login, "POST")
    assert requests > 500
    assert not problems, f"{len(problems)} bad answer(s):\n" + "\n".join(problems)


def test_a_nul_byte_is_a_bad_request_that_says_so(client):
    response = client.get("/calendar/a%00b.ics")
    assert response.status_code == 400
    assert (
        "The request could not be read" in response.content.decode()
        or "kunne ikke læses" in response.content.decode()
    )

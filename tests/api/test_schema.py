"""The OpenAPI schema is valid without warnings, and a property-based run over every operation in it
(schemathesis, with a valid key of every scope) finds no server error."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.wsgi import application
from tests.api.conftest import get

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation: the whole run stays well under a minute


def test_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/children/{id}/" in text and "bearer" in text


def test_docs_page_is_self_hosted(api_world):
    response = get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui-dist/swagger-ui-bundle.js" in body and "cdn" not in body.lower()
    assert "'unsafe-inline'" in response["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    # Swagger UI's set-up comes from the same address as a script file: no inline script is needed.
    script = get("/api/v1/docs/", script="")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/v1/schema/" in script.content.decode()


def _fuzz(operation, key, ids, server_errors) -> set:
    """Call one operation with EXAMPLES generated requests, noting every 5xx; the statuses seen."""
    statuses = set()

    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(), known=ids, use_known=st.booleans())
    def run(case, known, use_known):
        if use_known and case.path_parameters:
            case.path_parameters = {**case.path_parameters, "id": known}
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        statuses.add(response.status_code)
        if response.status_code >= 500:
            server_errors.append(
                f"{operation.label} {case.path_parameters} {case.query}: {response.status_code}"
            )

    run()
    return statuses


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests through the WSGI application would close the test's database connection (in its
    transaction) when they end; Django's test client holds these signals back the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error(api_world, make_key, settings, wsgi_keeps_the_test_connection):
    settings.API_RATE_LIMIT = "100000/min"
    key = make_key()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12
    # Beside generated ids, the id of one of Aarhus' own and one of Skanderborg's, so that detail
    # pages are found too.
    c, w = api_world.cast, api_world
    known = {
        "agreements": (w.agreement.pk, w.other_agreement.pk),
        "children": (c.emil.pk, c.søren.pk),
        "groups": (c.mariehonen.pk, c.other_group.pk),
        "institutions": (c.solsikken.pk, c.other_daycare.pk),
        "review-rounds": (w.rounds["aarhus"].pk, w.rounds["other"].pk),
    }
    server_errors, answered = [], {}
    for operation in operations:
        ids = st.sampled_from(known.get(operation.path.split("/")[3], (1,)))
        answered[operation.label] = _fuzz(operation, key, ids, server_errors)
    assert not server_errors, "\n".join(server_errors[:20])
    # Lists answer (a 400 is only for a malformed filter); a detail answers the thing or 404.
    assert not [label for label, statuses in answered.items() if "{id}" not in label and 200 not in statuses]
    assert not [label for label, statuses in answered.items() if "{id}" in label and statuses - {200, 404}]

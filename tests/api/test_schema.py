"""The OpenAPI schema is valid without warnings, and a property-based run over every operation in it
(schemathesis, with a valid key of every scope) finds no server error."""

import pytest
import schemathesis
from django.core.management import call_command
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


def test_no_operation_answers_a_server_error(api_world, make_key, settings):
    settings.API_RATE_LIMIT = "100000/min"
    key = make_key()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    # Real ids of both municipalities beside generated ones, so detail pages are found too.
    c = api_world.cast
    ids = st.sampled_from([c.emil.pk, c.søren.pk, c.solsikken.pk, c.mariehonen.pk, api_world.agreement.pk])
    server_errors, answered = [], {}
    for operation in operations:
        answered[operation.label] = _fuzz(operation, key, ids, server_errors)
    assert not server_errors, "\n".join(server_errors[:20])
    assert all(200 in statuses for statuses in answered.values()), answered

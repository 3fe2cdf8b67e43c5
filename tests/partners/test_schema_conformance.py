"""The partner API against its own OpenAPI schema, for real: the app serves on a live server (pytest-django's,
its own thread and database connections), a client of a first responder organisation gets a token from the token
endpoint, and schemathesis loads /api/v1/schema over HTTP and calls every operation in it with that token, with
valid and invalid data (bounded and deterministic, so the run stays well under two minutes). No answer may be a
server error, and every answer must be one the schema lists for the operation: its status, its media type and its
body's shape (problems included). Operations added to the API are tested here without any change to this file."""

from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fixtures.partner_api import request_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples for each operation and generation mode: enough to reach each operation's answers and errors, few
# enough for `make test` (each request goes through the whole stack: token, scope, rate, request log, PostgreSQL).
MAX_EXAMPLES = 6


@pytest.fixture
def api_token(live_server, project_data, partner_api) -> str:
    partner = partner_api()  # every scope
    partner.client.rate_per_minute = 1_000_000  # the rate limit's own 429 is tested apart
    partner.client.save(update_fields=["rate_per_minute"])
    return request_token(partner.client.client_id, partner.secret).json()["access_token"]


def test_every_answer_of_the_api_is_no_server_error_and_matches_the_schema(live_server, api_token):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema?format=json", timeout=30)
    headers = {"Authorization": f"Bearer {api_token}"}
    failures, tested = [], []

    for result in schema.get_all_operations():
        operation = result.ok()  # a schema schemathesis cannot read fails here
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                response = case.call(base_url=live_server.url, headers=headers, timeout=30)
                case.validate_response(response, checks=CHECKS)

            try:
                call()
            except Unsatisfiable:
                # Only the negative mode: nothing of the operation can be made invalid (no parameters, or a
                # free-text path parameter), so there is nothing to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # every operation is tried, and all their failures reported
                failures.append(f"{operation.label} ({mode}): {error}")
        tested.append(operation.label)

    assert "GET /api/v1/client" in tested
    assert not failures, "\n\n".join(failures)


def test_the_schema_names_the_client_credentials_flow_and_each_operations_scopes(client, db):
    schema = client.get("/api/v1/schema?format=json").json()

    scheme = schema["components"]["securitySchemes"]["clientCredentials"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/api/v1/oauth/token"
    assert set(scheme["flows"]["clientCredentials"]["scopes"]) == {
        "referrals:write",
        "referrals:read",
        "information-requests:write",
    }
    operation = schema["paths"]["/api/v1/client"]["get"]
    assert operation["security"] == [{"clientCredentials": []}]
    for status in ("401", "403", "429"):
        assert operation["responses"][status]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }


def test_every_operation_requires_the_scopes_its_view_names(client, db):
    from django.urls import get_resolver

    schema = client.get("/api/v1/schema?format=json").json()

    for path, operations in schema["paths"].items():
        match = get_resolver().resolve(_concrete(path))
        for method, operation in operations.items():
            view = match.func.view_class()
            view.request = SimpleNamespace(method=method.upper())  # a view's scopes may depend on the method
            assert operation["security"] == [{"clientCredentials": list(view.required_scopes)}], (method, path)


def _concrete(path: str) -> str:
    """A schema path with each {parameter} filled with a value its route's converter accepts."""
    import re

    return re.sub(r"\{reference\}", "NRM-2026-000001", re.sub(r"\{(?!reference\})[^}]+\}", "1", path))

"""The partner API's documentation pages (/api/docs), its problem types, and the JSON 404 under /api/."""

import ast
import re
from pathlib import Path

import pytest
from rest_framework import exceptions

from partners.api_docs import PROBLEM_CODES

PARTNERS = Path(__file__).resolve().parents[2] / "partners"


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/nothing/here", "/api/v1/referrals-x/1/"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_answers_a_json_problem_not_the_html_page(client, db, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "/api/docs/errors#not-found",
        "title": "Not found",
        "status": 404,
        "detail": "There is no such address in the partner API. See /api/docs/reference",
    }


def test_an_address_outside_the_api_still_gets_the_html_page(client, db):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/api/docs", "Getting started"), ("/api/docs/errors", "Errors"), ("/api/docs/reference", "API reference")],
)
def test_the_documentation_pages_are_public_gov_uk_pages(client, db, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert "govuk-frontend.min.css" in html


def test_the_reference_page_runs_no_inline_script_under_the_sites_policy(client, db):
    response = client.get("/api/docs/reference")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S)
    assert scripts, "Swagger UI and its starter are loaded"
    assert all(" src=" in attributes and not body.strip() for attributes, body in scripts)
    assert 'data-schema-url="/api/v1/schema"' in response.content.decode()


def test_each_problem_type_of_an_error_has_its_anchor_on_the_errors_page(client, db):
    html = client.get("/api/docs/errors").content.decode()

    for code in _codes_the_api_answers_with():
        assert code in PROBLEM_CODES, f"{code} is not described in partners/api_docs.py PROBLEM_TYPES"
        assert f'id="{code}"' in html


def test_a_refusal_links_to_its_explanation_on_the_errors_page(client, db):
    problem = client.get("/api/v1/client").json()

    page, anchor = problem["type"].split("#")
    assert page == "/api/docs/errors"
    assert f'id="{anchor}"' in client.get(page).content.decode()


def _codes_the_api_answers_with() -> set[str]:
    """DRF's API exceptions' codes (partners.api.problems turns them into types), and every `code=` literal that
    partners passes to problem() or a helper named *_problem, or sets as an APIException's default_code."""
    codes = {
        str(exception.default_code).replace("_", "-")
        for exception in (
            exceptions.ParseError,
            exceptions.NotAuthenticated,
            exceptions.AuthenticationFailed,
            exceptions.PermissionDenied,
            exceptions.NotFound,
            exceptions.MethodNotAllowed,
            exceptions.NotAcceptable,
            exceptions.UnsupportedMediaType,
            exceptions.Throttled,
        )
    } | {"validation"}
    for source in PARTNERS.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name == "problem" or name.endswith("_problem"):
                    codes.update(
                        keyword.value.value
                        for keyword in node.keywords
                        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
                    )
            if (
                isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "default_code" for target in node.targets)
                and isinstance(node.value, ast.Constant)
            ):
                codes.add(str(node.value.value).replace("_", "-"))
    return codes


def test_the_schema_is_generated_without_a_warning_and_names_each_choice_set_once(tmp_path):
    from django.core.management import call_command

    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(schema))

    text = schema.read_text()
    assert "ReferralStatusEnum:" in text
    assert "ChangeEventEnum:" in text
    assert "Status00bEnum" not in text
    assert "EventsEnum" not in text

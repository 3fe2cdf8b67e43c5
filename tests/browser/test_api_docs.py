"""The partner API's documentation pages in a browser: the reference renders the schema under the site's own
Content-Security-Policy, and the GOV.UK pages pass axe."""

import pytest

from tests.browser.helpers import axe_violations, format_violations

pytestmark = pytest.mark.browser


def test_the_api_reference_renders_every_operation_under_the_content_security_policy(page_under_csp):
    page = page_under_csp
    blocked_scripts, errors = [], []
    page.on("console", lambda message: "script-src" in message.text and blocked_scripts.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/api/docs/reference")

    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.get_by_text("/api/v1/client", exact=True).first.is_visible()
    assert page.locator(".scheme-container, .auth-wrapper").count() >= 1  # the OAuth2 scheme is shown
    assert not blocked_scripts, "\n".join(blocked_scripts)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", ["/api/docs", "/api/docs/errors"])
def test_the_api_documentation_pages_are_accessible(page, path):
    page.goto(path)

    assert page.locator("h1").is_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations, path)

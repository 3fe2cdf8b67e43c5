"""axe-core on every page of the foundation, GOV.UK error summaries on bad input, and sign-in without JavaScript."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from accounts.adapters import UNKNOWN_DOMAIN_MESSAGE
from accounts.roles import LANDING_PAGES, Role
from tests.browser.casework_driver import Person, path_of
from tests.browser.casework_driver.arrange import Browsers
from tests.browser.casework_driver.pages import casework_site
from tests.browser.helpers import assert_accessible, assert_govuk_styles_loaded, screenshot, sign_in, sign_out
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "start": "/",
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "request-sign-in-code": "/accounts/login/code/",
    "accessibility-statement": "/help/accessibility-statement",
    "privacy-notice": "/help/privacy-notice",
    "cookies": "/help/cookies",
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_accessible(page, failed_requests, name):
    response = page.goto(PUBLIC_PAGES[name])

    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert_govuk_styles_loaded(page)
    assert not failed_requests, f"assets missing on {name}: {failed_requests}"
    screenshot(page, f"pages/{name}")
    assert_accessible(page)


def test_page_not_found_is_accessible(page):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1, name="Page not found").is_visible()
    assert_accessible(page)


def test_sign_in_code_confirmation_page_is_accessible(page, first_responder):
    page.goto("/accounts/login/code/")
    page.locator('input[name="email"]').fill(first_responder.email)
    with page.expect_navigation():
        page.locator("main").get_by_role("button").first.click()

    assert urlparse(page.url).path == reverse("account_confirm_login_code")
    assert page.locator("h1").first.is_visible()
    assert_accessible(page)


SIGNED_IN_PAGES = {
    "your-account": "/account/",
    "notifications": "/notifications/",
    "sessions": "/accounts/sessions/",
    "sign-out-confirmation": "/accounts/logout/",
}


def test_signed_in_pages_are_accessible(page, first_responder):
    sign_in(page, first_responder.email, TEST_PASSWORD)
    assert urlparse(page.url).path == reverse(LANDING_PAGES[Role.FIRST_RESPONDER])

    for name, path in SIGNED_IN_PAGES.items():
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert urlparse(page.url).path == path, f"{path} redirected to {page.url}"
        assert page.locator("h1").first.is_visible(), f"{path} has no visible h1"
        screenshot(page, f"pages/{name}")
        assert_accessible(page)


def test_staff_without_an_authenticator_must_set_one_up_on_accessible_pages(page, caseworker, settings):
    settings.NRM_REQUIRE_STAFF_MFA = True

    sign_in(page, caseworker.email, TEST_PASSWORD)

    # allauth asks for the password again before an authenticator can be added (MFA_REAUTHENTICATION_REQUIRED).
    if urlparse(page.url).path == reverse("account_reauthenticate"):
        assert page.locator("h1").first.is_visible()
        screenshot(page, "pages/reauthenticate")
        assert_accessible(page)
        page.locator('input[name="password"]').fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.locator("main").get_by_role("button").first.click()
    assert urlparse(page.url).path == reverse("mfa_activate_totp")
    assert page.locator("h1").first.is_visible()
    screenshot(page, "pages/mfa-setup")
    assert_accessible(page)
    # The requirement holds wherever the staff member goes next.
    page.goto(reverse(LANDING_PAGES[Role.CASEWORKER]))
    assert urlparse(page.url).path == reverse("mfa_activate_totp")


def test_wrong_password_shows_the_error_summary_and_keeps_the_email(page, first_responder):
    sign_in(page, first_responder.email, "not-the-password")

    assert urlparse(page.url).path == reverse("account_login")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert page.locator('input[name="login"]').input_value() == first_responder.email
    assert page.locator('input[name="password"]').input_value() == "", "a password is never sent back"
    assert_accessible(page)


def test_sign_up_with_an_unregistered_domain_is_refused_with_the_error_summary(page, db):
    page.goto("/accounts/signup/")
    page.locator('input[name="full_name"]').fill("Someone Else")
    page.locator('input[name="email"]').fill("someone@gmail.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    summary_text = " ".join(summary.inner_text().split())
    assert "There is a problem" in summary_text
    assert UNKNOWN_DOMAIN_MESSAGE in summary_text
    assert page.locator('input[name="email"]').input_value() == "someone@gmail.com"
    assert page.locator('input[name="full_name"]').input_value() == "Someone Else"
    screenshot(page, "pages/sign-up-refused")
    assert_accessible(page)


def test_without_javascript_pages_render_and_sign_in_and_out_work(page_without_javascript, first_responder):
    page = page_without_javascript
    for path in PUBLIC_PAGES.values():
        assert page.goto(path).status == 200
        assert page.locator("h1").first.is_visible(), f"{path} has no visible h1 without JavaScript"

    sign_in(page, first_responder.email, TEST_PASSWORD)
    assert urlparse(page.url).path == reverse(LANDING_PAGES[Role.FIRST_RESPONDER])
    assert page.locator("h1").first.is_visible()

    sign_out(page)
    assert urlparse(page.url).path == reverse("account_login")


def test_pages_work_under_the_content_security_policy(page_under_csp, first_responder):
    """The other tests bypass the CSP to inject axe-core; this one keeps it, so a blocked style or script shows."""
    page = page_under_csp
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto("/")
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"), (
        "GOV.UK Frontend's JavaScript did not start"
    )
    sign_in(page, first_responder.email, TEST_PASSWORD)
    assert urlparse(page.url).path == reverse(LANDING_PAGES[Role.FIRST_RESPONDER])
    assert_govuk_styles_loaded(page)
    page.goto("/account/")

    assert not problems, "console errors under the CSP:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.SUPPORT_PROVIDER])
def test_casework_pages_are_accessible(browser, live_server, demo_mode, role):
    """Every casework page the journeys (test_casework_journeys.py) do not reach, as the role that uses it, then
    its forms sent empty: each comes back with the GOV.UK error summary, its title starting "Error: "."""
    site = casework_site()
    browsers = Browsers(browser, live_server.url)
    try:
        person = Person(browsers.new_page(), site.users[role], set(), f"pages/{role}")
        person.sign_in()
        for name, path in site.pages[role].items():
            response = person.page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert path_of(person.page) == urlparse(path).path, f"{path} led to {person.page.url}"
            assert person.heading().is_visible(), f"{path} has no visible h1"
            person.seen(name)
        for name, form in site.error_pages[role].items():
            person.page.goto(form.path)
            person.press(form.button)
            assert person.page.locator(".govuk-error-summary").is_visible(), f"{form.path} sent empty: no errors"
            assert person.page.title().startswith("Error: "), person.page.title()
            person.seen(name)
    finally:
        browsers.close()

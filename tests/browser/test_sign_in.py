"""Every demo user signs in with a password, lands on their role's page (accessible), and signs out."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from accounts import demo
from accounts.roles import LANDING_PAGES, Role
from tests.browser.helpers import assert_accessible, screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("email", "role"), [(email, role) for email, _, role, _ in demo.DEMO_USERS])
def test_demo_user_signs_in_to_their_landing_page_and_out(page, demo_mode, email, role):
    demo.seed()

    sign_in(page, email, demo.DEMO_PASSWORD)

    landing_path = reverse(LANDING_PAGES[Role(role)])
    assert urlparse(page.url).path == landing_path
    assert page.locator("h1").first.is_visible()
    screenshot(page, email)
    assert_accessible(page)

    if role == Role.ADMIN:
        # Django admin keeps its own header; the service's "Sign out" link is in the GOV.UK header of its pages.
        page.goto(reverse("account"))
    sign_out(page)
    assert urlparse(page.url).path == reverse("account_login")
    assert page.get_by_role("heading", level=1, name="Sign in").is_visible()
    page.goto(landing_path)
    assert urlparse(page.url).path != landing_path, "the landing page is still open after sign-out"


def test_django_admin_sends_its_sign_in_to_the_service_sign_in(page, demo_mode):
    """Django admin's own login form takes a password alone: no authenticator code, no lockout, no throttle.
    allauth's secure_admin_login sends it to the service's sign-in instead."""
    demo.seed()

    page.goto("/admin/")

    assert urlparse(page.url).path == reverse("account_login"), f"/admin/ sent an anonymous user to {page.url}"
    page.locator('input[name="login"]').fill("admin@sca.example")
    page.locator('input[name="password"]').fill(demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert urlparse(page.url).path == reverse("admin:index")

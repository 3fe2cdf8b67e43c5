"""An invited member of staff opens the emailed link, creates their password (the error summary first, for a
mismatch), and sets up their authenticator app with a code from it; a spent link gets a page saying so. axe-core
on every page."""

import re
import time
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import LANDING_PAGES, Role
from accounts.services import user_invite
from tests.browser.helpers import assert_accessible, screenshot
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "Lantern-harbour-otter-42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)")


def test_an_invited_caseworker_creates_a_password_and_sets_up_their_authenticator(page, settings, project_data):
    settings.NRM_REQUIRE_STAFF_MFA = True
    superuser = UserFactory(role=Role.ADMIN, email="root@nrm.example")
    authority = AuthorityFactory(name="Invitation Test Authority", short_name="ITA")
    user_invite(
        actor=superuser,
        email="casey@ita.example",
        full_name="Casey Worker",
        role=Role.CASEWORKER,
        organisation=authority,
    )
    link = LINK.search(mail.outbox[-1].body).group(1)

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Create your password"
    screenshot(page, "invitation/create-password")
    assert_accessible(page)

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD + "!")
    with page.expect_navigation():
        page.get_by_role("button", name="Create password and continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Passwords do not match" in summary.inner_text()
    assert page.title().startswith("Error: ")
    screenshot(page, "invitation/create-password-error")
    assert_accessible(page)

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create password and continue").click()
    assert urlparse(page.url).path == reverse("mfa_activate_totp")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up an authenticator app"
    screenshot(page, "invitation/authenticator")
    assert_accessible(page)

    secret = page.locator("#authenticator_secret").input_value()
    page.locator('input[name="code"]').fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Continue").click()
    caseworker = User.objects.get(email="casey@ita.example")
    assert caseworker.check_password(PASSWORD)
    assert Authenticator.objects.filter(user=caseworker, type=Authenticator.Type.TOTP).exists()
    landing = reverse(LANDING_PAGES[Role.CASEWORKER])
    page.goto(landing)
    assert urlparse(page.url).path == landing

    # The link is spent: opened again (signed out), it says so and offers the sign-in page.
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "This invitation has already been used"
    assert page.get_by_role("link", name="Go to the sign-in page").is_visible()
    screenshot(page, "invitation/used")
    assert_accessible(page)

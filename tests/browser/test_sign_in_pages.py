"""The sign-in, code, sign-up, password reset and authenticator pages in a real browser: GOV.UK layouts, the error
summary linking to each field, the message by the field, and no serious or critical axe-core violation."""

import re
import time
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.browser.helpers import assert_accessible, screenshot
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.browser
CODE = re.compile(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", re.MULTILINE)
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


def submit(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=name, exact=True).click()


def expect_error(page: Page, message: str, field_id: str) -> None:
    """The summary links the message to its field; the field says it too; following the link focuses the field."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    link = summary.get_by_role("link", name=message, exact=True)
    expect(link).to_have_attribute("href", f"#{field_id}")
    expect(page.locator(f"#div_{field_id} .govuk-error-message")).to_have_text(f"Error: {message}")
    link.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def checked(page: Page, name: str) -> None:
    screenshot(page, f"H2-sign-in-{name}")
    assert_accessible(page)


def test_the_sign_in_page_asks_for_what_is_missing_in_govuk_words(page, db):
    user = UserFactory(role=Role.CASEWORKER)
    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    checked(page, "login")

    submit(page, "Sign in")
    expect_error(page, "Enter your email address", "id_login")
    expect_error(page, "Enter your password", "id_password")
    checked(page, "login-errors")

    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    submit(page, "Sign in")
    expect_error(page, "The email address or password you entered is not correct", "id_login")
    expect(page.get_by_label("Email address")).to_have_value(user.email)  # what was typed is kept
    checked(page, "login-wrong-password")


def test_a_first_responder_asks_for_a_code_and_enters_it(page, first_responder):
    page.goto(reverse("account_login"))
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a sign-in code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get a sign-in code")
    checked(page, "code-request")
    submit(page, "Email me a code")
    expect_error(page, "Enter your email address", "id_email")
    checked(page, "code-request-errors")

    page.get_by_label("Email address").fill(first_responder.email)
    submit(page, "Email me a code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text(f"We have sent a code to {first_responder.email}")
    checked(page, "code-confirm")
    submit(page, "Continue")
    expect_error(page, "Enter the code from your email", "id_code")
    checked(page, "code-confirm-errors")

    page.get_by_label("Code").fill(CODE.search(mail.outbox[-1].body).group(1))
    submit(page, "Continue")
    assert urlparse(page.url).path == reverse("referrals:list")


def test_sign_up_asks_for_each_answer_then_the_code_that_confirms_the_address(page, db):
    FirstResponderOrganisationFactory(name="Testshire Constabulary", email_domains=["testshire.police.example"])
    page.goto(reverse("account_signup"))
    checked(page, "signup")
    submit(page, "Continue")
    expect_error(page, "Enter your full name", "id_full_name")
    expect_error(page, "Enter your work email address", "id_email")
    checked(page, "signup-errors")

    page.get_by_label("Full name").fill("Sam Newcomer")
    page.get_by_label("Work email address").fill("sam@testshire.police.example")
    submit(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    checked(page, "signup-code")
    submit(page, "Continue")
    expect_error(page, "Enter the code from your email", "id_code")
    checked(page, "signup-code-errors")


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, db):
    user = UserFactory(role=Role.CASEWORKER, email="reset.me@staff.example")
    page.goto(reverse("account_login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    checked(page, "reset")
    submit(page, "Email me a link")
    expect_error(page, "Enter your email address", "id_email")
    checked(page, "reset-errors")

    page.get_by_label("Email address").fill(user.email)
    submit(page, "Email me a link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    checked(page, "reset-sent")

    page.goto(RESET_LINK.search(mail.outbox[-1].body).group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    checked(page, "reset-new-password")
    page.get_by_label("New password", exact=True).fill("A-long-new-passphrase-42")
    page.get_by_label("Confirm your new password").fill("Another-passphrase-43")
    submit(page, "Save password")
    expect_error(page, "Enter the same password in both boxes", "id_password2")
    checked(page, "reset-new-password-errors")

    page.get_by_label("New password", exact=True).fill("A-long-new-passphrase-42")
    page.get_by_label("Confirm your new password").fill("A-long-new-passphrase-42")
    submit(page, "Save password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    checked(page, "reset-done")


def test_staff_enter_the_code_from_their_authenticator_app(page, db):
    caseworker = UserFactory(role=Role.CASEWORKER)
    secret = generate_totp_secret()
    TOTP.activate(caseworker, secret)
    page.goto(reverse("account_login"))
    page.get_by_label("Email address").fill(caseworker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    submit(page, "Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    checked(page, "authenticator")
    submit(page, "Continue")
    expect_error(page, "Enter the code from your authenticator app", "id_code")
    checked(page, "authenticator-errors")

    page.get_by_label("Code from your authenticator app").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    submit(page, "Continue")
    assert urlparse(page.url).path == reverse("casework:queue")


def test_staff_without_an_authenticator_set_one_up_in_govuk_words(page, db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = True
    caseworker = UserFactory(role=Role.CASEWORKER)
    page.goto(reverse("account_login"))
    page.get_by_label("Email address").fill(caseworker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    submit(page, "Sign in")
    page.goto(reverse("mfa_activate_totp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your password")
    submit(page, "Continue")
    expect_error(page, "Enter your password", "id_password")
    checked(page, "reauthenticate-errors")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    submit(page, "Continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    checked(page, "authenticator-setup")
    submit(page, "Continue")
    expect_error(page, "Enter the code from your authenticator app", "id_code")
    checked(page, "authenticator-setup-errors")

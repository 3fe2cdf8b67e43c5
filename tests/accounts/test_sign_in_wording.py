"""The sign-in, code, sign-up, password reset and authenticator pages speak GOV.UK: a message per field in the
Design System's words ("Enter your email address"), in the error summary linked to its field and by the field."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from django.utils.module_loading import import_string

from accounts.roles import Role
from common.govuk_forms import GovukWordingMixin
from tests.accounts.helpers import last_emailed_code
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
DJANGO_DEFAULTS = ("This field is required.", "Enter a valid email address.", "Incorrect code.", "Please ")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


def assert_error(response, field_id: str, message: str) -> None:
    """The message in the error summary, linked to the field, and by the field itself."""
    assert response.status_code == 200
    html = response.text
    assert "There is a problem" in html
    assert f'<li><a href="#{field_id}">{escape(message)}</a></li>' in html, html
    by_field = re.search(
        rf'<span id="{field_id}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>\s*(.*?)\s*</span>',
        html,
        re.DOTALL,
    )
    assert by_field is not None, f"no message by {field_id}"
    assert by_field.group(1) == escape(message)
    for default in DJANGO_DEFAULTS:
        assert default not in html


@pytest.mark.parametrize(
    "form_path", [*settings.ACCOUNT_FORMS.values(), *settings.MFA_FORMS.values()], ids=lambda path: path
)
def test_every_allauth_form_declares_its_own_words_for_its_required_fields(form_path):
    form_class = import_string(form_path)
    assert issubclass(form_class, GovukWordingMixin)
    for name, messages in form_class.messages.items():
        assert messages.get("required", "").startswith("Enter "), (name, messages)


def test_the_sign_in_page_asks_for_the_email_address_and_password_by_name(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert_error(response, "id_login", "Enter your email address")
    assert_error(response, "id_password", "Enter your password")


def test_a_badly_typed_email_address_is_refused_with_an_example(client):
    response = client.post(reverse("account_login"), {"login": "pat.example", "password": "x"})
    assert_error(response, "id_login", "Enter an email address in the correct format, like name@example.com")


def test_a_wrong_password_is_one_message_linked_to_the_first_field(client):
    user = UserFactory(role=Role.CASEWORKER)
    response = client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})
    assert_error(response, "id_login", "The email address or password you entered is not correct")
    assert "alert-danger" not in response.text  # never crispy's Bootstrap box


def test_asking_for_a_sign_in_code_needs_an_email_address(client):
    response = client.post(reverse("account_request_login_code"), {"email": ""})
    assert_error(response, "id_email", "Enter your email address")


def test_the_code_page_asks_for_the_code_from_the_email(client, first_responder):
    confirm = client.post(reverse("account_request_login_code"), {"email": first_responder.email}).url
    page = client.get(confirm)
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in page.text
    assert "The code expires after 3 minutes" in page.text
    assert_error(client.post(confirm, {"code": ""}), "id_code", "Enter the code from your email")
    assert_error(
        client.post(confirm, {"code": "WRONG-CODE"}),
        "id_code",
        "The code you entered is not correct, or it has expired. Check the email we sent you, or ask for a new code",
    )


def test_sign_up_asks_for_each_answer_by_name(client):
    response = client.post(reverse("account_signup"), {"full_name": "", "email": ""})
    assert_error(response, "id_full_name", "Enter your full name")
    assert_error(response, "id_email", "Enter your work email address")

    response = client.post(reverse("account_signup"), {"full_name": "Pat", "email": "pat@"})
    assert_error(response, "id_email", "Enter an email address in the correct format, like name@example.com")


def test_password_reset_asks_for_the_address_then_the_same_new_password_twice(client):
    assert_error(client.post(reverse("account_reset_password"), {"email": ""}), "id_email", "Enter your email address")

    user = UserFactory(role=Role.CASEWORKER, email="reset.me@staff.example")
    done = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    assert "Check your email" in done.text
    link = RESET_LINK.search(mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    assert "Choose a new password" in form.text
    response = client.post(form_url, {"password1": "A-long-new-passphrase-42", "password2": "Another-passphrase-43"})
    assert_error(response, "id_password2", "Enter the same password in both boxes")
    response = client.post(form_url, {"password1": "", "password2": ""})
    assert_error(response, "id_password1", "Enter a new password")


def test_the_authenticator_page_asks_for_the_code_from_the_app(client):
    caseworker = UserFactory(role=Role.CASEWORKER)
    TOTP.activate(caseworker, generate_totp_secret())
    client.post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})
    page = client.get(reverse("mfa_authenticate"))
    assert "Enter the code from your authenticator app</h1>" in page.text
    assert_error(
        client.post(reverse("mfa_authenticate"), {"code": ""}), "id_code", "Enter the code from your authenticator app"
    )
    assert_error(
        client.post(reverse("mfa_authenticate"), {"code": "000000"}),
        "id_code",
        "The code you entered is not correct. Enter the code your authenticator app shows now",
    )


def test_a_post_without_a_code_field_shows_the_page_again_not_an_error(client):
    caseworker = UserFactory(role=Role.CASEWORKER)
    TOTP.activate(caseworker, generate_totp_secret())
    client.post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {})
    assert response.status_code == 200
    assert 'name="code"' in response.text


def test_setting_up_the_authenticator_asks_for_the_code_it_shows(client):
    caseworker = UserFactory(role=Role.CASEWORKER)
    client.post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})
    reauthenticate = client.get(reverse("mfa_activate_totp")).url
    assert_error(client.post(reauthenticate, {"password": ""}), "id_password", "Enter your password")
    client.post(reauthenticate, {"password": TEST_PASSWORD})
    assert_error(
        client.post(reverse("mfa_activate_totp"), {"code": ""}), "id_code", "Enter the code from your authenticator app"
    )


def test_the_code_that_confirms_a_new_account_is_asked_for_in_the_same_words(client):
    FirstResponderOrganisationFactory(name="Testshire Constabulary", email_domains=["testshire.police.example"])
    response = client.post(
        reverse("account_signup"), {"full_name": "Sam Newcomer", "email": "sam@testshire.police.example"}, follow=True
    )
    assert "Check your email" in response.text
    assert last_emailed_code()
    response = client.post(reverse("account_email_verification_sent"), {"code": ""})
    assert_error(response, "id_code", "Enter the code from your email")

"""Signing in: emailed codes for first responders, password + TOTP for staff, lockout, sign-out everywhere."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.helpers import last_emailed_code
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def password_sign_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def current_totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_first_responder_signs_in_with_an_emailed_code(client, first_responder):
    response = client.post(reverse("account_request_login_code"), {"email": first_responder.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [first_responder.email]
    response = client.post(response.url, {"code": last_emailed_code()})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(first_responder.pk)
    assert client.get(reverse("home")).url == reverse("referrals:list")


def test_a_wrong_code_does_not_sign_in(client, first_responder):
    response = client.post(reverse("account_request_login_code"), {"email": first_responder.email})
    response = client.post(response.url, {"code": "WRONG-CODE"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert SESSION_KEY not in client.session


def test_staff_sign_in_needs_the_authenticator_code_as_well_as_the_password(client, caseworker):
    secret = generate_totp_secret()
    TOTP.activate(caseworker, secret)
    response = password_sign_in(client, caseworker)
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(caseworker.pk)
    assert client.get(reverse("casework:queue")).status_code == 200


def test_outside_demo_mode_staff_without_an_authenticator_must_set_one_up(client, caseworker):
    assert settings.NRM_REQUIRE_STAFF_MFA
    password_sign_in(client, caseworker)
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Setting up an authenticator asks for the password again first, then shows the QR code.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": TEST_PASSWORD})
    assert response.url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Set up an authenticator app" in page.text


def test_in_demo_mode_staff_sign_in_with_the_password_alone(client, caseworker, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    password_sign_in(client, caseworker)
    assert client.get(reverse("casework:queue")).status_code == 200


def test_first_responders_are_not_asked_for_an_authenticator(client, first_responder):
    password_sign_in(client, first_responder)
    assert client.get(reverse("referrals:list")).status_code == 200


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, caseworker, settings):
    for _ in range(settings.LOGIN_FAILURES_BEFORE_LOCKOUT):
        response = password_sign_in(client, caseworker, password="wrong password")
        assert "There is a problem" in response.text
    response = password_sign_in(client, caseworker)
    assert SESSION_KEY not in client.session
    assert "You have tried to sign in too many times" in response.text
    # Another account is not locked by those failures.
    other, other_client = UserFactory(role=Role.CASEWORKER), Client()
    response = password_sign_in(other_client, other)
    assert response.status_code == 302
    assert "You have tried to sign in too many times" not in response.text
    assert other_client.session[SESSION_KEY] == str(other.pk)


def test_requests_for_codes_are_throttled(first_responder):
    for _ in range(5):
        Client().post(reverse("account_request_login_code"), {"email": first_responder.email})
    assert len(mail.outbox) == 3  # three codes a minute for one address


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.FIRST_RESPONDER, "referrals:list"),
        (Role.CASEWORKER, "casework:queue"),
        (Role.MANAGER, "casework:team"),
        (Role.PANEL_CHAIR, "panels:reviews"),
        (Role.PANEL_MEMBER, "panels:reviews"),
        (Role.SUPPORT_PROVIDER, "casework:supported"),
        (Role.ANALYST, "insights:statistics"),
        (Role.ADMIN, "admin:index"),
    ],
)
def test_each_role_lands_on_its_own_work(client, settings, role, landing):
    settings.NRM_REQUIRE_STAFF_MFA = False
    user = UserFactory(role=role)
    response = password_sign_in(client, user)
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url == reverse(landing)
    assert client.get(reverse(landing)).status_code == 200


LANDINGS = ["referrals:list", "casework:queue", "casework:team", "casework:supported", "panels:reviews"]
ALLOWED = {
    Role.FIRST_RESPONDER: {"referrals:list"},
    Role.CASEWORKER: {"casework:queue"},
    Role.MANAGER: {"casework:queue", "casework:team"},
    Role.PANEL_CHAIR: {"panels:reviews"},
    Role.PANEL_MEMBER: {"panels:reviews"},
    Role.SUPPORT_PROVIDER: {"casework:supported"},
    Role.ANALYST: set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_other_roles_pages_are_not_found(client, settings, role):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=role))
    for landing in [*LANDINGS, "insights:statistics"]:
        # Statistics: analysts, and managers (of a competent authority) for their authority's figures.
        statistics_role = role in (Role.ANALYST, Role.MANAGER) and landing == "insights:statistics"
        expected = 200 if landing in ALLOWED[role] or statistics_role else 404
        assert client.get(reverse(landing)).status_code == expected, landing


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_sign_out_everywhere_ends_the_other_sessions(settings, first_responder):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.force_login(first_responder)
        device.get(reverse("referrals:list"))  # usersessions records the session
    assert UserSession.objects.filter(user=first_responder).count() == 2
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(reverse("referrals:list")).status_code == 302  # signed out
    assert laptop.get(reverse("referrals:list")).status_code == 200


def test_sign_out_needs_a_post(client, first_responder):
    client.force_login(first_responder)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert SESSION_KEY in client.session
    client.post(reverse("account_logout"))
    assert SESSION_KEY not in client.session


def test_staff_sessions_expire_after_30_minutes_idle(client, settings, caseworker, first_responder):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(caseworker)
    client.get(reverse("casework:queue"))
    assert client.session.get_expiry_age() == 30 * 60
    client.force_login(first_responder)
    client.get(reverse("referrals:list"))
    assert client.session.get_expiry_age() == settings.FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS


def test_django_admin_signs_in_through_the_service_sign_in(client, settings):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get("/admin/").status_code == 302  # not admin staff: back to the (refused) admin sign-in
    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get("/admin/").status_code == 200

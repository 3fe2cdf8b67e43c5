"""Password reset through allauth's real flow: staff (whose addresses are not on the first responder allow-list)
and first responders get the reset email; an unknown address gets the same page, so no account is revealed."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "A-new-and-long-passphrase-42"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


@pytest.fixture(autouse=True)
def _demo_sign_in(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def ask_for_a_reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email}, follow=True)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.ADMIN, Role.FIRST_RESPONDER])
def test_a_user_of_any_role_resets_their_password_from_the_emailed_link(client, role):
    user = UserFactory(role=role, email=f"someone.{role}@staff.example")
    response = ask_for_a_reset(client, user.email)
    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")
    assert [email.to for email in mail.outbox] == [[user.email]]
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    client.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_unknown_address_gets_the_same_page_and_no_reset_link(client):
    known = UserFactory(role=Role.CASEWORKER, email="known@staff.example")
    for_known = ask_for_a_reset(client, known.email)
    mail.outbox.clear()
    for_unknown = ask_for_a_reset(client, "nobody@staff.example")
    assert for_unknown.redirect_chain == for_known.redirect_chain
    assert for_unknown.content == for_known.content
    assert not any(RESET_LINK.search(email.body) for email in mail.outbox)

"""Staff are invited by email: an admin enters who they are, never a password; the emailed link (single use,
expiring, only its hash stored) lets them choose their password and then set up their authenticator app. First
responders are added without a password and sign in by emailed code."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.services import (
    AccessChangeRefused,
    InvitationUnusable,
    invitation_accept,
    invitation_send,
    user_invite,
)
from notifications.models import Notification
from tests.accounts.helpers import last_emailed_code
from tests.factories import AuthorityFactory, FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lantern-harbour-otter-42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/([^/\s]+)/)")


@pytest.fixture(autouse=True)
def _staff_mfa_required(settings):
    """Outside demo mode: staff must set up their authenticator app (admin tests sign in as having one)."""
    settings.NRM_REQUIRE_STAFF_MFA = True


def admin_sign_in(client, user) -> None:
    from tests.security.world import sign_in

    sign_in(client, user)


@pytest.fixture
def superuser():
    return UserFactory(role=Role.ADMIN, email="root@nrm.example")


@pytest.fixture
def administrator():
    """An Administrator who is not a superuser."""
    return UserFactory(role=Role.ADMIN, is_superuser=False, is_staff=True, email="admin@nrm.example")


@pytest.fixture
def authority():
    return AuthorityFactory(name="Testing Competent Authority", short_name="TCA")


def invite(actor, authority, capture, *, email="casey@tca.example", role=Role.CASEWORKER) -> tuple[User, str]:
    """Invites someone, runs what waits for the commit (the email), and returns them and their link's path."""
    with capture(execute=True):
        user = user_invite(actor=actor, email=email, full_name="Casey Worker", role=role, organisation=authority)
    return user, emailed_link(email)


def emailed_link(email: str) -> str:
    message = [message for message in mail.outbox if message.to == [email]][-1]
    return LINK.search(message.body).group(1)


def token_of(path: str) -> str:
    return LINK.search("https://x" + path).group(2)


# --- services ------------------------------------------------------------------------------------------------


def test_an_invited_caseworker_has_no_password_until_they_choose_one_from_the_emailed_link(
    superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)

    assert not caseworker.has_usable_password()
    assert (caseworker.role, caseworker.organisation, caseworker.organisation_verified) == (
        Role.CASEWORKER,
        authority,
        True,
    )
    invitation = caseworker.invitations.get()
    assert invitation.state == Invitation.State.PENDING
    assert invitation.invited_by == superuser
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    email = mail.outbox[-1]
    assert email.to == ["casey@tca.example"]
    assert "Casey" not in email.subject + email.body  # the address is the only personal detail: it is the recipient
    assert "as a caseworker" in email.body

    user = invitation_accept(token=token_of(link), password=NEW_PASSWORD)

    assert user == caseworker
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert (invitation.state, invitation.accepted_at is not None) == (Invitation.State.ACCEPTED, True)
    assert EmailAddress.objects.get(user=caseworker).verified


def test_only_a_hash_of_the_links_token_is_stored(superuser, authority, django_capture_on_commit_callbacks):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    token = token_of(link)
    invitation = caseworker.invitations.get()
    assert invitation.token_hash != token
    assert invitation.token_hash == Invitation.hash_token(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_invitation WHERE token_hash = %s", [token])
        assert cursor.fetchone()[0] == 0
    assert "token_hash" not in [field.name for field in Invitation.history.model._meta.fields]


def test_a_link_works_once(superuser, authority, django_capture_on_commit_callbacks):
    _, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    invitation_accept(token=token_of(link), password=NEW_PASSWORD)
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(token=token_of(link), password="Another-long-passphrase-7")
    assert refused.value.reason == InvitationUnusable.USED


def test_an_expired_link_is_refused_and_changes_nothing(superuser, authority, django_capture_on_commit_callbacks):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    Invitation.objects.filter(user=caseworker).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(token=token_of(link), password=NEW_PASSWORD)
    assert refused.value.reason == InvitationUnusable.EXPIRED
    caseworker.refresh_from_db()
    assert not caseworker.has_usable_password()


def test_a_new_invitation_replaces_the_one_still_waiting(superuser, authority, django_capture_on_commit_callbacks):
    caseworker, first_link = invite(superuser, authority, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(actor=superuser, user_id=caseworker.pk)
    second_link = emailed_link(caseworker.email)
    assert second_link != first_link
    assert list(caseworker.invitations.values_list("state", flat=True)) == [
        Invitation.State.PENDING,
        Invitation.State.REPLACED,
    ]
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(token=token_of(first_link), password=NEW_PASSWORD)
    assert refused.value.reason == InvitationUnusable.REPLACED
    invitation_accept(token=token_of(second_link), password=NEW_PASSWORD)


def test_a_password_the_validators_refuse_is_not_set_and_the_link_still_works(
    superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        invitation_accept(token=token_of(link), password="short")
    caseworker.refresh_from_db()
    assert not caseworker.has_usable_password()
    assert caseworker.invitations.get().state == Invitation.State.PENDING


def test_only_a_superuser_invites_staff_and_the_other_administrators_are_told(
    superuser, administrator, authority, django_capture_on_commit_callbacks
):
    with pytest.raises(AccessChangeRefused):
        user_invite(actor=administrator, email="m@tca.example", role=Role.MANAGER, organisation=authority)
    assert not User.objects.filter(email="m@tca.example").exists()
    caseworker, _ = invite(superuser, authority, django_capture_on_commit_callbacks)
    with pytest.raises(AccessChangeRefused):
        invitation_send(actor=administrator, user_id=caseworker.pk)
    told = Notification.objects.filter(kind=Notification.Kind.STAFF_ACCESS_CHANGED)
    assert list(told.values_list("recipient", flat=True)) == [administrator.pk]


def test_a_first_responder_is_added_without_a_password_or_an_invitation_and_signs_in_by_code(
    client, administrator, django_capture_on_commit_callbacks
):
    constabulary = FirstResponderOrganisationFactory(name="Testshire Police", email_domains=["testshire.example"])
    with django_capture_on_commit_callbacks(execute=True):
        responder = user_invite(
            actor=administrator, email="pc@testshire.example", role=Role.FIRST_RESPONDER, organisation=constabulary
        )
    assert not responder.has_usable_password()
    assert not responder.invitations.exists()
    assert mail.outbox == []
    with pytest.raises(AccessChangeRefused):
        invitation_send(actor=UserFactory(role=Role.ADMIN), user_id=responder.pk)
    response = client.post(reverse("account_request_login_code"), {"email": responder.email})
    client.post(response.url, {"code": last_emailed_code()})
    assert client.session[SESSION_KEY] == str(responder.pk)


# --- the link's page --------------------------------------------------------------------------------------------


def test_the_link_page_sets_the_password_signs_in_and_goes_on_to_the_authenticator_app(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    page = client.get(link)
    assert page.status_code == 200
    assert "Create your password" in page.text
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert client.session[SESSION_KEY] == str(caseworker.pk)
    activate = client.get(response.url)
    assert activate.status_code == 200  # no second password prompt: the password was just given
    secret = activate.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=caseworker, type=Authenticator.Type.TOTP).exists()


def test_mismatched_or_weak_passwords_get_the_error_summary_and_a_message_per_field(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert '<a href="#id_password2">Passwords do not match: enter the same password twice</a>' in response.text
    response = client.post(link, {"password1": "12345678", "password2": "12345678"})
    assert "Password must be 12 characters or more" in response.text
    assert "Password must include letters, not only numbers" in response.text
    response = client.post(link, {"password1": "", "password2": ""})
    assert '<a href="#id_password1">Enter a password</a>' in response.text
    caseworker.refresh_from_db()
    assert not caseworker.has_usable_password()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("spoil", "status", "heading"),
    [
        ("use", 410, "This invitation has already been used"),
        ("expire", 410, "This invitation has expired"),
        ("replace", 410, "This invitation has been replaced"),
        ("deactivate", 410, "This invitation cannot be used"),
        ("mistype", 404, "This link does not work"),
    ],
)
def test_a_link_that_cannot_be_used_gets_a_page_saying_why(
    client, superuser, authority, django_capture_on_commit_callbacks, spoil, status, heading
):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    if spoil == "use":
        invitation_accept(token=token_of(link), password=NEW_PASSWORD)
    elif spoil == "expire":
        Invitation.objects.update(expires_at=timezone.now())
    elif spoil == "replace":
        invitation_send(actor=superuser, user_id=caseworker.pk)
    elif spoil == "deactivate":
        User.objects.filter(pk=caseworker.pk).update(is_active=False)
    else:
        link = link[:-5] + "xxxx/"
    for method in (client.get, client.post):
        response = method(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == status
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.text
        assert "<form" not in response.text.split("<main", 1)[1]
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD) == (spoil == "use")


@pytest.mark.parametrize("token", ["²", "a" * 500, "%00", "..%2F..", "' OR 1=1 --"])
def test_hostile_tokens_get_the_link_does_not_work_page(client, token):
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 404
    response = client.post(f"/accounts/invitation/{token}/", {"password1": "\x00", "password2": "x" * 10000})
    assert response.status_code == 404


def test_someone_who_already_has_an_authenticator_gives_its_code_after_choosing_a_new_password(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, _ = invite(superuser, authority, django_capture_on_commit_callbacks)
    TOTP.activate(caseworker, generate_totp_secret())
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(actor=superuser, user_id=caseworker.pk)
    response = client.post(emailed_link(caseworker.email), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # the password alone is not enough


# --- Django admin -----------------------------------------------------------------------------------------------


def inputs(page: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', page))


def test_the_admins_invite_form_has_no_password_and_invites_staff_by_email(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    admin_sign_in(client, superuser)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert {"email", "full_name", "role", "organisation"} <= inputs(page)
    assert not {name for name in inputs(page) if "password" in name}
    assert "Invite a user" in page
    data = {"email": "New.Analyst@TCA.example", "full_name": "Ana Lyst", "role": Role.ANALYST}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_add"), {**data, "organisation": authority.pk})
    assert response.status_code == 302
    analyst = User.objects.get(email="new.analyst@tca.example")
    assert not analyst.has_usable_password()
    assert analyst.invitations.get().invited_by == superuser
    assert emailed_link("new.analyst@tca.example")
    again = client.post(reverse("admin:accounts_user_add"), {**data, "organisation": authority.pk})
    assert again.status_code == 200
    assert "There is already an account with this email address" in again.content.decode()


def test_the_change_forms_reset_password_sends_a_new_invitation_instead_of_setting_one(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    caseworker, first_link = invite(superuser, authority, django_capture_on_commit_callbacks)
    admin_sign_in(client, superuser)
    change = client.get(reverse("admin:accounts_user_change", args=[caseworker.pk])).content.decode()
    assert 'href="../invite/"' in change
    assert "Send a new invitation" in change
    password_page = reverse("admin:auth_user_password_change", args=[caseworker.pk])
    assert client.get(password_page).url == reverse("admin:accounts_user_invite", args=[caseworker.pk])
    confirm = client.get(reverse("admin:accounts_user_invite", args=[caseworker.pk]))
    assert confirm.status_code == 200
    assert "Send the invitation" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_invite", args=[caseworker.pk]))
    assert response.status_code == 302
    assert emailed_link(caseworker.email) != first_link
    assert caseworker.invitations.count() == 2


def test_the_admin_action_sends_invitations_to_staff_only(
    client, superuser, authority, django_capture_on_commit_callbacks
):
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=authority)
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    admin_sign_in(client, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_invitation", "_selected_action": [caseworker.pk, responder.pk]},
            follow=True,
        )
    assert "Invitations emailed: 1" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[caseworker.email]]
    assert not responder.invitations.exists()


def test_an_administrator_who_is_not_a_superuser_cannot_send_invitations(client, administrator, authority):
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=authority)
    admin_sign_in(client, administrator)
    assert client.post(reverse("admin:accounts_user_invite", args=[caseworker.pk])).status_code == 403
    assert not caseworker.invitations.exists()


def test_the_invitation_history_is_in_admin_read_only(client, superuser, authority, django_capture_on_commit_callbacks):
    caseworker, link = invite(superuser, authority, django_capture_on_commit_callbacks)
    invitation_accept(token=token_of(link), password=NEW_PASSWORD)
    admin_sign_in(client, superuser)
    listing = client.get(reverse("admin:accounts_invitation_changelist")).content.decode()
    assert "Accepted" in listing
    invitation = caseworker.invitations.get()
    history = client.get(reverse("admin:accounts_invitation_history", args=[invitation.pk]))
    assert history.status_code == 200
    assert [row.state for row in invitation.history.order_by("history_date")] == ["pending", "accepted"]
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_the_demo_has_a_member_of_staff_whose_invitation_is_waiting(django_capture_on_commit_callbacks):
    from accounts import demo

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
        demo.seed()
    invited = User.objects.get(email="new.analyst@sca.example")
    assert not invited.has_usable_password()
    invitation = invited.invitations.get()
    assert (invitation.state, invitation.invited_by.email) == (Invitation.State.PENDING, "admin@sca.example")
    assert mail.outbox == []  # demo data sends no email

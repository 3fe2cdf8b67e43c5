"""Least privilege in the user admin: only superusers change superuser status, staff status, groups, permissions
or staff roles. To an Administrator who is not a superuser those fields are read-only and a forged post changes
nothing; a role change is recorded in the user's history (who, whose, from what to what) and the other
administrators are told through the notifications app, with no name or address in the email."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.services import AccessChangeRefused, roles_sync_groups, user_change_access
from notifications.models import Notification
from notifications.services import notification_deliver
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def administrator():
    """An Administrator who is not a superuser: what the Administrator group's permissions allow."""
    roles_sync_groups()
    return UserFactory(role=Role.ADMIN, is_superuser=False, is_staff=True, email="admin@nrm.example")


@pytest.fixture
def superuser():
    return UserFactory(role=Role.ADMIN, email="root@nrm.example")


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": user.organisation_id or "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        **changes,
    }
    return {key: value for key, value in data.items() if value != ""}


def inputs(page: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', page))


def test_an_administrator_sees_their_own_superuser_staff_and_role_fields_read_only(client, administrator):
    client.force_login(administrator)
    page = client.get(change_url(administrator)).content.decode()
    assert {"full_name", "is_active"} <= inputs(page)
    assert not {"is_superuser", "is_staff", "role", "groups", "user_permissions", "email"} & inputs(page)


def test_a_forged_post_cannot_make_an_administrator_a_superuser_or_give_them_an_authority_role(client, administrator):
    client.force_login(administrator)
    forged = change_form(administrator, is_superuser="on", role=Role.MANAGER, full_name="Still Me")
    forged["groups"] = [Group.objects.get(name=Role.MANAGER.label).pk]
    response = client.post(change_url(administrator), forged)
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.full_name == "Still Me"  # the fields they may change are saved
    assert (administrator.is_superuser, administrator.is_staff, administrator.role) == (False, True, Role.ADMIN)
    assert list(administrator.groups.values_list("name", flat=True)) == [Role.ADMIN.label]
    assert not Notification.objects.filter(kind=Notification.Kind.STAFF_ACCESS_CHANGED).exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.FIRST_RESPONDER])
def test_a_forged_post_cannot_give_another_account_a_staff_role_or_admin_access(client, administrator, role):
    other = UserFactory(role=role)
    client.force_login(administrator)
    response = client.post(change_url(other), change_form(other, role=Role.ADMIN, is_staff="on", is_superuser="on"))
    assert response.status_code in (200, 302)
    other.refresh_from_db()
    assert (other.role, other.is_staff, other.is_superuser) == (role, False, False)


def test_an_administrator_cannot_change_a_superusers_account_or_set_a_staff_members_password(
    client, administrator, superuser
):
    caseworker = UserFactory(role=Role.CASEWORKER)
    client.force_login(administrator)
    assert client.post(change_url(superuser), change_form(superuser, email="mine@nrm.example")).status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "root@nrm.example"
    for user in (superuser, caseworker, administrator):
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        assert client.post(url, {"password1": "Taken-Over-123", "password2": "Taken-Over-123"}).status_code == 403
        user.refresh_from_db()
        assert not user.check_password("Taken-Over-123")


def test_an_administrator_creates_first_responders_but_not_staff_accounts(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_add")
    page = client.get(url).content.decode()
    assert f'value="{Role.MANAGER}"' not in page
    data = {
        "email": "new@police.example",
        "full_name": "New",
        "password1": "A-long-pass-123",
        "password2": "A-long-pass-123",
    }
    response = client.post(url, {**data, "role": Role.MANAGER})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@police.example").exists()
    assert client.post(url, {**data, "role": Role.FIRST_RESPONDER}).status_code == 302
    assert User.objects.get(email="new@police.example").role == Role.FIRST_RESPONDER


def test_a_superuser_changes_a_role_which_is_recorded_and_told_to_the_other_administrators(
    client, superuser, administrator
):
    caseworker = UserFactory(role=Role.CASEWORKER, full_name="Casey Worker", email="casey@sca.example")
    bystander = UserFactory(role=Role.MANAGER)
    client.force_login(superuser)
    response = client.post(change_url(caseworker), change_form(caseworker, role=Role.MANAGER))
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.role == Role.MANAGER
    assert list(caseworker.groups.values_list("name", flat=True)) == [Role.MANAGER.label]
    change = caseworker.history.filter(history_change_reason__startswith="Role:").get()
    assert change.history_user == superuser
    assert change.history_change_reason == "Role: Caseworker to Manager"
    told = Notification.objects.filter(kind=Notification.Kind.STAFF_ACCESS_CHANGED)
    assert set(told.values_list("recipient", flat=True)) == {administrator.pk}  # not the actor, not the bystander
    assert bystander.notifications.count() == 0
    assert notification_deliver(notification_id=told.get().pk)
    email = mail.outbox[-1]
    assert "Casey" not in email.body + email.subject
    assert "casey@sca.example" not in email.body + email.subject
    assert "role or admin access has been changed" in email.body
    history_page = client.get(reverse("admin:accounts_user_history", args=[caseworker.pk])).content.decode()
    assert "Role: Caseworker to Manager" in history_page


def test_the_service_refuses_a_non_superuser_and_records_a_superusers_change_of_admin_access(administrator, superuser):
    analyst = UserFactory(role=Role.ANALYST)
    with pytest.raises(AccessChangeRefused):
        user_change_access(actor=administrator, user_id=administrator.pk, is_superuser=True)
    with pytest.raises(AccessChangeRefused):
        user_change_access(actor=administrator, user_id=analyst.pk, role=Role.ADMIN)
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    user_change_access(actor=superuser, user_id=analyst.pk, role=Role.ADMIN, is_staff=True)
    analyst.refresh_from_db()
    assert (analyst.role, analyst.is_staff) == (Role.ADMIN, True)
    change = analyst.history.latest()
    assert (change.history_user, change.history_change_reason) == (
        superuser,
        "Role: Analyst to Administrator; staff: no to yes",
    )


def test_a_non_superuser_may_only_move_a_first_responder_between_the_first_responder_roles(administrator):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    user_change_access(actor=administrator, user_id=responder.pk, role=Role.ORGANISATION_ADMIN)
    responder.refresh_from_db()
    assert responder.role == Role.ORGANISATION_ADMIN
    with pytest.raises(AccessChangeRefused):
        user_change_access(actor=administrator, user_id=responder.pk, role=Role.CASEWORKER)


@pytest.mark.parametrize("value", ["²", "³¹", "1\x00", "x" * 300])
def test_an_organisation_that_is_not_an_id_is_a_form_error_not_a_server_error(client, superuser, value):
    client.force_login(superuser)
    data = {"email": "new@police.example", "role": Role.FIRST_RESPONDER, "organisation": value}
    response = client.post(reverse("admin:accounts_user_add"), {**data, "password1": "Long-pass-123", "password2": "x"})
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    response = client.post(change_url(superuser), change_form(superuser, organisation=value))
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="new@police.example").exists()


def test_a_superuser_creating_a_staff_account_is_told_to_the_other_administrators(client, superuser, administrator):
    client.force_login(superuser)
    data = {
        "email": "new@sca.example",
        "full_name": "New",
        "password1": "A-long-pass-123",
        "password2": "A-long-pass-123",
    }
    assert client.post(reverse("admin:accounts_user_add"), {**data, "role": Role.CASEWORKER}).status_code == 302
    created = User.objects.get(email="new@sca.example")
    assert created.history.earliest().history_user == superuser
    told = Notification.objects.filter(kind=Notification.Kind.STAFF_ACCESS_CHANGED)
    assert list(told.values_list("recipient", flat=True)) == [administrator.pk]

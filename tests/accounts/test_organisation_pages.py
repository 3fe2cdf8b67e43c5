"""The organisation administrator's pages and a first responder's membership page: scoped to the administrator's
own organisation (404 outside it), POST-redirect-GET, errors a person can act on; the same changes for service
admins in Django admin; the authenticator app a service or an organisation can require of first responders."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.membership import membership_request_create, membership_request_decline
from accounts.models import MembershipRequest, User
from accounts.roles import LANDING_PAGES, Role
from tests.accounts.helpers import last_emailed_code
from tests.factories import FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(constabulary, organisation_admin):
    asker = UserFactory(
        email="pat@borough.shared.example", full_name="Pat Asker", organisation=None, organisation_verified=False
    )
    return membership_request_create(user=asker, organisation=constabulary)


@pytest.fixture
def other_request():
    other = FirstResponderOrganisationFactory()
    UserFactory(role=Role.ORGANISATION_ADMIN, organisation=other)
    return membership_request_create(
        user=UserFactory(organisation=None, organisation_verified=False), organisation=other
    )


def test_an_organisation_administrator_lands_on_their_members_and_requests(
    client, organisation_admin, colleague, pending
):
    client.force_login(organisation_admin)
    response = client.get(reverse("home"))
    assert response.url == reverse(LANDING_PAGES[Role.ORGANISATION_ADMIN]) == reverse("organisation:members")
    page = client.get(response.url).text
    assert "Testshire Constabulary" in page
    assert "pat@borough.shared.example" in page
    assert colleague.email in page
    assert 'href="/referrals/"' in page  # and they refer, like any first responder
    assert client.get(reverse("referrals:list")).status_code == 200


def test_approving_asks_for_confirmation_then_redirects_with_a_message(client, organisation_admin, pending):
    client.force_login(organisation_admin)
    url = reverse("organisation:approve", args=[pending.pk])
    confirmation = client.get(url)
    assert "Approve this request to join?" in confirmation.text
    assert not User.objects.get(pk=pending.user_id).organisation_verified

    response = client.post(url)

    assert response.url == reverse("organisation:members")
    assert User.objects.get(pk=pending.user_id).organisation_verified
    assert "Pat Asker is now a member" in client.get(response.url).text


def test_declining_a_request_someone_else_has_decided_says_so(client, organisation_admin, pending, service_admin):
    client.force_login(organisation_admin)
    url = reverse("organisation:decline", args=[pending.pk])
    assert client.get(url).status_code == 200
    membership_request_decline(request_id=pending.pk, actor=service_admin)
    assert client.post(url).status_code == 404  # no longer waiting: not in the administrator's list


def test_a_request_or_member_of_another_organisation_is_not_found(client, organisation_admin, other_request):
    client.force_login(organisation_admin)
    outsider = UserFactory(organisation=other_request.organisation)
    for url in [
        reverse("organisation:approve", args=[other_request.pk]),
        reverse("organisation:decline", args=[other_request.pk]),
        reverse("organisation:remove", args=[outsider.pk]),
        reverse("organisation:role", args=[outsider.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": Role.ORGANISATION_ADMIN}).status_code == 404, url
    assert MembershipRequest.objects.get(pk=other_request.pk).is_pending
    assert User.objects.get(pk=outsider.pk).role == Role.FIRST_RESPONDER


@pytest.mark.parametrize("role", [Role.FIRST_RESPONDER, Role.CASEWORKER, Role.ADMIN, "unverified admin"])
def test_the_organisation_pages_are_not_found_for_anyone_but_its_administrators(
    client, constabulary, pending, role, settings
):
    settings.NRM_REQUIRE_STAFF_MFA = False
    if role == "unverified admin":
        user = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=constabulary, organisation_verified=False)
    else:
        user = UserFactory(role=role, organisation=constabulary if role == Role.FIRST_RESPONDER else None)
    client.force_login(user)
    for url in [
        reverse("organisation:members"),
        reverse("organisation:approve", args=[pending.pk]),
        reverse("organisation:settings"),
    ]:
        assert client.get(url).status_code == 404, url


def test_removing_a_member_from_the_page_signs_them_out(client, organisation_admin, colleague):
    from django.test import Client

    colleagues_browser = Client()
    colleagues_browser.force_login(colleague)
    colleagues_browser.get(reverse("referrals:list"))
    client.force_login(organisation_admin)
    url = reverse("organisation:remove", args=[colleague.pk])
    assert "Remove this member?" in client.get(url).text

    assert client.post(url).url == reverse("organisation:members")

    assert SESSION_KEY not in colleagues_browser.session
    assert colleagues_browser.get(reverse("referrals:list")).status_code == 302


def test_the_last_administrator_cannot_make_themselves_a_member(client, organisation_admin):
    client.force_login(organisation_admin)
    url = reverse("organisation:role", args=[organisation_admin.pk])
    response = client.post(url, {"role": Role.FIRST_RESPONDER, "expected_role": Role.ORGANISATION_ADMIN})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "must keep at least one administrator" in response.text
    assert User.objects.get(pk=organisation_admin.pk).role == Role.ORGANISATION_ADMIN


def test_a_role_form_without_a_choice_says_what_to_do(client, organisation_admin, colleague):
    client.force_login(organisation_admin)
    response = client.post(reverse("organisation:role", args=[colleague.pk]), {"role": "superuser"})
    assert response.status_code == 400
    assert "Select member or administrator" in response.text
    assert 'href="#role-0"' in response.text


def test_an_unverified_first_responder_asks_again_after_a_decline(client, pending, organisation_admin, constabulary):
    membership_request_decline(request_id=pending.pk, actor=organisation_admin)
    client.force_login(pending.user)
    page = client.get(reverse("organisation:membership")).text
    assert "Declined" in page
    assert "Ask to join" in page
    response = client.post(reverse("organisation:membership"), {"organisation": constabulary.pk})
    assert response.url == reverse("organisation:membership")
    assert MembershipRequest.objects.filter(user=pending.user, state=MembershipRequest.State.PENDING).exists()
    assert "Waiting for approval" in client.get(response.url).text


# Django admin, through the same services ---------------------------------------------------------------------------


def test_a_service_admin_approves_in_django_admin_through_the_service(client, pending, service_admin, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(service_admin)
    response = client.post(
        reverse("admin:accounts_membershiprequest_changelist"),
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == (MembershipRequest.State.APPROVED, service_admin)
    assert pending.history.order_by("-history_id").first().history_user == service_admin


def test_a_service_admin_removes_a_member_in_django_admin_through_the_service(
    client, colleague, service_admin, settings
):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(service_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "remove_from_organisation", "_selected_action": [colleague.pk]},
    )
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert colleague.history.order_by("-history_id").first().history_change_reason == "Removed from the organisation"


# The authenticator app -------------------------------------------------------------------------------------------


def test_an_organisation_that_requires_an_authenticator_sends_its_members_to_set_one_up(
    client, organisation_admin, colleague
):
    client.force_login(organisation_admin)
    response = client.post(reverse("organisation:settings"), {"require_mfa": "on"})
    assert response.url == reverse("organisation:members")
    assert colleague.organisation.__class__.objects.get(pk=colleague.organisation_id).require_mfa

    client.force_login(colleague)
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_service_can_require_an_authenticator_of_every_first_responder(client, first_responder, settings):
    client.force_login(first_responder)
    assert client.get(reverse("referrals:list")).status_code == 200
    settings.NRM_REQUIRE_FIRST_RESPONDER_MFA = True
    client.force_login(first_responder)
    assert client.get(reverse("referrals:list")).url == reverse("mfa_activate_totp")


def test_a_first_responder_with_an_authenticator_gives_its_code_after_the_emailed_one(client, first_responder):
    TOTP.activate(first_responder, generate_totp_secret())
    response = client.post(reverse("account_request_login_code"), {"email": first_responder.email})
    response = client.post(response.url, {"code": last_emailed_code()})
    assert response.url == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session


def test_a_first_responder_may_enrol_an_authenticator_from_their_account(client, first_responder):
    client.force_login(first_responder)
    page = client.get(reverse("account")).text
    assert reverse("mfa_index") in page


def test_the_approvers_notification_leads_to_the_requests(client, organisation_admin, pending):
    client.force_login(organisation_admin)
    page = client.get(reverse("notifications:list")).text
    assert f'href="{reverse("organisation:members")}"' in page
    assert "Someone has asked to join" in page
    assert "Pat Asker" not in page  # the notification names no one; the members page, behind it, does


def test_an_organisation_administrator_refers_like_any_first_responder(client, organisation_admin):
    client.force_login(organisation_admin)
    response = client.post(reverse("referrals:start"))
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_the_members_page_makes_the_same_queries_however_many_members_and_requests(
    client, organisation_admin, constabulary
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get(reverse("organisation:members"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("organisation:members")).status_code == 200
        return len(captured)

    client.force_login(organisation_admin)
    few = queries()
    for _ in range(5):
        UserFactory(organisation=constabulary)
        asker = UserFactory(organisation=None, organisation_verified=False)
        membership_request_create(user=asker, organisation=constabulary)
    assert queries() == few


def test_a_first_responder_without_a_password_can_set_up_the_required_authenticator(client, colleague):
    """First responders who signed up have no password to re-enter: the set-up page must open for them."""
    colleague.set_unusable_password()
    colleague.save()
    colleague.organisation.require_mfa = True
    colleague.organisation.save()
    client.force_login(colleague)
    assert client.get(reverse("referrals:list")).url == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert 'name="code"' in response.text
    secret = client.session[SECRET_SESSION_KEY]

    client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})

    assert Authenticator.objects.filter(user=colleague, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("referrals:list")).status_code == 200


def test_a_service_admin_requires_an_authenticator_of_an_organisation_in_django_admin(
    client, constabulary, service_admin, settings
):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(service_admin)
    url = reverse("admin:accounts_organisation_change", args=[constabulary.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "parent"}
    data.update(email_domains=",".join(constabulary.email_domains), require_mfa="on", is_active="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    constabulary.refresh_from_db()
    assert constabulary.require_mfa
    row = constabulary.history.order_by("-history_id").first()
    assert (row.history_user, row.history_change_reason) == (service_admin, "Authenticator app required")


def test_a_forged_hidden_role_is_a_form_error_not_a_server_error(client, organisation_admin, colleague):
    client.force_login(organisation_admin)
    response = client.post(
        reverse("organisation:role", args=[colleague.pk]), {"role": Role.ORGANISATION_ADMIN, "expected_role": "x" * 500}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert User.objects.get(pk=colleague.pk).role == Role.FIRST_RESPONDER

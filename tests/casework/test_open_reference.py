"""A reference in a notification opens the page the user's role has for it, and nothing outside their scope."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case
from notifications.models import Notification
from notifications.services import notify
from tests.casework.factories import case_in_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def open_url(case):
    return reverse("casework:open", args=[case.reference])


def test_staff_responders_and_support_providers_land_on_their_own_page_for_the_case(client, sca):
    case = case_in_state(Case.Status.AWAITING_RG)
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=sca)
    responder = UserFactory(role=Role.FIRST_RESPONDER, organisation=case.referral.organisation)
    for user, expected in (
        (caseworker, reverse("casework:case", args=[case.reference])),
        (responder, reverse("referrals:detail", args=[case.reference])),
    ):
        client.force_login(user)
        response = client.get(open_url(case))
        assert (response.status_code, response["Location"]) == (302, expected)


@pytest.mark.parametrize(
    "role", [Role.FIRST_RESPONDER, Role.CASEWORKER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.ANALYST]
)
def test_a_reference_outside_the_users_scope_is_not_found(client, role):
    case = case_in_state(Case.Status.AWAITING_RG)
    client.force_login(UserFactory(role=role))  # another organisation of that role
    assert client.get(open_url(case)).status_code == 404


def test_the_notification_list_links_a_case_reference_but_not_a_draft(client, sca):
    case = case_in_state(Case.Status.AWAITING_RG)
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=sca)
    notify(recipient=caseworker, kind=Notification.Kind.CASE_ASSIGNED, subject=case, reference=case.reference)
    notify(recipient=caseworker, kind=Notification.Kind.DRAFT_EXPIRING, reference="number 7")
    client.force_login(caseworker)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'href="{open_url(case)}"' in page
    assert "/casework/open/number" not in page

"""Every page sent to a signed-in user is `Cache-Control: no-store` (one middleware); public pages are not."""

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


def assert_not_stored(response):
    assert response.status_code == 200, response
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


def test_pages_with_a_persons_details_are_not_stored_by_any_cache(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=case.authority)
    notify(recipient=caseworker, kind=Notification.Kind.CASE_ASSIGNED, subject=case, reference=case.reference)
    client.force_login(caseworker)
    for url in [
        case.get_absolute_url(),
        reverse("casework:queue"),
        reverse("casework:referral_pdf", args=[case.reference]),
        reverse("notifications:list"),
        reverse("account"),
    ]:
        assert_not_stored(client.get(url))
    responder = case.referral.submitted_by
    client.force_login(responder)
    for url in [
        reverse("referrals:list"),
        reverse("referrals:detail", args=[case.reference]),
        reverse("referrals:pdf", args=[case.reference]),
    ]:
        assert_not_stored(client.get(url))
    client.force_login(UserFactory(role=Role.ADMIN))
    assert_not_stored(client.get(reverse("admin:casework_case_change", args=[case.pk])))
    assert_not_stored(client.get(reverse("admin:accounts_user_changelist")))


def test_a_new_drafts_pages_are_not_stored_either(client):
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    client.force_login(responder)
    response = client.post(reverse("referrals:start"), follow=True)
    assert response.redirect_chain
    assert_not_stored(response)


def test_public_pages_stay_cacheable(client):
    for url in [reverse("accessibility"), reverse("privacy"), reverse("cookies")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")

import pytest
from django.urls import reverse

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Policy
from tests.casework.factories import AwaitingRgCaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.ADMIN))  # a superuser
    return client


def test_the_policy_of_a_nation_is_edited_in_admin(admin_client):
    policy = Policy.for_nation(Nation.SCOTLAND)
    url = reverse("admin:casework_policy_change", args=[policy.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "rg_target_working_days": 5,
        "recovery_days": 60,
        "move_on_days": 45,
        "minimum_support_days": 90,
        "reconsideration_window_days": 30,
        "information_request_working_days": 10,
        "review_negative_rg": "on",
        "negative_cg_review_route": Policy.ReviewRoute.SECOND_REVIEWER,
        "duplicate_lookback_days": 365,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.nation, policy.recovery_days, policy.negative_cg_review_route) == (
        Nation.SCOTLAND,
        60,
        Policy.ReviewRoute.SECOND_REVIEWER,
    )
    change = policy.history.latest()
    assert (change.recovery_days, change.history_user.role) == (60, Role.ADMIN)


def test_cases_are_listed_and_shown_read_only_with_their_timeline(admin_client, sca):
    case = AwaitingRgCaseFactory()
    listing = admin_client.get(reverse("admin:casework_case_changelist"), {"duplicate_review_needed__exact": "0"})
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:casework_case_change", args=[case.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Case opened" in content
    assert 'name="_save"' not in content
    assert admin_client.post(reverse("admin:casework_case_change", args=[case.pk]), {}).status_code == 403

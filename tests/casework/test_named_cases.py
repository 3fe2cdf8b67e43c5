"""The police force or a child's local authority named in a referral is told of its decisions and suspension
(casework.services.base), so it may open what it was told: the status and the served decisions, never the
person (casework.selectors.named)."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from casework.models import AccessLogEntry, Case
from casework.services import case_suspend
from notifications.models import Notification
from tests.casework.factories import case_in_state
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False  # staff reach the page and are refused by it, not by the MFA step


@pytest.fixture
def force():
    return OrganisationFactory(name="Exampleshire Police", kind=Organisation.Kind.POLICE)


def named_police_case(force, caseworker, manager):
    return case_in_state(
        Case.Status.RECOVERY, caseworker=caseworker, manager=manager, answers={"police_force": force.name}
    )


def test_an_officer_of_the_named_force_opens_the_suspension_they_were_told_of(client, force, caseworker, manager):
    officer = UserFactory(role=Role.FIRST_RESPONDER, organisation=force)
    case = named_police_case(force, caseworker, manager)
    case_suspend(case_id=case.pk, actor=caseworker, reason="Missing.")
    notification = Notification.objects.get(recipient=officer, kind=Notification.Kind.CASE_SUSPENDED)
    client.force_login(officer)

    response = client.get(reverse("casework:open", args=[notification.reference]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("casework:named_case", args=[case.reference])
    page = response.content.decode()
    assert case.reference in page
    assert "Suspended" in page
    assert "the police force of the crime reference" in page
    assert "Reasonable grounds: positive, served on" in page
    assert case.referral.answers.get("first_name", "never shown") not in page
    assert AccessLogEntry.objects.filter(user=officer, case=case, what=AccessLogEntry.What.CASE).count() == 1


def test_a_childs_local_authority_opens_the_case_naming_it(client, caseworker, manager):
    council = OrganisationFactory(name="Exampleton Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    social_worker = UserFactory(role=Role.FIRST_RESPONDER, organisation=council)
    case = case_in_state(Case.Status.AWAITING_RG, child=True, answers={"la_name": council.name})
    client.force_login(social_worker)

    response = client.get(reverse("casework:named_case", args=[case.reference]))

    assert response.status_code == 200
    assert "the local authority responsible for the child" in response.content.decode()
    assert "No decision has been served yet." in response.content.decode()


@pytest.mark.parametrize(
    "who",
    ["another_force", "unverified_officer", "caseworker_of_another_authority", "support_provider"],
)
def test_nobody_else_opens_a_case_by_being_named(client, force, caseworker, manager, who, ieca):
    case = named_police_case(force, caseworker, manager)
    user = {
        "another_force": lambda: UserFactory(
            organisation=OrganisationFactory(name="Otherland Police", kind=Organisation.Kind.POLICE)
        ),
        "unverified_officer": lambda: UserFactory(organisation=force, organisation_verified=False),
        "caseworker_of_another_authority": lambda: UserFactory(role=Role.CASEWORKER, organisation=ieca),
        "support_provider": lambda: UserFactory(role=Role.SUPPORT_PROVIDER),
    }[who]()
    client.force_login(user)

    assert client.get(reverse("casework:named_case", args=[case.reference])).status_code == 404
    assert client.get(reverse("casework:open", args=[case.reference])).status_code == 404
    assert not AccessLogEntry.objects.filter(user=user).exists()

import pytest

from accounts.roles import Role
from casework.selectors import case_list_for
from tests.casework.factories import AwaitingRgCaseFactory
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sca_case(sca):
    return AwaitingRgCaseFactory()


@pytest.fixture
def ieca_case(ieca):
    return AwaitingRgCaseFactory(authority=ieca)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER])
def test_authority_staff_see_the_cases_of_their_own_authority_only(sca, ieca, sca_case, ieca_case, role):
    assert list(case_list_for(user=UserFactory(role=role, organisation=sca))) == [sca_case]
    assert list(case_list_for(user=UserFactory(role=role, organisation=ieca))) == [ieca_case]


@pytest.mark.parametrize(
    "role",
    [Role.FIRST_RESPONDER, Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.SUPPORT_PROVIDER, Role.ANALYST, Role.ADMIN],
)
def test_no_other_role_sees_any_case(sca, sca_case, role):
    assert not case_list_for(user=UserFactory(role=role)).exists()
    # Not even someone of the right authority in another role, nor the first responder who referred.
    assert not case_list_for(user=UserFactory(role=role, organisation=sca)).exists()
    assert not case_list_for(user=sca_case.referral.submitted_by).exists()


def test_a_caseworker_without_an_organisation_or_of_another_kind_sees_nothing(sca_case):
    assert not case_list_for(user=UserFactory(role=Role.CASEWORKER, organisation=None)).exists()
    police = sca_case.referral.organisation
    assert not case_list_for(user=UserFactory(role=Role.CASEWORKER, organisation=police)).exists()


def test_an_anonymous_user_sees_nothing(sca_case):
    from django.contrib.auth.models import AnonymousUser

    assert not case_list_for(user=AnonymousUser()).exists()


def test_another_authority_with_the_same_short_name_does_not_see_the_sca_cases(sca, sca_case):
    impostor = AuthorityFactory(short_name="SCA")
    assert not case_list_for(user=UserFactory(role=Role.CASEWORKER, organisation=impostor)).exists()

"""Fixtures of the case page tests: an SCA caseworker and manager, and a case of theirs with answers."""

import pytest

from accounts.roles import Role
from tests.casework.views.helpers import answered_case, staff


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def caseworker(sca):
    return staff(sca, full_name="Casey Worker")


@pytest.fixture
def manager(sca):
    return staff(sca, Role.MANAGER, full_name="Morgan Manager")


@pytest.fixture
def case(caseworker, manager):
    return answered_case(caseworker=caseworker, manager=manager)

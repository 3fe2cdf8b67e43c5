"""Organisations and people for the membership tests: an organisation with its own domain and an administrator,
a suffix-only allow-list entry, and a referral of the organisation sent by a verified colleague."""

import pytest

from accounts.models import FirstResponderEmailDomain
from accounts.roles import Role
from tests.factories import FirstResponderOrganisationFactory, UserFactory


@pytest.fixture
def constabulary():
    return FirstResponderOrganisationFactory(name="Testshire Constabulary", email_domains=["testshire.police.example"])


@pytest.fixture
def shared_suffix():
    """A suffix on the allow-list that no organisation owns (as .gov.uk is)."""
    return FirstResponderEmailDomain.objects.create(
        domain="shared.example", match=FirstResponderEmailDomain.Match.SUFFIX
    )


@pytest.fixture
def organisation_admin(constabulary):
    return UserFactory(email="spoc@testshire.police.example", role=Role.ORGANISATION_ADMIN, organisation=constabulary)


@pytest.fixture
def colleague(constabulary):
    return UserFactory(email="colleague@testshire.police.example", organisation=constabulary)


@pytest.fixture
def service_admin():
    return UserFactory(email="admin@authority.example", role=Role.ADMIN)

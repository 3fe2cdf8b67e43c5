import pytest

from accounts.models import Organisation
from accounts.roles import Role
from tests.casework.factories import staff_of


@pytest.fixture
def sca(project_data):
    """Created by casework's data migration (loaded again when a committing test has flushed it)."""
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def ieca(project_data):
    return Organisation.objects.get(
        name="Immigration Enforcement Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY
    )


@pytest.fixture
def caseworker(sca):
    """A caseworker of the SCA (the root conftest's caseworker belongs to an authority of its own)."""
    return staff_of(sca, full_name="Casey Worker")


@pytest.fixture
def manager(sca):
    return staff_of(sca, Role.MANAGER, full_name="Morgan Manager")

import pytest

from accounts.models import Organisation
from accounts.roles import Role
from tests.casework.factories import staff_of


@pytest.fixture
def sca(project_data):
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def caseworker(sca):
    """A caseworker of the SCA, which decides the cases the panel tests make."""
    return staff_of(sca, full_name="Casey Worker")


@pytest.fixture
def manager(sca):
    return staff_of(sca, Role.MANAGER, full_name="Morgan Manager")

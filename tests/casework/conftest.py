import pytest

from accounts.models import Organisation
from tests.fixtures.project_data import ensure_project_data


@pytest.fixture
def sca(db):
    """Created by casework's data migration (loaded again when a committing test has flushed it)."""
    ensure_project_data()
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def ieca(db):
    ensure_project_data()
    return Organisation.objects.get(
        name="Immigration Enforcement Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY
    )

import pytest

from accounts.models import Organisation


@pytest.fixture
def sca(db):
    """Created by casework's data migration."""
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def ieca(db):
    return Organisation.objects.get(
        name="Immigration Enforcement Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY
    )

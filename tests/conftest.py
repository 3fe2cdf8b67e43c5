import pytest

from accounts.roles import Role
from tests.factories import UserFactory

pytest_plugins = ["tests.fixtures.celery_worker"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit and lockout counters live in the (Redis) cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def first_responder(db):
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def caseworker(db):
    return UserFactory(role=Role.CASEWORKER)

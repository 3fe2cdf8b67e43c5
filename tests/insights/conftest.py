import pytest
from django.db import transaction

from insights.refresh import facts_refresh
from tests.insights.factories import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The seeded world (tests/insights/factories.py), built once per module inside a transaction that is rolled
    back after the module's last test; each test runs in a savepoint inside it. The fact tables are refreshed."""
    with django_db_blocker.unblock(), transaction.atomic():
        seeded = build_world()
        facts_refresh()
        yield seeded
        transaction.set_rollback(True)

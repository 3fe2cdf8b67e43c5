import os

import pytest

from accounts.roles import Role
from tests.factories import UserFactory

pytest_plugins = [
    "tests.fixtures.celery_worker",
    "tests.fixtures.clamd",
    "tests.fixtures.own_servers",
    "tests.fixtures.partner_api",
    "tests.fixtures.s3",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each test run gets its own database, so that runs at the same time on one machine never clash."""
    from django.conf import settings

    from common import database

    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_nrm_{os.getpid()}"
    database.run_as_job()  # while the test database is made (django_db_setup below)


@pytest.fixture(scope="session")
def django_db_setup(django_db_modify_db_settings, django_db_setup):
    """The test database is created, migrated and dropped as a job, with the jobs' database timeouts (a
    loaded machine's DROP DATABASE outlasts a web request's statement timeout); the tests themselves run with
    the web's (docs/adr/0018)."""
    from common import database

    database.run_as_web()
    yield
    database.run_as_job()


@pytest.fixture(scope="session", autouse=True)
def _test_run_settings():
    """This run's own cache keys and Celery queue (other runs, and `make run` with its worker on "nrm", share the
    Redis server: no run ever takes another's task), and a fast password hasher: the production one is slow on
    purpose."""
    from django.conf import settings
    from django.core.cache import cache

    from nrm.celery import app

    # In place: the cache handler holds this same dict, so caches made later (other threads) see it too.
    settings.CACHES["default"]["KEY_PREFIX"] = f"nrm-test-{os.getpid()}"
    cache.key_prefix = settings.CACHES["default"]["KEY_PREFIX"]
    settings.CELERY_TASK_DEFAULT_QUEUE = app.conf.task_default_queue = f"nrm-test-{os.getpid()}"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with none of this run's keys in the (Redis) cache. The sign-in rate limits and lockout
    counters are rows in PostgreSQL (common.cache), emptied by each test's rollback or flush."""
    from django.conf import settings
    from django.core.cache import cache

    client = cache._cache.get_client(None, write=True)
    for key in client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
        client.delete(key)


@pytest.fixture
def project_data(db):
    """The rows the project's data migrations create (policies, the competent authorities, reference lists),
    which production code expects and never makes up. A test that does not commit always has them: pytest-django
    runs those first, on the migrated database. A committing test (threads, a live server, a real worker) runs
    after another one's flush emptied the database, and asks for this fixture to load them again."""
    from tests.fixtures.project_data import ensure_project_data

    ensure_project_data()


@pytest.fixture
def first_responder(db):
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def caseworker(db):
    return UserFactory(role=Role.CASEWORKER)

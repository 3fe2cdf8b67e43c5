import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """UserFactory sets a password on every user; the production hasher costs a second each on this machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

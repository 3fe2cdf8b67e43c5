"""Every signed-in request reads its session and its user with their organisation, each in one statement written
once (accounts.sessions, accounts.backends.load_user; docs/adr/0034): they give what Django's ORM queries gave."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import SignInModelBackend, load_user
from accounts.models import User
from accounts.roles import Role
from accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_session_reads_back_what_django_s_own_store_saved():
    saved = DjangoSessionStore()
    saved["answer"] = {"nested": [1, "two"]}
    saved.create()
    loaded = SessionStore(saved.session_key)
    assert loaded["answer"] == {"nested": [1, "two"]}
    assert loaded.session_key == saved.session_key


def test_an_expired_session_is_not_read_and_a_new_one_is_made_in_its_place():
    saved = SessionStore()
    saved["answer"] = 42
    saved.create()
    Session.objects.filter(session_key=saved.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    loaded = SessionStore(saved.session_key)
    assert loaded.load() == {}
    assert loaded.session_key is None  # the old key is never reused


def test_an_unknown_session_key_reads_as_an_empty_session():
    loaded = SessionStore("k" * 32)
    assert dict(loaded.items()) == {}
    assert loaded.session_key is None


def test_a_session_is_read_in_one_query_with_its_key_and_expiry_as_parameters():
    saved = SessionStore()
    saved["answer"] = 1
    saved.create()
    with CaptureQueriesContext(connection) as context:
        SessionStore(saved.session_key).load()
    (query,) = context.captured_queries
    assert saved.session_key in query["sql"]
    assert '"expire_date" >' in query["sql"]


def test_the_user_is_read_with_their_organisation_as_the_orm_reads_them(first_responder):
    expected = User.objects.select_related("organisation").get(pk=first_responder.pk)
    with CaptureQueriesContext(connection) as context:
        user = load_user(first_responder.pk)
        organisation = user.organisation
    assert len(context.captured_queries) == 1
    assert fields_of(user) == fields_of(expected)
    assert organisation is not None
    assert fields_of(organisation) == fields_of(expected.organisation)
    assert user._state.adding is False
    assert user._state.db == "default"
    user.full_name = "Changed"  # a loaded user saves as an update, like any other
    user.save(update_fields=["full_name"])
    assert User.objects.get(pk=first_responder.pk).full_name == "Changed"


def test_a_user_without_an_organisation_has_none_without_another_query():
    staff = UserFactory(role=Role.CASEWORKER, organisation=None)
    user = load_user(str(staff.pk))  # a session holds the id as text
    with CaptureQueriesContext(connection) as context:
        assert user.organisation is None
    assert context.captured_queries == []


def test_no_user_is_loaded_for_an_id_that_does_not_exist():
    assert load_user(987654321) is None


def test_an_inactive_user_or_a_partner_api_client_is_never_a_session_s_user(first_responder):
    backend = SignInModelBackend()
    assert backend.get_user(first_responder.pk) == first_responder
    first_responder.is_active = False
    first_responder.save(update_fields=["is_active"])
    assert backend.get_user(first_responder.pk) is None
    client_user = UserFactory(role=Role.API_CLIENT, organisation=first_responder.organisation)
    assert backend.get_user(client_user.pk) is None


def test_a_signed_in_page_reads_the_session_and_the_user_through_these_loads(caseworker, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client = Client()
    client.force_login(caseworker)
    client.get(reverse("notifications:list"))  # the first records the session's activity
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user == caseworker
    assert response.wsgi_request.session[SESSION_KEY] == str(caseworker.pk)
    first, second = (query["sql"] for query in context.captured_queries[:2])
    assert first.startswith('SELECT "session_data" FROM "django_session"')
    assert second.startswith('SELECT "accounts_user"."id"')

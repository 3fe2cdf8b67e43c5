"""Managing partner API clients (issue 14, part G): the organisation administrator's pages, the service admin's
pages, and the rule that a client's service user never signs in to a page."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import Application

from accounts.models import User
from accounts.roles import Role
from partners.models import ApiClient, ApiRequestLogEntry
from partners.services.clients import api_client_create
from tests.accounts.helpers import last_emailed_code
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.partner_api import request_token
from tests.security.world import sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("api_clients:list")
NEW = reverse("api_clients:new")


@pytest.fixture
def administrator():
    organisation = FirstResponderOrganisationFactory(name="Testshire Constabulary")
    return UserFactory(role=Role.ORGANISATION_ADMIN, organisation=organisation)


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def make_client(administrator, name="Case system", scopes=("referrals:read",)):
    return api_client_create(
        actor=administrator, organisation=administrator.organisation, name=name, scopes=list(scopes)
    )


def test_the_administrator_lists_their_organisations_clients_with_when_each_was_last_used(signed_in, administrator):
    used = make_client(administrator, "Case system").client
    make_client(administrator, "Spare system")
    revoked = make_client(administrator, "Old system").client
    ApiClient.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    ApiRequestLogEntry.objects.create(client=used, method="GET", route="partners-api:client", status=200)
    ApiRequestLogEntry.objects.create(
        client=used, method="GET", route="partners-api:client", status=200, at=timezone.now() - timedelta(days=3)
    )
    other = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=FirstResponderOrganisationFactory())
    make_client(other, "Someone else's system")

    response = signed_in.get(LIST)

    assert response.status_code == 200
    rows = response.context["clients"]
    assert [client.name for client in rows] == ["Case system", "Spare system", "Old system"]  # revoked last
    assert rows[0].last_used_at == ApiRequestLogEntry.objects.filter(client=used).latest("at").at
    assert rows[1].last_used_at is None
    assert used.client_id in response.text
    assert "Someone else&#x27;s system" not in response.text
    assert "Someone else's system" not in response.text
    assert response.text.count('data-testid="client"') == 3
    assert "Revoked" in response.text
    assert f'href="{reverse("partners-api-docs")}"' in response.text
    assert "Never" in response.text


def test_the_list_costs_the_same_queries_however_many_clients_there_are(signed_in, administrator):
    make_client(administrator, "One")
    signed_in.get(LIST)  # the session's first read
    with CaptureQueriesContext(connection) as one:
        signed_in.get(LIST)
    for number in range(6):
        client = make_client(administrator, f"More {number}").client
        ApiRequestLogEntry.objects.create(client=client, method="GET", route="partners-api:client", status=200)
    with CaptureQueriesContext(connection) as seven:
        response = signed_in.get(LIST)

    assert response.text.count('data-testid="client"') == 7
    assert len(seven.captured_queries) == len(one.captured_queries)


def test_a_new_client_shows_its_secret_once_on_a_page_no_cache_keeps(signed_in, administrator):
    response = signed_in.post(NEW, {"name": "  Case system ", "scopes": ["referrals:write", "referrals:read"]})

    assert response.status_code == 200  # the answer to the POST: no redirect carries the secret anywhere
    client = ApiClient.objects.get(organisation=administrator.organisation)
    assert (client.name, client.scopes, client.created_by) == (
        "Case system",
        ["referrals:write", "referrals:read"],
        administrator,
    )
    secret = response.context["secret"]
    assert secret in response.text
    assert client.client_id in response.text
    assert "no-store" in response["Cache-Control"]
    assert check_password(secret, Application.objects.get(pk=client.application_id).client_secret)
    session = signed_in.session
    assert all(secret not in str(value) for value in session.values())
    listed = signed_in.get(LIST)
    assert secret not in listed.text
    assert request_token(client.client_id, secret).status_code == 200


def test_a_client_needs_a_name_and_something_it_may_do(signed_in):
    response = signed_in.post(NEW, {"name": "  ", "scopes": []})

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'href="#id_name"' in response.text
    assert "Enter a name for the client" in response.text
    assert 'href="#id_scopes_1"' in response.text
    assert "Select what the client may do" in response.text
    assert "<title>Error:" in response.text
    assert not ApiClient.objects.exists()


def test_a_scope_that_does_not_exist_is_refused(signed_in):
    response = signed_in.post(NEW, {"name": "Case system", "scopes": ["everything"]})

    assert response.status_code == 400
    assert "Select what the client may do from the list" in response.text
    assert not ApiClient.objects.exists()


def test_a_second_client_with_the_same_name_is_refused_on_its_name(signed_in, administrator):
    make_client(administrator, "Case system")

    response = signed_in.post(NEW, {"name": "case SYSTEM", "scopes": ["referrals:read"]})

    assert response.status_code == 400
    assert 'href="#id_name"' in response.text
    assert "Your organisation already has a client with this name" in response.text
    assert ApiClient.objects.count() == 1


def test_revoking_asks_first_and_then_the_clients_system_stops_at_once(signed_in, administrator):
    new = make_client(administrator)
    token = request_token(new.client.client_id, new.client_secret).json()["access_token"]
    url = reverse("api_clients:revoke", args=[new.client.pk])

    confirm = signed_in.get(url)
    assert confirm.status_code == 200
    assert "Revoke this client?" in confirm.text
    assert ApiClient.objects.get(pk=new.client.pk).revoked_at is None

    response = signed_in.post(url)

    assert response.status_code == 302
    assert response.url == LIST
    client = ApiClient.objects.get(pk=new.client.pk)
    assert client.revoked_at is not None
    assert client.revoked_by == administrator
    assert Client().get("/api/v1/client", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert request_token(client.client_id, new.client_secret).json()["error"] == "invalid_client"
    assert "has been revoked" in signed_in.get(LIST).text
    again = signed_in.get(url)
    assert "This client has been revoked" in again.text
    assert "Revoke client" not in again.text


def test_another_organisations_client_is_not_found(signed_in):
    other = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=FirstResponderOrganisationFactory())
    theirs = make_client(other).client

    assert signed_in.get(reverse("api_clients:revoke", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("api_clients:revoke", args=[theirs.pk])).status_code == 404
    assert ApiClient.objects.get(pk=theirs.pk).revoked_at is None


@pytest.mark.parametrize(
    ("role", "verified"),
    [(Role.FIRST_RESPONDER, True), (Role.ORGANISATION_ADMIN, False), (Role.CASEWORKER, True), (Role.ADMIN, True)],
)
def test_only_a_verified_organisation_administrator_reaches_the_pages(client, administrator, role, verified):
    theirs = make_client(administrator).client
    kwargs = (
        {"organisation": administrator.organisation} if role in (Role.FIRST_RESPONDER, Role.ORGANISATION_ADMIN) else {}
    )
    user = UserFactory(role=role, organisation_verified=verified, **kwargs)
    sign_in(client, user)

    for url in (LIST, NEW, reverse("api_clients:revoke", args=[theirs.pk])):
        assert client.get(url).status_code == 404
    assert client.post(NEW, {"name": "Mine", "scopes": ["referrals:read"]}).status_code == 404
    assert ApiClient.objects.count() == 1


def test_the_organisation_page_links_to_the_clients(signed_in):
    response = signed_in.get(reverse("organisation:members"))

    assert f'href="{LIST}"' in response.text


# --- The service user never signs in ----------------------------------------------------------------------------


def test_a_clients_service_user_is_refused_a_password_sign_in_even_with_a_password(client, administrator):
    user = make_client(administrator).client.user
    user.set_password(TEST_PASSWORD)  # it has none; even one set by mistake lets it in nowhere
    user.save(update_fields=["password"])

    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})

    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 302)
    assert client.get(reverse("home")).status_code in (200, 302)
    assert SESSION_KEY not in client.session
    client.post(reverse("admin:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert SESSION_KEY not in client.session


def test_a_clients_service_user_is_refused_a_sign_in_by_emailed_code(client, administrator):
    user = make_client(administrator).client.user

    response = client.post(reverse("account_request_login_code"), {"email": user.email})

    assert not [message for message in mail.outbox if user.email in message.to]  # no code goes to its address
    client.post(response.url, {"code": "ABC-DEF"})
    assert SESSION_KEY not in client.session


def test_the_account_adapter_refuses_a_clients_service_user_whatever_the_way_in(rf, administrator):
    from allauth.account.adapter import get_adapter
    from django.contrib.sessions.middleware import SessionMiddleware

    user = make_client(administrator).client.user
    request = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(request)
    adapter = get_adapter(request)

    refused = adapter.pre_login(
        request, user, email_verification="none", signal_kwargs=None, email=None, signup=False, redirect_url=None
    )
    allowed = adapter.pre_login(
        request,
        administrator,
        email_verification="none",
        signal_kwargs=None,
        email=None,
        signup=False,
        redirect_url=None,
    )

    assert refused is not None
    assert refused.status_code == 302
    assert allowed is None


def test_a_session_of_a_clients_service_user_is_no_session(client, administrator):
    user = make_client(administrator).client.user
    client.force_login(user)  # as if one were made some other way

    response = client.get(reverse("referrals:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_ordinary_sign_in_still_works(client, administrator):
    response = client.post(reverse("account_request_login_code"), {"email": administrator.email})
    client.post(response.url, {"code": last_emailed_code()})

    assert client.session[SESSION_KEY] == str(administrator.pk)


# --- Service admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def service_admin(client):
    admin = UserFactory(role=Role.ADMIN, is_superuser=False, is_staff=True)
    sign_in(client, admin)
    return admin


def test_the_service_admin_creates_a_client_through_the_service_and_sees_its_secret_once(
    client, service_admin, administrator
):
    url = reverse("admin:partners_apiclient_add")
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"organisation": administrator.organisation.pk, "name": "Case system", "scopes": ["referrals:read"]}
    )

    assert response.status_code == 200
    new = ApiClient.objects.get()
    assert new.created_by == service_admin
    assert new.user.role == Role.API_CLIENT
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert request_token(new.client_id, secret).status_code == 200
    change = client.get(reverse("admin:partners_apiclient_change", args=[new.pk]))
    assert change.status_code == 200
    assert secret not in change.content.decode()
    assert client.get(reverse("admin:partners_apiclient_changelist")).status_code == 200


def test_the_service_admin_add_page_refuses_an_organisation_that_is_no_first_responder(client, service_admin):
    from tests.factories import AuthorityFactory

    response = client.post(
        reverse("admin:partners_apiclient_add"),
        {"organisation": AuthorityFactory().pk, "name": "Case system", "scopes": ["referrals:read"]},
    )

    assert response.status_code == 400
    assert not ApiClient.objects.exists()


def test_the_service_admin_revokes_with_an_action_and_changes_nothing_else(client, service_admin, administrator):
    new = make_client(administrator)

    change = client.post(reverse("admin:partners_apiclient_change", args=[new.client.pk]), {"name": "Renamed"})
    assert change.status_code == 403
    response = client.post(
        reverse("admin:partners_apiclient_changelist"), {"action": "revoke", "_selected_action": [new.client.pk]}
    )

    assert response.status_code == 302
    client_ = ApiClient.objects.get(pk=new.client.pk)
    assert client_.name == "Case system"
    assert client_.revoked_by == service_admin
    assert not User.objects.get(pk=client_.user_id).is_active
    assert request_token(client_.client_id, new.client_secret).json()["error"] == "invalid_client"


def test_the_request_log_is_read_only_in_admin_and_oauth_toolkits_own_admin_is_gone(
    client, service_admin, administrator
):
    new = make_client(administrator)
    entry = ApiRequestLogEntry.objects.create(client=new.client, method="GET", route="partners-api:client", status=200)

    assert client.get(reverse("admin:partners_apirequestlogentry_changelist")).status_code == 200
    assert client.get(reverse("admin:partners_apirequestlogentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:partners_apirequestlogentry_add")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/oauth2_provider/" not in index
    assert client.get("/admin/oauth2_provider/application/").status_code == 404
    assert client.get("/admin/oauth2_provider/accesstoken/").status_code == 404


# --- Demo -------------------------------------------------------------------------------------------------------


def test_the_demo_client_gets_a_token_with_its_published_secret_and_is_seeded_once(project_data):
    from accounts import demo as accounts_demo
    from partners import demo as partners_demo

    accounts_demo.seed()
    first = partners_demo.seed()
    second = partners_demo.seed()

    assert first == second == ("Demo Constabulary", partners_demo.DEMO_CLIENT_ID, partners_demo.DEMO_CLIENT_SECRET)
    assert ApiClient.objects.filter(name=partners_demo.DEMO_CLIENT_NAME).count() == 1
    stored = Application.objects.get(client_id=partners_demo.DEMO_CLIENT_ID).client_secret
    assert partners_demo.DEMO_CLIENT_SECRET not in stored
    response = request_token(partners_demo.DEMO_CLIENT_ID, partners_demo.DEMO_CLIENT_SECRET)
    assert response.status_code == 200

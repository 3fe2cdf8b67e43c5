"""A partner's first steps: a client, a token from the client credentials grant, and a call with it."""

import hashlib

from django.contrib.auth.hashers import check_password
from oauth2_provider.models import AccessToken, Application

from partners.models import ApiRequestLogEntry
from partners.services.clients import api_client_revoke
from tests.fixtures.partner_api import request_token


def test_a_client_gets_a_token_and_the_api_says_whose_it_is(partner_api):
    partner = partner_api(scopes=["referrals:read", "referrals:write"], name="Case system")

    response = partner.get("/api/v1/client")

    assert response.status_code == 200
    assert response.json() == {
        "client_id": partner.client.client_id,
        "name": "Case system",
        "organisation": partner.organisation.name,
        "scopes": ["referrals:read", "referrals:write"],
    }


def test_the_secret_is_stored_only_as_a_hash(partner_api):
    partner = partner_api()

    stored = Application.objects.get(pk=partner.client.application_id).client_secret

    assert partner.secret not in stored
    assert check_password(partner.secret, stored)  # Django's password hashers (the tests' fast one)


def test_a_token_is_stored_only_as_its_checksum_and_still_works(partner_api):
    partner = partner_api()

    stored = AccessToken.objects.get(application_id=partner.client.application_id)

    assert stored.token == ""  # RFC 9700: a copy of the table gives no usable token
    assert stored.token_checksum == hashlib.sha256(partner.token.encode()).hexdigest()
    assert partner.get("/api/v1/client").status_code == 200


def test_a_token_in_the_query_string_is_refused(partner_api, client):
    partner = partner_api()

    response = client.get(f"/api/v1/client?access_token={partner.token}")

    assert response.status_code == 401


def test_the_deploy_checks_find_nothing_against_the_oauth_security_practice():
    from django.core import checks

    found = [message.id for message in checks.run_checks(include_deployment_checks=True)]

    assert not [check for check in found if check.startswith("oauth2_provider.")]


def test_a_call_without_a_token_is_refused_as_a_problem(db, client):
    response = client.get("/api/v1/client")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_a_wrong_secret_gets_no_token(partner_api):
    partner = partner_api()

    response = request_token(partner.client.client_id, "not-the-secret")

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_token_asks_only_for_scopes_its_client_was_given(partner_api):
    partner = partner_api(scopes=["referrals:read"])

    refused = request_token(partner.client.client_id, partner.secret, scope="referrals:write")
    narrowed = request_token(partner.client.client_id, partner.secret, scope="referrals:read")

    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "referrals:read"


def test_a_revoked_client_gets_no_token_and_its_tokens_stop_working(partner_api):
    partner = partner_api()
    admin = partner.client.created_by

    api_client_revoke(actor=admin, client_id=partner.client.pk)

    assert partner.get("/api/v1/client").status_code == 401
    assert not AccessToken.objects.filter(application_id=partner.client.application_id).exists()
    assert request_token(partner.client.client_id, partner.secret).json()["error"] == "invalid_client"


def test_every_call_is_logged_against_the_client_by_route_name(partner_api):
    partner = partner_api()

    partner.get("/api/v1/client")

    entry = ApiRequestLogEntry.objects.get(client=partner.client)
    assert (entry.method, entry.route, entry.status) == ("GET", "partners-api:client", 200)

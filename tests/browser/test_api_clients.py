"""An organisation administrator manages their partner API clients in a real browser: from their organisation's
page to the list, a refused then an accepted new client (its secret shown once), and revoking it after the
confirmation page. axe-core checks every page."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from partners.models import ApiClient
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.partner_api import request_token

pytestmark = pytest.mark.browser


@pytest.fixture
def administrator(db):
    organisation = FirstResponderOrganisationFactory(
        name="Testshire Constabulary", email_domains=["testshire.police.example"]
    )
    return UserFactory(
        email="spoc@testshire.police.example",
        full_name="Kim Spoc",
        role=Role.ORGANISATION_ADMIN,
        organisation=organisation,
    )


def test_an_administrator_creates_a_client_sees_its_secret_once_and_revokes_it(page, administrator):
    sign_in(page, administrator.email, TEST_PASSWORD)
    assert urlparse(page.url).path == reverse("organisation:members")
    with page.expect_navigation():
        page.get_by_test_id("api-clients-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner API clients")
    expect(page.get_by_test_id("no-clients")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Create a client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a partner API client")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create client").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the client")
    expect(summary).to_contain_text("Select what the client may do")
    screenshot(page, "api-clients/new-errors")
    assert_accessible(page)
    summary.get_by_role("link", name="Select what the client may do").click()
    expect(page.locator("#id_scopes_1")).to_be_focused()

    page.get_by_label("Name of the client").fill("Our case management system")
    page.get_by_label("Send referrals and Duty to Notify reports").check()
    page.get_by_label("Read the status, outcomes, letters and changes").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Create client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Client created")
    client_id = page.get_by_test_id("client-id").inner_text()
    secret = page.get_by_test_id("client-secret").inner_text()
    screenshot(page, "api-clients/created")
    assert_accessible(page)
    client = ApiClient.objects.get(organisation=administrator.organisation)
    assert client.client_id == client_id
    assert sorted(client.scopes) == ["referrals:read", "referrals:write"]
    assert request_token(client_id, secret).status_code == 200

    with page.expect_navigation():
        page.get_by_role("link", name="Back to partner API clients").click()
    row = page.get_by_test_id("client")
    expect(row).to_contain_text("Our case management system")
    expect(row).to_contain_text(client_id)
    expect(row.get_by_test_id("status")).to_have_text("Active")
    assert secret not in page.content()
    screenshot(page, "api-clients/list")
    assert_accessible(page)

    with page.expect_navigation():
        row.get_by_role("link", name="Revoke Our case management system").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke this client?")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke client").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Our case management system has been revoked")
    expect(page.get_by_test_id("client").get_by_test_id("status")).to_contain_text("Revoked")
    assert_accessible(page)
    assert request_token(client_id, secret).json()["error"] == "invalid_client"

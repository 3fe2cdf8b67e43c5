"""Organisation membership in a real browser, as people would use it (docs/adr/0006): someone with an address
allowed only by a shared suffix signs up asking to join an organisation and sees none of its referrals; the
organisation's administrator approves them, after which they see them; the administrator removes them, and their
browser is signed out. axe-core checks every new page."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import FirstResponderEmailDomain, MembershipRequest, User
from accounts.roles import Role
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.casework.factories import SubmittedReferralFactory
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

NEWCOMER = "pat.newcomer@borough.shared.example"
COLLEAGUES_REFERENCE = "NRM-2026-777001"


@pytest.fixture
def people(db):
    constabulary = FirstResponderOrganisationFactory(
        name="Testshire Constabulary", email_domains=["testshire.police.example"]
    )
    FirstResponderEmailDomain.objects.create(domain="shared.example", match=FirstResponderEmailDomain.Match.SUFFIX)
    administrator = UserFactory(
        email="spoc@testshire.police.example",
        full_name="Kim Spoc",
        role=Role.ORGANISATION_ADMIN,
        organisation=constabulary,
    )
    colleague = UserFactory(email="colleague@testshire.police.example", organisation=constabulary)
    SubmittedReferralFactory(
        reference=COLLEAGUES_REFERENCE, draft__organisation=constabulary, draft__created_by=colleague
    )
    return constabulary, administrator


@pytest.fixture
def browsers(browser, live_server):
    """Separate browsers (their own cookies) for the newcomer and the administrator."""
    contexts = []

    def new():
        context, page = _new_page(browser, live_server)
        contexts.append(context)
        return page

    yield new
    for context in contexts:
        context.close()


def last_code() -> str:
    match = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def choose_organisation(page, label: str, name: str) -> None:
    """The accessible-autocomplete type-ahead that replaces the select when JavaScript runs."""
    field = page.get_by_role("combobox", name=label)
    field.fill(name)
    page.locator(f"#{field.get_attribute('id')}__listbox").get_by_role("option", name=name, exact=True).click()


def sign_up_asking_to_join(page, organisation_name: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Pat Newcomer")
    page.get_by_label("Work email address").fill(NEWCOMER)
    choose_organisation(page, "Your organisation", organisation_name)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.locator('input[name="code"]').fill(last_code())
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Continue").click()


def test_a_suffix_only_newcomer_asks_to_join_is_approved_then_removed(browsers, people):
    constabulary, administrator = people
    newcomer_page = browsers()

    # The newcomer signs up with a shared-suffix address, selecting an organisation that has its own domain.
    sign_up_asking_to_join(newcomer_page, constabulary.name)
    assert urlparse(newcomer_page.url).path == reverse("referrals:list")
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Your referrals")
    expect(newcomer_page.get_by_test_id("membership-pending")).to_be_visible()
    assert COLLEAGUES_REFERENCE not in newcomer_page.content()
    screenshot(newcomer_page, "membership/newcomer-referrals-pending")
    assert_accessible(newcomer_page)
    assert newcomer_page.goto(reverse("referrals:detail", args=[COLLEAGUES_REFERENCE])).status == 404
    newcomer_page.goto(reverse("organisation:membership"))
    expect(newcomer_page.get_by_test_id("membership-state")).to_have_text("Waiting for approval")
    screenshot(newcomer_page, "membership/newcomer-membership")
    assert_accessible(newcomer_page)
    newcomer = User.objects.get(email=NEWCOMER)
    assert not newcomer.organisation_verified

    # The administrator signs in to their organisation's page and approves.
    admin_page = browsers()
    sign_in(admin_page, administrator.email, TEST_PASSWORD)
    assert urlparse(admin_page.url).path == reverse("organisation:members")
    request_row = admin_page.get_by_test_id("request")
    expect(request_row).to_contain_text(NEWCOMER)
    screenshot(admin_page, "membership/administrator-members")
    assert_accessible(admin_page)
    request_row.get_by_role("link", name=f"Approve {NEWCOMER}").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Approve this request to join?")
    screenshot(admin_page, "membership/approve")
    assert_accessible(admin_page)
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Approve request").click()
    assert urlparse(admin_page.url).path == reverse("organisation:members")
    expect(admin_page.locator(".govuk-notification-banner")).to_contain_text("Pat Newcomer is now a member")
    expect(admin_page.get_by_test_id("no-requests")).to_be_visible()
    assert MembershipRequest.objects.get(user=newcomer).state == MembershipRequest.State.APPROVED

    # The newcomer now sees the organisation's referrals.
    newcomer_page.goto(reverse("referrals:list"))
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Your organisation's referrals")
    expect(newcomer_page.get_by_text(COLLEAGUES_REFERENCE)).to_be_visible()
    assert newcomer_page.goto(reverse("referrals:detail", args=[COLLEAGUES_REFERENCE])).status == 200

    # The administrator's other pages: a member's role, the organisation's settings.
    member_row = admin_page.get_by_test_id("member").filter(has_text=NEWCOMER)
    member_row.get_by_role("link", name=f"Change role of {NEWCOMER}").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("What is their role?")
    screenshot(admin_page, "membership/role")
    assert_accessible(admin_page)
    admin_page.goto(reverse("organisation:settings"))
    screenshot(admin_page, "membership/settings")
    assert_accessible(admin_page)

    # The administrator removes the newcomer, whose open browser is signed out at once.
    admin_page.goto(reverse("organisation:members"))
    member_row = admin_page.get_by_test_id("member").filter(has_text=NEWCOMER)
    member_row.get_by_role("link", name=f"Remove {NEWCOMER}").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Remove this member?")
    screenshot(admin_page, "membership/remove")
    assert_accessible(admin_page)
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Remove member").click()
    expect(admin_page.locator(".govuk-notification-banner")).to_contain_text("removed and signed out")

    newcomer_page.goto(reverse("referrals:list"))
    assert urlparse(newcomer_page.url).path == reverse("account_login")
    assert not User.objects.get(email=NEWCOMER).is_active


def test_a_role_form_sent_without_a_choice_shows_the_error_summary(browsers, people):
    _, administrator = people
    page = browsers()
    sign_in(page, administrator.email, TEST_PASSWORD)
    page.goto(reverse("organisation:role", args=[administrator.pk]))
    page.get_by_label("Member", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save role").click()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must keep at least one administrator")
    screenshot(page, "membership/role-error")
    assert_accessible(page)


def sign_up(page, email: str, organisation_name: str | None) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Sam Signer")
    page.get_by_label("Work email address").fill(email)
    if organisation_name:
        choose_organisation(page, "Your organisation", organisation_name)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_sign_up_in_the_browser_for_own_domain_other_organisation_suffix_only_and_unknown_addresses(browsers, people):
    constabulary, _ = people
    FirstResponderOrganisationFactory(name="Otherton Borough Council", email_domains=[])
    refusals = [
        ("sam@testshire.police.example", "Otherton Borough Council", "Your email address belongs to Testshire"),
        ("sam@borough.shared.example", None, "Select the first responder organisation you work for"),
        ("sam@unknown.example", constabulary.name, "registered first responder organisation"),
    ]
    for email, organisation_name, message in refusals:
        page = browsers()
        sign_up(page, email, organisation_name)
        assert page.title().startswith("Error: ") or "There is a problem" in page.content()
        expect(page.locator(".govuk-error-summary")).to_contain_text(message)
        assert page.get_by_label("Work email address").input_value() == email  # what was typed is kept
        assert_accessible(page)
        assert not User.objects.filter(email=email).exists()

    # The organisation's own domain: a verified member at once, seeing its referrals.
    page = browsers()
    sign_up(page, "sam@testshire.police.example", None)
    page.locator('input[name="code"]').fill(last_code())
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's referrals")
    expect(page.get_by_text(COLLEAGUES_REFERENCE)).to_be_visible()
    assert User.objects.get(email="sam@testshire.police.example").organisation_verified


def test_an_expired_request_is_shown_and_the_newcomer_asks_again(browsers, people):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import membership_requests_expire_task

    constabulary, _ = people
    page = browsers()
    sign_up_asking_to_join(page, constabulary.name)
    MembershipRequest.objects.filter(user__email=NEWCOMER).update(expires_at=timezone.now() - timedelta(days=1))
    assert membership_requests_expire_task() == 1
    assert membership_requests_expire_task() == 0

    page.goto(reverse("organisation:membership"))
    expect(page.get_by_test_id("membership-state")).to_have_text("Expired")
    assert COLLEAGUES_REFERENCE not in page.goto(reverse("referrals:list")).text()
    page.goto(reverse("organisation:membership"))
    screenshot(page, "membership/expired")
    assert_accessible(page)
    # The organisation they asked to join before is selected already.
    expect(page.get_by_role("combobox", name="Which organisation do you work for?")).to_have_value(constabulary.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Ask to join").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your request to join Testshire Constabulary")
    expect(page.get_by_test_id("membership-state")).to_have_text("Waiting for approval")
    assert MembershipRequest.objects.filter(user__email=NEWCOMER, state=MembershipRequest.State.PENDING).count() == 1

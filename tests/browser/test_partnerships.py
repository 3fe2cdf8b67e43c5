"""Partnerships in a real browser (issue 14, part F): the coordinator signs in and lands on the figures for the
partnership's area (small counts shown as [c]), adds a contact to the local pathway (the GOV.UK error summary
first), and a first responder of a member organisation sees that pathway when they start a referral. axe-core
finds no serious or critical violation on any of these pages."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from insights.models import ReferralFact, SuppressionPolicy
from partners.models import Partnership
from referrals.models.reference import LocalAuthority, PoliceForce
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import TEST_PASSWORD, FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    ensure_project_data()
    organisation = FirstResponderOrganisationFactory(name="Anytown Police")
    coordinator = UserFactory(role=Role.PARTNERSHIP_COORDINATOR, organisation=organisation)
    responder = UserFactory(role=Role.FIRST_RESPONDER, organisation=organisation)
    partnership = Partnership.objects.create(name="West Midlands Anti-Slavery Partnership")
    partnership.local_authorities.set([LocalAuthority.objects.get(name="Birmingham City Council")])
    partnership.police_forces.set([PoliceForce.objects.get(name="West Midlands Police")])
    partnership.member_organisations.set([organisation])
    partnership.coordinators.set([coordinator])
    SuppressionPolicy.objects.create(threshold=5)
    year = timezone.localdate().year
    for n in range(9):
        ReferralFact.objects.create(
            referral_id=n + 1,
            referred_on=date(year, 1 + n % 3, 5),
            is_duty_to_notify=n == 8,
            route="adult",
            nation="england",
            authority_id=1,
            age_group="adult",
            exploitation=["labour" if n < 6 else "sexual"],
            responder_kind="police",
            organisation_id=organisation.pk,
            local_authority="Birmingham City Council",
        )
    return {"coordinator": coordinator, "responder": responder, "partnership": partnership}


def test_the_coordinator_reads_the_figures_and_keeps_the_pathway_a_member_sees_at_referral_start(
    browser, live_server, world
):
    context, page = _new_page(browser, live_server)
    sign_in(page, world["coordinator"].email, TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Figures for the area")
    expect(page.get_by_test_id("suppression")).to_contain_text("Counts from 1 to 4 are shown as [c]")
    expect(page.get_by_text("[c]").first).to_be_visible()
    expect(page.locator("#referrals-by-exploitation-type")).to_be_visible()
    expect(page.locator("#decision-times")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "partnerships/figures")

    page.get_by_role("link", name="Local pathway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local pathway")
    page.get_by_label("What first responders should know locally").fill("Call children's services first.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Local pathway saved")).to_be_visible()
    page.get_by_role("button", name="Add a contact").click()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the type of contact")
    assert_accessible(page)
    page.get_by_label("Slavery Safeguarding Lead").check()
    page.get_by_label("Name", exact=True).fill("Anika Patel")
    page.get_by_label("Email address (optional)").fill("ssl@council.example")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_test_id("contacts")).to_contain_text("Anika Patel")
    assert_accessible(page)
    screenshot(page, "partnerships/pathway")
    context.close()

    context, page = _new_page(browser, live_server)
    sign_in(page, world["responder"].email, TEST_PASSWORD)
    page.goto("/referrals/")
    pathway = page.get_by_test_id("local-pathway")
    expect(pathway).to_contain_text("Local pathway: West Midlands Anti-Slavery Partnership")
    expect(pathway).to_contain_text("Call children's services first.")
    expect(pathway).to_contain_text("Anika Patel")
    assert_accessible(page)
    page.get_by_role("button", name="Start a new referral").click()
    expect(page.get_by_test_id("local-pathway")).to_contain_text("Anika Patel")
    assert_accessible(page)
    screenshot(page, "partnerships/referral-start")
    context.close()

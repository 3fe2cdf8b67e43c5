"""The support provider records its own work in a real browser: support started, the Recovery Needs Assessment and
an extension of support, each page checked by axe-core, a mistake shown in the GOV.UK error summary with what was
typed kept; and the case's caseworker sees the records on the case page's timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, SupportExtension, SupportRecord
from tests.browser.casework_driver import assert_accessible  # the GOV.UK accordion's known case let through
from tests.browser.conftest import _new_page
from tests.browser.helpers import screenshot, sign_in, sign_out
from tests.casework.test_letters import adult_answers
from tests.casework.test_responder import supported_case_in_state
from tests.factories import TEST_PASSWORD, SupportProviderFactory, UserFactory
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    ensure_project_data()
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


def fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_the_provider_records_support_started_the_needs_assessment_and_an_extension(page):
    provider = SupportProviderFactory(name="Example Support Charity", nation=Nation.ENGLAND)
    staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=adult_answers(), opened_days_ago=3)
    Case.objects.filter(pk=case.pk).update(assignee=None)
    today = timezone.localdate()
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto(reverse("casework:supported_case", args=[case.reference]))
    assert page.get_by_role("heading", name="Your record of support").is_visible()
    assert_accessible(page)

    # Support started: a date in the future is refused in the error summary, the date typed kept.
    page.get_by_role("link", name="Record that support started").click()
    assert_accessible(page)
    fill_date(page, "When did support start?", today + timedelta(days=2))
    page.get_by_role("button", name="Save").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "The date support started must be today or in the past" in summary.inner_text()
    assert page.get_by_role("group", name="When did support start?").get_by_label("Day").input_value() == str(
        (today + timedelta(days=2)).day
    )
    screenshot(page, "casework/support-started-error")
    assert_accessible(page)
    fill_date(page, "When did support start?", today)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Support recorded as started").is_visible()
    assert SupportRecord.objects.get(case=case).started_on == today

    # The Recovery Needs Assessment.
    page.get_by_role("link", name="Record the Recovery Needs Assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    assert "Select the needs the assessment found" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    fill_date(page, "When was the assessment completed?", today)
    page.get_by_label("Safe accommodation").check()
    page.get_by_label("Legal advice (including immigration advice)").check()
    screenshot(page, "casework/support-rna")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Recovery Needs Assessment recorded").first.is_visible()
    assert page.locator('[data-testid="support-record"]').get_by_text("Safe accommodation").is_visible()

    # An extension of support, by the policy's days.
    case.refresh_from_db()
    new_end = timezone.localtime(case.support_ends_at).date() + timedelta(days=21)
    page.get_by_role("link", name="Extend support").click()
    assert page.get_by_text("Support can be extended by up to 90 days at a time").is_visible()
    assert_accessible(page)
    fill_date(page, "When should support now end?", new_end)
    page.get_by_label("The person needs more time to move on (accommodation, work or benefits)").check()
    screenshot(page, "casework/support-extend")
    page.get_by_role("button", name="Extend support").click()
    assert page.get_by_text(f"Support extended to {new_end:%-d %B %Y}").is_visible()
    screenshot(page, "casework/supported-person-with-record")
    assert_accessible(page)
    assert SupportExtension.objects.get(case=case).ends_on == new_end

    # The authority's manager (nobody works the case, so the managers were told) sees the record in the timeline.
    sign_out(page)
    manager = UserFactory(role=Role.MANAGER, organisation=case.authority)
    sign_in(page, manager.email, TEST_PASSWORD)
    page.goto(reverse("casework:case", args=[case.reference]))
    timeline = page.locator('[data-testid="timeline"]')
    assert timeline.get_by_text("Support provider started support").is_visible()
    assert timeline.get_by_text("Recovery Needs Assessment recorded").is_visible()
    assert timeline.get_by_text("Support extended").first.is_visible()
    assert_accessible(page)

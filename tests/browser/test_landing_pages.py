"""Every role lands on a page that starts with what is waiting for them, under the header naming their service:
signed in through the real form in a real browser, each landing page is checked by axe-core and photographed, and
its links open the work they count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.membership import membership_request_create
from accounts.roles import Role
from casework.models import Case, InformationRequest
from casework.services import single_competent_authority
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.casework.factories import case_in_state, staff_of, worked_case
from tests.casework.test_responder import ask, responder_of, supported_case_in_state
from tests.factories import TEST_PASSWORD, UserFactory
from tests.fixtures.project_data import ensure_project_data
from tests.panels.factories import PanelCaseFactory, panel_with_members

pytestmark = pytest.mark.browser


@pytest.fixture
def landing(browser, live_server, settings):
    """Signs a user in through the form (a fresh browser context each) and returns the page they land on."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    ensure_project_data()
    contexts = []

    def land(user):
        context, page = _new_page(browser, live_server)
        contexts.append(context)
        sign_in(page, user.email, TEST_PASSWORD)
        return page

    yield land
    for context in contexts:
        context.close()


def waiting_texts(page) -> list[str]:
    return [" ".join(text.split()) for text in page.get_by_test_id("waiting").locator("li").all_inner_texts()]


def check(page, name: str, service_name: str) -> None:
    assert page.locator(".govuk-service-navigation__service-name").inner_text().strip() == service_name
    assert page.title().endswith(f"{service_name} \N{EN DASH} GOV.UK")
    screenshot(page, f"landing/{name}")
    assert_accessible(page)


def test_a_first_responder_lands_on_their_questions_to_answer_and_finds_the_referral_flagged(landing):
    case = case_in_state(Case.Status.AWAITING_RG)
    overdue = ask(case)
    InformationRequest.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    page = landing(responder_of(case))
    assert waiting_texts(page) == ["1 information request to answer Overdue"]
    check(page, "first-responder", "Refer a potential victim of modern slavery")
    page.get_by_role("link", name="1 information request to answer").click()
    rows = page.get_by_test_id("referral")
    assert rows.count() == 1
    assert case.reference in rows.first.inner_text()
    assert rows.first.get_by_test_id("question-tag").inner_text() == "Information overdue"
    assert page.locator("#status").input_value() == "information_requested"
    assert_accessible(page)


def test_an_organisation_administrator_lands_on_the_requests_to_join(landing):
    admin = UserFactory(role=Role.ORGANISATION_ADMIN)
    asker = UserFactory(role=Role.FIRST_RESPONDER, organisation=admin.organisation, organisation_verified=False)
    membership_request_create(user=asker, organisation=admin.organisation)
    page = landing(admin)
    assert waiting_texts(page) == ["1 request to join your organisation"]
    check(page, "organisation-admin", "Refer a potential victim of modern slavery")


def test_caseworkers_and_managers_land_on_their_cases_reviews_and_overdue_work(landing):
    authority = single_competent_authority()
    caseworker, manager = staff_of(authority), staff_of(authority, Role.MANAGER)
    worked_case(caseworker=caseworker, manager=manager)
    late = worked_case(caseworker=caseworker, manager=manager)
    Case.objects.filter(pk=late.pk).update(
        rg_due_at=timezone.now() - timedelta(hours=3), next_deadline_at=timezone.now() - timedelta(hours=3)
    )
    case_in_state(Case.Status.AWAITING_RG, authority=caseworker.organisation)
    page = landing(caseworker)
    assert waiting_texts(page)[0] == "2 cases assigned to you 1 overdue"
    check(page, "caseworker", "Modern slavery casework")

    page = landing(manager)
    texts = waiting_texts(page)
    assert "1 overdue case" in texts
    assert "1 reasonable grounds decision past due" in texts
    assert "1 unassigned case" in texts
    check(page, "manager", "Modern slavery casework")
    page.get_by_role("link", name="1 reasonable grounds decision past due").click()
    assert late.reference in page.get_by_test_id("queue").inner_text()
    assert_accessible(page)


def test_panel_people_land_on_the_cases_waiting_for_their_view(landing):
    panel, _, members = panel_with_members()
    PanelCaseFactory(panel=panel, due_date=timezone.localdate() - timedelta(days=1))
    page = landing(members[0].user)
    assert waiting_texts(page) == ["1 case waiting for your review Overdue"]
    check(page, "panel-member", "Modern slavery casework")


def test_a_support_provider_lands_on_the_people_whose_support_ends_soon(landing):
    case = supported_case_in_state(Case.Status.CONFIRMED_VICTIM, opened_days_ago=60)
    Case.objects.filter(pk=case.pk).update(support_ends_at=timezone.now() + timedelta(days=6))
    page = landing(UserFactory(role=Role.SUPPORT_PROVIDER, organisation=case.support_provider))
    assert waiting_texts(page) == ["1 person whose support ends within 14 days"]
    check(page, "support-provider", "Modern slavery casework")


def test_a_caseworker_with_nothing_waiting_is_told_so(landing):
    page = landing(staff_of(single_competent_authority()))
    assert page.get_by_test_id("nothing-waiting").inner_text() == "Nothing is waiting for you."
    check(page, "caseworker-nothing-waiting", "Modern slavery casework")

"""The referring organisation's and the support provider's casework pages in a real browser: axe-core finds no
serious or critical violation on any of them, the forms work without JavaScript (a late request for
reconsideration with its exceptional circumstances), and each page is photographed into test-artifacts."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, Decision, InformationRequest, Reconsideration
from tests.browser.conftest import _new_page
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.casework.test_letters import adult_answers
from tests.casework.test_responder import ask, manager_of_sca, responder_of, supported_case_in_state, upload
from tests.factories import TEST_PASSWORD, SupportProviderFactory, UserFactory
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(browser, live_server, settings):
    """A page with JavaScript and one without, on a database holding what the data migrations load."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    ensure_project_data()
    contexts = []

    def new(**options):
        context, page = _new_page(browser, live_server, **options)
        contexts.append(context)
        return page

    yield new
    for context in contexts:
        context.close()


def test_the_responders_pages_are_accessible_and_work_without_javascript(pages):
    provider = SupportProviderFactory(name="Example Support Charity", nation=Nation.ENGLAND)
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=adult_answers())
    answered = ask(case, question="Which language do they prefer to be interviewed in?")
    from casework.services import information_request_answer

    information_request_answer(request_id=answered.pk, actor=responder_of(case), answer="Tigrinya.")
    open_request = ask(case, files=[upload("Interview record.pdf")])
    InformationRequest.objects.filter(pk=open_request.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    page = pages()
    sign_in(page, responder_of(case).email, TEST_PASSWORD)
    page.goto(reverse("referrals:detail", args=[case.reference]))
    assert page.get_by_role("link", name="Download letter").is_visible()
    screenshot(page, "casework/responder-referral-page")
    assert_accessible(page)

    page.get_by_role("link", name="Answer").click()
    page.get_by_role("button", name="Send your answer").click()  # nothing typed
    assert page.title().startswith("Error: ")
    screenshot(page, "casework/responder-answer-errors")
    assert_accessible(page)
    page.get_by_label("Your answer").fill("The interview record is attached.")
    page.get_by_label("Attach files (optional)").set_input_files(
        [{"name": "record.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    assert urlparse(page.url).path == reverse("referrals:detail", args=[case.reference])
    assert page.get_by_text("Your answer has been sent").is_visible()
    open_request.refresh_from_db()
    assert open_request.state == InformationRequest.State.ANSWERED
    assert open_request.files.filter(is_answer=True).count() == 1


def test_a_late_request_for_reconsideration_without_javascript(pages):
    from tests.casework.test_responder_downloads import serve_negative_cg

    provider = SupportProviderFactory(name="Example Support Charity", nation=Nation.ENGLAND)
    case = supported_case_in_state(Case.Status.AWAITING_CG, provider=provider, opened_days_ago=40)
    serve_negative_cg(case)
    manager_of_sca()
    Decision.objects.filter(case=case, stage="cg").update(
        reconsideration_deadline=timezone.localdate() - timedelta(days=2)
    )
    page = pages(java_script_enabled=False)
    sign_in(page, responder_of(case).email, TEST_PASSWORD)
    page.goto(reverse("referrals:detail", args=[case.reference]))
    screenshot(page, "casework/responder-referral-negative")
    page.get_by_role("link", name="Ask for reconsideration").click()
    screenshot(page, "casework/responder-reconsideration-late")
    page.get_by_label("New evidence", exact=True).check()
    page.get_by_label("Explain why the decision should be reconsidered").fill("A new statement from the employer.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for reconsideration").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("New evidence", exact=True).is_checked()
    page.get_by_label("Exceptional circumstances for asking after the last date").fill("In hospital all month.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for reconsideration").click()
    assert page.get_by_text("Your request for reconsideration").is_visible()
    request = Reconsideration.objects.get(case=case)
    assert (request.is_late, request.exceptional_circumstances) == (True, "In hospital all month.")


def test_the_support_providers_pages_are_accessible(pages):
    provider = SupportProviderFactory(name="Example Support Charity", nation=Nation.ENGLAND)
    staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    case = supported_case_in_state(Case.Status.RECOVERY, provider=provider, answers=adult_answers())
    for days in (5, 40):  # one ending soon, one not
        other = supported_case_in_state(Case.Status.RECOVERY, provider=provider)
        Case.objects.filter(pk=other.pk).update(support_ends_at=timezone.now() + timedelta(days=days))
    page = pages()
    sign_in(page, staff.email, TEST_PASSWORD)
    assert urlparse(page.url).path == reverse("casework:supported")
    assert page.get_by_text("5 days left").is_visible()
    screenshot(page, "casework/supported-people")
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    assert page.get_by_role("heading", name="Contacting the person").is_visible()
    screenshot(page, "casework/supported-person")
    assert_accessible(page)

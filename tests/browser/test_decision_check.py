"""A reasonable grounds decision through its check page, in a real browser: the warning that an information
request to the first responder is still open (on the form and the check page, not a block), the check page's
answers and what serving will do, "Change" keeping every answer, "Confirm and serve", and the case page's deadline
in words afterwards. axe-core checks each page (the driver's `seen`)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.factors import objective_factors_for
from casework.models import Case, Decision
from casework.services import case_assign, information_request_create
from tests.browser.casework_driver import Caseworker
from tests.browser.casework_driver.arrange import Browsers, adult_answers, load_reference_data, people, referral_fields
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_for(browser, live_server):
    browsers = Browsers(browser, live_server.url)
    yield browsers.new_page
    browsers.close()


def test_an_rg_decision_with_an_open_information_request_is_checked_changed_and_served(
    browser_for, live_server, demo_mode
):
    load_reference_data()
    cast = people()
    answers = adult_answers(cast.responder.organisation)
    referral = SubmittedReferralFactory(**referral_fields(cast.responder, answers))
    case = AwaitingRgCaseFactory(referral=referral)
    case = case_assign(case_id=case.pk, actor=cast.manager, assignee=cast.caseworker)
    request = information_request_create(case_id=case.pk, actor=cast.caseworker, question="Which town was it?")
    caseworker = Caseworker(browser_for(), cast.caseworker, set(), "decision-check/caseworker")
    caseworker.sign_in()
    caseworker.page.goto(f"{live_server.url}{case.get_absolute_url()}")

    caseworker.action("Make the reasonable grounds decision")
    warning = f"An information request to the first responder is still open (due {request.due_date:%-d %B %Y})"
    expect(caseworker.page.get_by_test_id("information-open")).to_contain_text(warning)
    outcome = caseworker.page.get_by_role("group", name="What is the reasonable grounds decision?")
    outcome.get_by_label("Positive", exact=True).check()
    factor = objective_factors_for(answers)[0].label
    caseworker.page.get_by_role("group", name="Which objective factors does the decision rely on?").get_by_label(
        factor, exact=True
    ).check()
    reasons = "The account is consistent with the indicators the first responder recorded."
    caseworker.page.get_by_label("Reasons for the decision").fill(reasons)
    caseworker.submit("Continue", doing="making the decision")

    expect(caseworker.heading()).to_have_text("Check the reasonable grounds decision")
    expect(caseworker.page.get_by_test_id("information-open")).to_contain_text(warning)
    effects = caseworker.page.get_by_test_id("decision-effects")
    expect(effects).to_contain_text("Recovery period")
    expect(effects).to_contain_text(cast.responder.organisation.name)
    caseworker.seen("check-with-open-request")
    assert case.decisions.count() == 0

    # Change: the form again with every answer; a new reason, checked again, then served.
    caseworker.press("Change reasons")
    expect(caseworker.page.get_by_label("Reasons for the decision")).to_have_value(reasons)
    expect(outcome.get_by_label("Positive", exact=True)).to_be_checked()
    expect(caseworker.page.get_by_label(factor, exact=True)).to_be_checked()
    caseworker.seen("decision-form-after-change")
    changed = f"{reasons} The interview dates confirm it."
    caseworker.page.get_by_label("Reasons for the decision").fill(changed)
    caseworker.submit("Continue", doing="checking the decision again")
    expect(caseworker.page.get_by_test_id("decision-answers")).to_contain_text(changed)
    caseworker.press("Confirm and serve")
    caseworker.expect_success("Positive reasonable grounds decision served")

    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    assert Decision.objects.get(case=case).reasons == changed
    deadlines = caseworker.page.get_by_test_id("deadlines")
    expect(deadlines).to_contain_text(f"Decided on {timezone.localdate():%-d %B}, within target")
    expect(deadlines).not_to_contain_text("Not running")
    caseworker.seen("case-after-checked-decision")

"""The casework journeys of issue 4 (section 8), in a real browser, as the people involved would act: each at
their own browser, signing in, following links and buttons by their names, filling in fields by their labels.

1. A caseworker gets the next case, asks the referring first responder for information, the responder answers it
   on their referral page, the caseworker makes a positive reasonable grounds decision; once the recovery period
   is over (the clock moved on) a positive conclusive grounds decision, whose letter downloads and names the case.
2. A caseworker proposes a negative conclusive grounds decision, a manager (the second reviewer) agrees, the letter
   is served to the referring organisation, which asks for reconsideration; the manager accepts and the case awaits
   a conclusive grounds decision again.

Every page of the journeys is checked with axe-core (no serious or critical violation) and photographed into
/tmp/casework-shots/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.deadlines import rg_lateness
from casework.factors import objective_factors_for
from casework.models import Case, Decision, InformationRequest, Policy, Reconsideration, ReviewRoute
from casework.services import cases_track_deadlines, default_due_date
from tests.browser.casework_driver import Caseworker, Manager, Responder
from tests.browser.casework_driver.arrange import (
    Browsers,
    People,
    adult_answers,
    load_reference_data,
    people,
    referral_fields,
)
from tests.browser.test_referral_journey import TINY_PDF
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    SubmittedReferralFactory,
    case_in_state,
)
from tests.factories import UserFactory
from tests.uploads.helpers import mark_scanned_clean

pytestmark = pytest.mark.browser


@pytest.fixture
def reference_data(live_server):
    load_reference_data()


@pytest.fixture(scope="session")
def axe_checked():
    """Pages axe-core has checked in this run: each page once, whichever journey reaches it first."""
    return set()


@pytest.fixture
def browser_for(browser, live_server):
    """`browser_for()`: a new page in a browser of its own, for one person."""
    browsers = Browsers(browser, live_server.url)
    yield browsers.new_page
    browsers.close()


def queue_with_the_most_urgent_case(cast: People, answers: dict) -> Case:
    """The authority's queue: the responder's referral, 10 days old and so past its reasonable grounds target, is
    the most urgent unassigned case. Others: a child's case sent today (children come after overdue cases), a
    more overdue case already assigned to a colleague, and a more overdue case of the other authority."""
    long_ago = timezone.now() - timedelta(days=10)
    referral = SubmittedReferralFactory(submitted_at=long_ago, **referral_fields(cast.responder, answers))
    case = AwaitingRgCaseFactory(referral=referral, opened_at=long_ago)
    assert case.is_overdue
    assert case.assignee is None

    AwaitingRgCaseFactory(referral=ChildReferralFactory())
    older = timezone.now() - timedelta(days=20)
    colleague = UserFactory(role=Role.CASEWORKER, organisation=cast.authority)
    AwaitingRgCaseFactory(referral=SubmittedReferralFactory(submitted_at=older), opened_at=older, assignee=colleague)
    other_authority = Organisation.objects.get(kind=Organisation.Kind.COMPETENT_AUTHORITY, short_name="IECA")
    AwaitingRgCaseFactory(
        referral=SubmittedReferralFactory(submitted_at=older), opened_at=older, authority=other_authority
    )
    return case


def test_next_case_information_request_positive_rg_then_positive_cg_with_its_letter(
    browser_for, reference_data, demo_mode, mailoutbox, axe_checked, tmp_path
):
    cast = people()
    answers = adult_answers(cast.responder.organisation)
    case = queue_with_the_most_urgent_case(cast, answers)
    factors = [factor.label for factor in objective_factors_for(answers)][:2]
    caseworker = Caseworker(browser_for(), cast.caseworker, axe_checked, "journey-1/caseworker")
    responder = Responder(browser_for(), cast.responder, axe_checked, "journey-1/responder", mailoutbox=mailoutbox)

    # The caseworker takes the most urgent case.
    caseworker.sign_in()
    caseworker.open_queue()
    reference = caseworker.get_next_case()
    assert reference == case.reference
    case.refresh_from_db()
    assert case.assignee == cast.caseworker

    # They ask the referring organisation a question, due by default in 10 working days.
    question = "Please send the dates of the two police interviews and the interpreter's language for each."
    due = caseworker.request_information(question, expected_due=default_due_date(case))
    information_request = InformationRequest.objects.get(case=case)
    assert (information_request.question, information_request.due_date, information_request.state) == (
        question,
        due,
        InformationRequest.State.OPEN,
    )

    # The first responder is told, sees the request on the referral's page and answers it.
    answer = "Interviewed on 3 and 10 March, both times with a Vietnamese interpreter."
    notes = tmp_path / "interview-notes.pdf"
    notes.write_bytes(TINY_PDF)
    responder.sign_in()
    responder.expect_notification(f"More information has been asked for on {reference}")
    responder.open_referral(reference)
    responder.answer_information_request(question, answer, files=(notes,))
    information_request.refresh_from_db()
    assert (information_request.state, information_request.answer) == (InformationRequest.State.ANSWERED, answer)
    assert [(f.original_name, f.is_answer) for f in information_request.files.all()] == [(notes.name, True)]
    mark_scanned_clean()  # what clamd does with a clean file (tests/uploads/test_scanning.py runs the real one)

    # The caseworker is told, finds the case among theirs, reads the answer and makes a positive RG decision.
    caseworker.expect_notification(f"Information has been provided on {reference}")
    caseworker.open_queue()
    caseworker.open_case_from_queue(reference, tab="Assigned to me")
    caseworker.expect_information_answer(question, answer, files=(notes.name,))
    rg_reasons = "The account is consistent and the responder's interview dates confirm it."
    caseworker.make_decision("reasonable grounds", "Positive", factors=factors, reasons=rg_reasons)
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    caseworker.expect_status(Case.Status.RECOVERY.label)
    # The case page says what became of the target (the referral was 10 days old), never "Not running".
    late = rg_lateness(case.rg_due_at, timezone.localdate())
    deadlines = caseworker.page.get_by_test_id("deadlines")
    days = "working day" if late == 1 else "working days"
    expect(deadlines).to_contain_text(f"Decided on {timezone.localdate():%-d %B}, {late} {days} late")
    expect(deadlines).not_to_contain_text("Not running")
    rg = Decision.objects.get(case=case, stage=Decision.Stage.RG)
    assert (rg.outcome, rg.state, rg.reasons) == (Decision.Outcome.POSITIVE, Decision.State.SERVED, rg_reasons)
    assert len(rg.factors) == len(factors)

    # The recovery period (30 days in England) passes; the daily job moves the case on. The caseworker's session
    # has long expired: they sign in again on the way to the queue.
    after_recovery = case.recovery_ends_at + timedelta(hours=9)
    with time_machine.travel(after_recovery, tick=True):
        assert cases_track_deadlines()["recovery_ended"] == 1
        caseworker.open_queue()
        caseworker.open_case_from_queue(reference, tab="Awaiting CG")
        caseworker.expect_status(Case.Status.AWAITING_CG.label)
        cg_reasons = "The further information and the recovery period's reports confirm the account."
        caseworker.make_decision("conclusive grounds", "Positive", factors=factors[:1], reasons=cg_reasons)
        case.refresh_from_db()
        assert case.status == Case.Status.CONFIRMED_VICTIM
        caseworker.expect_status(Case.Status.CONFIRMED_VICTIM.label)
        cg = Decision.objects.get(case=case, stage=Decision.Stage.CG)
        assert (cg.outcome, cg.state, cg.decision_date) == (
            Decision.Outcome.POSITIVE,
            Decision.State.SERVED,
            timezone.localdate(),
        )

        text = caseworker.download_letter("conclusive grounds", must_contain=reference)
    assert "conclusive grounds" in text.lower()


def test_negative_cg_agreed_by_a_second_reviewer_then_reconsidered_on_the_responders_request(
    browser_for, reference_data, demo_mode, mailoutbox, axe_checked
):
    cast = people()
    answers = adult_answers(cast.responder.organisation)
    # This nation's policy: a manager other than the decision maker reviews a negative conclusive grounds decision.
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.SECOND_REVIEWER)
    case = case_in_state(
        Case.Status.AWAITING_CG,
        opened_days_ago=40,
        caseworker=cast.caseworker,
        manager=cast.manager,
        authority=cast.authority,
        **referral_fields(cast.responder, answers),
    )
    reference = case.reference
    caseworker = Caseworker(browser_for(), cast.caseworker, axe_checked, "journey-2/caseworker")
    manager = Manager(browser_for(), cast.manager, axe_checked, "journey-2/manager")
    responder = Responder(browser_for(), cast.responder, axe_checked, "journey-2/responder", mailoutbox=mailoutbox)

    # The caseworker finds the case among theirs and proposes a negative conclusive grounds decision.
    caseworker.sign_in()
    caseworker.open_queue()
    caseworker.open_case_from_queue(reference, tab="Assigned to me")
    reasons = "The account changed materially between interviews and the evidence does not support it."
    factors = [objective_factors_for(answers)[0].label]
    main_reason = Decision.NegativeReason.CREDIBILITY
    caseworker.make_decision(
        "conclusive grounds", "Negative", factors=factors, reasons=reasons, negative_reason=main_reason.label
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW
    proposed = Decision.objects.get(case=case, stage=Decision.Stage.CG)
    assert (proposed.state, proposed.negative_reason) == (Decision.State.UNDER_REVIEW, main_reason)
    assert proposed.review_route == ReviewRoute.SECOND_REVIEWER
    caseworker.expect_status(Case.Status.CG_NEGATIVE_REVIEW.label)

    # The manager, a second reviewer, agrees: the decision is served with its letter.
    manager.sign_in()
    expect(manager.heading()).to_have_text("Team cases")
    manager.seen("team")
    manager.open_case_from_queue(reference, tab="Under review")
    manager.review_negative_decision(reasons, agree=True, negative_reason=main_reason.label)
    manager.expect_success("Negative conclusive grounds decision served")
    proposed.refresh_from_db()
    case.refresh_from_db()
    assert (proposed.state, proposed.reviewed_by) == (Decision.State.SERVED, cast.manager)
    assert case.status == Case.Status.CG_NEGATIVE_SERVED
    manager.expect_status(Case.Status.CG_NEGATIVE_SERVED.label)

    # The referring organisation sees the outcome, downloads the letter and asks for reconsideration.
    responder.sign_in()
    responder.expect_notification(f"A decision has been made on {reference}")
    responder.open_referral(reference)
    responder.expect_outcome("Conclusive grounds", "Negative")
    letter = responder.download_letter("Conclusive grounds", "Negative", must_contain=reference)
    # A negative decision's letter says how to ask for reconsideration, and until when.
    last_day = date_format(proposed.reconsideration_deadline, "j F Y")
    assert f"The last date to ask for reconsideration is {last_day}" in " ".join(letter.split())
    details = "A witness statement from the employer's former driver, taken last week, corroborates the account."
    responder.request_reconsideration(ground="New evidence", details=details)
    reconsideration = Reconsideration.objects.get(case=case)
    assert (reconsideration.state, reconsideration.details) == (Reconsideration.State.PENDING, details)
    assert reconsideration.grounds == [Reconsideration.Ground.NEW_EVIDENCE]

    # The manager is told and accepts: the case awaits a conclusive grounds decision again, the earlier one kept.
    # A served decision is no longer in the queue: the manager opens the case by its address.
    manager.expect_notification(f"A reconsideration has been requested on {reference}")
    manager.open_case(reference)
    manager.accept_reconsideration(details)
    reconsideration.refresh_from_db()
    case.refresh_from_db()
    assert reconsideration.state == Reconsideration.State.ACCEPTED
    assert case.status == Case.Status.AWAITING_CG
    manager.expect_status(Case.Status.AWAITING_CG.label)
    assert Decision.objects.get(case=case, stage=Decision.Stage.CG).state == Decision.State.SERVED

    # The responder is told; their referral page shows the request accepted and the case awaiting a decision.
    responder.expect_notification(f"A reconsideration has been decided on {reference}")
    responder.open_referral(reference)
    responder.expect_reconsideration("Accepted")
    responder.expect_status(Case.Status.AWAITING_CG.label)

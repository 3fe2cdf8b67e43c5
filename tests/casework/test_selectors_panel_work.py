"""casework's reads of independent panels' work, through casework.panel_port only: the case page's panel section
and decision rows, the decision a manager responds to, the returned decision shown to whoever decides again,
the queue's "Under review" rows, the letter of a decision-making panel's decision and the support dates after
a served negative decision."""

from datetime import timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Nation
from casework.letters import letter_context, letter_render_bytes, letter_template
from casework.models import Case, Decision, PanelResponse, Policy, ReviewRoute
from casework.panel_port import PanelWork, deciding_panel_in
from casework.queue import TABS_BY_SLUG, QueueFilters, queue_page
from casework.selectors.case_page import case_page_for, decision_awaiting_response_row, returned_decision_row
from casework.selectors.supported import support_dates
from casework.services import decision_panel_respond
from panels.models import PanelCase
from panels.services import panel_review_conclude, panel_view_record
from tests.casework.factories import case_in_state, make_decision
from tests.casework.test_letters import text_of
from tests.casework.test_responder import private_media  # noqa: F401 - the autouse fixture of these tests too
from tests.panels.factories import panel_with_members

pytestmark = pytest.mark.django_db

PANEL_NAME = "Eastern assurance panel"
PANEL_REASONS = "The decision did not weigh the medical evidence the first responder sent."


@pytest.fixture
def panel(project_data):
    return panel_with_members(name=PANEL_NAME)


def under_review(caseworker, manager) -> Case:
    return case_in_state(
        Case.Status.CG_NEGATIVE_REVIEW,
        caseworker=caseworker,
        manager=manager,
        authority=caseworker.organisation,
        opened_days_ago=40,
    )


def recommend(case, panel) -> Case:
    _, chair, members = panel
    panel_case = PanelCase.objects.get(case=case, state=PanelCase.State.OPEN)
    for seat in members:
        panel_view_record(
            panel_case_id=panel_case.pk, actor=seat.user, opinion="recommend_reconsideration", reasons=PANEL_REASONS
        )
    panel_review_conclude(
        panel_case_id=panel_case.pk, actor=chair.user, recommendation="recommend_reconsideration", reasons=PANEL_REASONS
    )
    case.refresh_from_db()
    return case


def page_of(user, case):
    case = Case.objects.select_related("referral__organisation", "merged_into").get(pk=case.pk)
    return case_page_for(user=user, case=case)


# The case page ------------------------------------------------------------------------------------------------


def test_the_case_page_holds_the_panel_work_and_names_the_panel_on_the_decision_it_reviews(caseworker, manager, panel):
    case = under_review(caseworker, manager)
    page = page_of(caseworker, case)
    (work,) = page.panel_work
    decision = case.decisions.get(stage="cg")
    assert (work.panel_name, work.kind, work.stage, work.decision_id) == (PANEL_NAME, "review", "cg", decision.pk)
    (row,) = [row for row in page.decisions if row.pk == decision.pk]
    assert row.panel_name == PANEL_NAME
    assert row.by_panel
    assert row.respond_url == ""


def test_only_a_manager_gets_the_response_link_of_a_decision_awaiting_it(caseworker, manager, panel):
    case = recommend(under_review(caseworker, manager), panel)
    for user, linked in ((manager, True), (caseworker, False)):
        (row,) = [row for row in page_of(user, case).decisions if row.awaits_response_to_panel]
        assert row.state_label == "Panel recommends reconsideration"
        assert bool(row.respond_url) is linked
        assert row.review_reasons == PANEL_REASONS


def test_the_decision_awaiting_a_response_is_found_with_its_panel(caseworker, manager, panel):
    case = under_review(caseworker, manager)
    decision = case.decisions.get(stage="cg")
    assert decision_awaiting_response_row(case) == (decision.pk, None)  # still with the panel: nothing waits
    recommend(case, panel)
    decision_id, row = decision_awaiting_response_row(case)
    assert decision_id == decision.pk
    assert row.panel_name == PANEL_NAME
    assert row.review_reasons == PANEL_REASONS


def test_a_case_without_decisions_has_nothing_to_respond_to(caseworker, manager):
    case = case_in_state(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager)
    assert decision_awaiting_response_row(case) == (None, None)


def test_the_returned_decision_carries_the_panel_and_the_authoritys_response_until_it_is_made_again(
    caseworker, manager, panel
):
    case = recommend(under_review(caseworker, manager), panel)
    assert returned_decision_row(case, "cg") is None  # waiting for the manager, not returned yet
    decision = case.decisions.get(stage="cg")
    decision_panel_respond(
        decision_id=decision.pk, actor=manager, response=PanelResponse.RECONSIDER, reasons="Look again."
    )
    case.refresh_from_db()
    row = returned_decision_row(case, "cg")
    assert row.pk == decision.pk
    assert row.panel_name == PANEL_NAME
    assert row.review_reasons == PANEL_REASONS
    assert row.authority_response == PanelResponse.RECONSIDER
    assert row.authority_response_label == "Reconsider the decision"
    assert row.authority_response_reasons == "Look again."
    assert row.authority_responded_by_name == "Morgan Manager"
    assert returned_decision_row(case, "rg") is None
    make_decision(case, caseworker, stage="cg", outcome="positive")
    case.refresh_from_db()
    assert returned_decision_row(case, "cg") is None


# The queue ----------------------------------------------------------------------------------------------------


def rows_of(user, slug="under_review"):
    listing = queue_page(user=user, tab=TABS_BY_SLUG[slug], filters=QueueFilters(), page_number=1, now=timezone.now())
    return {row.case.pk: row for row in listing.rows}


def test_the_under_review_rows_carry_the_open_panel_review_or_none_for_a_second_reviewer(caseworker, manager, panel):
    by_panel = under_review(caseworker, manager)
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.SECOND_REVIEWER)
    by_reviewer = under_review(caseworker, manager)
    # An earlier, concluded review of the panel's case: the open one is shown.
    PanelCase.objects.create(
        panel=panel[0],
        case=by_panel,
        kind=PanelCase.Kind.REVIEW,
        stage="cg",
        due_date=timezone.localdate() - timedelta(days=30),
        state=PanelCase.State.CONCLUDED,
        concluded_at=timezone.now() - timedelta(days=29),
        routed_at=timezone.now() + timedelta(minutes=1),  # newest, yet concluded
    )
    rows = rows_of(manager)
    assert rows[by_panel.pk].panel_review.is_open
    assert rows[by_panel.pk].panel_review.panel_name == PANEL_NAME
    assert rows[by_reviewer.pk].panel_review is None


def test_a_recommendation_waiting_for_the_manager_shows_in_the_under_review_row(caseworker, manager, panel):
    case = recommend(under_review(caseworker, manager), panel)
    review = rows_of(manager)[case.pk].panel_review
    assert not review.is_open
    assert review.recommendation_label == "Recommend reconsideration"


def test_other_tabs_carry_no_panel_review(caseworker, manager, panel):
    case = under_review(caseworker, manager)
    Case.objects.filter(pk=case.pk).update(assignee=manager)
    assert rows_of(manager, "mine")[case.pk].panel_review is None


# Letters ------------------------------------------------------------------------------------------------------


def test_a_decision_making_panels_letter_names_the_panel_as_the_decision_maker(caseworker, manager):
    case = case_in_state(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    decision = case.decisions.get()
    Decision.objects.filter(pk=decision.pk).update(decision_maker_name="South West regional panel")
    letter = decision.letter
    letter.refresh_from_db()
    html = render_to_string(letter_template(letter.decision), letter_context(letter))
    assert letter_context(letter)["decision_maker"] == "South West regional panel"
    assert "This decision was made by the South West regional panel" in html
    assert '<p data-part="signature">South West regional panel</p>' in html
    assert '<div class="sender" data-part="sender">South West regional panel<br>' in html
    assert "South West regional panel" in text_of(letter_render_bytes(letter))


def test_an_authoritys_letter_still_names_the_authority(caseworker, manager):
    case = case_in_state(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    letter = case.decisions.get().letter
    html = render_to_string(letter_template(letter.decision), letter_context(letter))
    assert f'<p data-part="signature">{case.authority}</p>' in html
    assert "This decision was made by the" not in html


def test_a_maintained_decisions_letter_says_the_panel_recommended_reconsidering_it(caseworker, manager, panel):
    case = recommend(under_review(caseworker, manager), panel)
    decision = case.decisions.get(stage="cg")
    decision_panel_respond(
        decision_id=decision.pk, actor=manager, response=PanelResponse.MAINTAIN, reasons="The records contradict it."
    )
    decision.refresh_from_db()
    text = text_of(letter_render_bytes(decision.letter))
    assert "which recommended that it be reconsidered" in text
    assert "decided to maintain the decision" in text
    assert "who agreed with it" not in text


# Support dates ------------------------------------------------------------------------------------------------


def test_support_reads_as_ended_once_its_moment_has_passed_on_its_last_day(caseworker, manager):
    case = case_in_state(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    ends = timezone.now() + timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(support_ends_at=ends)
    case.refresh_from_db()
    assert not support_dates(case, today=timezone.localdate()).ended
    with time_machine.travel(ends + timedelta(minutes=1), tick=False):
        dates = support_dates(case, today=timezone.localdate())
        assert dates.ended
        assert not dates.ending_soon


def test_the_panel_work_read_for_the_case_page_names_the_deciding_panel_unless_several_are_open():
    def work(name, kind="decision", stage="rg", is_open=True):
        return PanelWork(
            case_id=1, decision_id=None, panel_name=name, kind=kind, stage=stage, due_date=timezone.localdate(),
            status_label="With the panel", is_open=is_open, is_overdue=False,
        )  # fmt: skip

    assert deciding_panel_in([], "rg") == ""
    others = [work("Reviewing", kind="review"), work("Done", is_open=False), work("Of CG", stage="cg")]
    assert deciding_panel_in(others, "rg") == ""
    assert deciding_panel_in([*others, work("Devon panel")], "rg") == "Devon panel"
    assert deciding_panel_in([work("Devon panel"), work("Cornwall panel")], "rg") is None  # the panels say which

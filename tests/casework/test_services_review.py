"""The one review seam (casework.services.decision_review_conclude): a second reviewer's or an independent
panel's conclusion on a negative decision, with the case's lock and checks owned by casework."""

import pytest

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.lifecycle import ReviewOutcome
from casework.models import Case, CaseEvent, Letter, PanelResponse, Policy, ReviewRoute
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    decision_panel_respond,
    decision_review_conclude,
)
from notifications.models import Notification
from tests.casework.factories import make_decision, recovery_case
from tests.factories import OrganisationFactory, UserFactory
from tests.panels.factories import panel_with_members

pytestmark = pytest.mark.django_db
Status = Case.Status


@pytest.fixture
def panel():
    return panel_with_members(members=2)


@pytest.fixture
def panel_chair(panel):
    return panel[1].user


@pytest.fixture
def before_the_panel(caseworker, manager, panel):
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.PANEL)
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    return make_decision(case, caseworker, stage="cg", outcome="negative")


def test_the_panels_chair_agrees_and_the_decision_is_served_with_the_route_in_the_timeline(
    before_the_panel, panel_chair
):
    decision_review_conclude(decision_id=before_the_panel.pk, actor=panel_chair, outcome=ReviewOutcome.AGREE)
    case = before_the_panel.case
    case.refresh_from_db()
    assert case.status == Status.CG_NEGATIVE_SERVED
    assert Letter.objects.filter(decision=before_the_panel).exists()
    agreed = case.events.get(kind=CaseEvent.Kind.DECISION_AGREED)
    served = case.events.filter(kind=CaseEvent.Kind.DECISION_SERVED).last()  # the RG was served first
    assert (agreed.data["route"], agreed.actor) == ("panel", panel_chair)
    assert (served.data["from_status"], served.data["to_status"]) == ("cg_negative_review", "cg_negative_served")


def test_a_panel_recommending_reconsideration_waits_for_a_managers_response_with_its_reasons(
    before_the_panel, panel_chair, caseworker, manager
):
    decision_review_conclude(
        decision_id=before_the_panel.pk,
        actor=panel_chair,
        outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
        reasons="The account is corroborated by the new evidence.",
    )
    before_the_panel.refresh_from_db()
    case = before_the_panel.case
    case.refresh_from_db()
    assert case.status == Status.CG_NEGATIVE_REVIEW
    assert (before_the_panel.state, before_the_panel.review_reasons) == (
        "recommended",
        "The account is corroborated by the new evidence.",
    )
    recommended = case.events.get(kind=CaseEvent.Kind.RECONSIDERATION_RECOMMENDED)
    assert (recommended.data["from_status"], recommended.data["to_status"]) == (
        "cg_negative_review",
        "cg_negative_review",
    )
    assert Notification.objects.filter(recipient=manager, kind=Notification.Kind.PANEL_RECOMMENDATION).count() == 1


def test_the_manager_reconsiders_and_the_decision_goes_back_to_its_maker(before_the_panel, panel_chair, manager):
    decision_review_conclude(
        decision_id=before_the_panel.pk,
        actor=panel_chair,
        outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
        reasons="The indicators were not weighed.",
    )
    decision_panel_respond(decision_id=before_the_panel.pk, actor=manager, response=PanelResponse.RECONSIDER)
    before_the_panel.refresh_from_db()
    case = before_the_panel.case
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CG
    assert (before_the_panel.state, before_the_panel.authority_response) == ("returned", "reconsider")
    assert before_the_panel.review_reasons == "The indicators were not weighed."  # the panel's, kept apart
    answered = case.events.get(kind=CaseEvent.Kind.PANEL_RECOMMENDATION_ANSWERED)
    assert (answered.data["response"], answered.data["to_status"]) == ("reconsider", "awaiting_cg")


def test_the_manager_maintains_the_decision_with_a_justification_and_it_is_served(
    before_the_panel, panel_chair, manager, caseworker
):
    decision_review_conclude(
        decision_id=before_the_panel.pk,
        actor=panel_chair,
        outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
        reasons="The indicators were not weighed.",
    )
    with pytest.raises(InvalidInput, match="Enter why the authority maintains the decision"):
        decision_panel_respond(decision_id=before_the_panel.pk, actor=manager, response=PanelResponse.MAINTAIN)
    with pytest.raises(NotPermitted):
        decision_panel_respond(
            decision_id=before_the_panel.pk, actor=caseworker, response=PanelResponse.MAINTAIN, reasons="No."
        )
    decision_panel_respond(
        decision_id=before_the_panel.pk,
        actor=manager,
        response=PanelResponse.MAINTAIN,
        reasons="The new evidence does not bear on the material facts.",
    )
    before_the_panel.refresh_from_db()
    case = before_the_panel.case
    case.refresh_from_db()
    assert case.status == Status.CG_NEGATIVE_SERVED
    assert before_the_panel.state == "served"
    assert before_the_panel.authority_response_reasons == "The new evidence does not bear on the material facts."
    assert Letter.objects.filter(decision=before_the_panel).exists()
    with pytest.raises(IllegalTransition):
        decision_panel_respond(
            decision_id=before_the_panel.pk, actor=manager, response=PanelResponse.MAINTAIN, reasons="Again."
        )


def test_only_a_panels_chair_concludes_a_panel_review_and_only_a_manager_a_second_review(
    before_the_panel, manager, caseworker
):
    member = UserFactory(role=Role.PANEL_MEMBER, organisation=OrganisationFactory(kind=Organisation.Kind.PANEL_BODY))
    other_chair = panel_with_members(members=0, name="Another panel")[1].user
    for outsider in (manager, caseworker, member, other_chair):
        with pytest.raises(NotPermitted, match="chair of the panel reviewing this decision"):
            decision_review_conclude(decision_id=before_the_panel.pk, actor=outsider, outcome=ReviewOutcome.AGREE)
    with pytest.raises(IllegalTransition, match="independent panel reviews"):
        decision_review_conclude(
            decision_id=before_the_panel.pk,
            actor=manager,
            outcome=ReviewOutcome.AGREE,
            route=ReviewRoute.SECOND_REVIEWER,
        )
    before_the_panel.case.refresh_from_db()
    assert before_the_panel.case.status == Status.CG_NEGATIVE_REVIEW


def test_returning_needs_reasons_whoever_reviews(before_the_panel, panel_chair):
    with pytest.raises(InvalidInput) as error:
        decision_review_conclude(
            decision_id=before_the_panel.pk, actor=panel_chair, outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION
        )
    assert error.value.field == "reasons"


def test_a_panel_never_returns_a_decision_itself(before_the_panel, panel_chair):
    with pytest.raises(InvalidInput, match="agrees with the decision or recommends"):
        decision_review_conclude(
            decision_id=before_the_panel.pk, actor=panel_chair, outcome=ReviewOutcome.RETURN, reasons="No."
        )


def test_with_no_active_panel_covering_the_case_a_second_reviewer_reviews_it(caseworker, manager):
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.PANEL)
    case = recovery_case(caseworker=caseworker, manager=manager, rg_days_ago=31)
    decision = make_decision(case, caseworker, stage="cg", outcome="negative")
    assert decision.review_route == ReviewRoute.SECOND_REVIEWER
    assert Notification.objects.filter(recipient=manager, kind=Notification.Kind.REVIEW_NEEDED).exists()

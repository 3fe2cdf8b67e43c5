"""The one review seam (casework.services.decision_review_conclude): a second reviewer's or an independent
panel's conclusion on a negative decision, with the case's lock and checks owned by casework."""

import pytest

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.lifecycle import ReviewOutcome
from casework.models import Case, CaseEvent, Letter, Policy, ReviewRoute
from casework.services import IllegalTransition, NotPermitted, decision_review_conclude
from tests.casework.factories import make_decision, recovery_case
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Case.Status


@pytest.fixture
def panel_chair():
    return UserFactory(
        role=Role.PANEL_CHAIR, organisation=OrganisationFactory(kind=Organisation.Kind.PANEL_BODY, name="Panel North")
    )


@pytest.fixture
def before_the_panel(caseworker, manager):
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


def test_a_panel_recommending_reconsideration_sends_the_decision_back_with_its_reasons(
    before_the_panel, panel_chair, caseworker
):
    decision_review_conclude(
        decision_id=before_the_panel.pk,
        actor=panel_chair,
        outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
        reasons="The account is corroborated by the new evidence.",
    )
    before_the_panel.refresh_from_db()
    case = before_the_panel.case
    assert case.status == Status.AWAITING_CG
    assert (before_the_panel.state, before_the_panel.review_reasons) == (
        "returned",
        "The account is corroborated by the new evidence.",
    )
    returned = case.events.get(kind=CaseEvent.Kind.DECISION_RETURNED)
    assert returned.data["outcome"] == "recommend_reconsideration"
    assert (returned.data["from_status"], returned.data["to_status"]) == ("cg_negative_review", "awaiting_cg")


def test_only_a_panels_chair_concludes_a_panel_review_and_only_a_manager_a_second_review(
    before_the_panel, manager, caseworker
):
    member = UserFactory(role=Role.PANEL_MEMBER, organisation=OrganisationFactory(kind=Organisation.Kind.PANEL_BODY))
    for outsider in (manager, caseworker, member):
        with pytest.raises(NotPermitted, match="chair of an independent panel"):
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
    from casework.services import InvalidInput

    with pytest.raises(InvalidInput) as error:
        decision_review_conclude(decision_id=before_the_panel.pk, actor=panel_chair, outcome=ReviewOutcome.RETURN)
    assert error.value.field == "reasons"

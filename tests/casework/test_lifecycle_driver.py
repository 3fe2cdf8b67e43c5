"""Every state of the lifecycle is reachable through the services alone (the demo seed relies on it)."""

import pytest

from casework.lifecycle_driver import case_policy_overridden, negative_reason_for
from casework.models import Case, CaseEvent, Decision, Policy, ReviewRoute
from casework.services import IllegalTransition
from tests.casework.factories import case_in_any_state, case_in_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [s for s in Case.Status if s != Case.Status.MERGED])
def test_every_state(status):
    case = case_in_state(status, opened_days_ago=130)
    assert case.status == status


def test_merged():
    other = case_in_state(Case.Status.AWAITING_RG)
    case = case_in_state(Case.Status.MERGED, other=other)
    assert case.merged_into == other


@pytest.mark.parametrize("status", [s for s in Case.Status if s not in (Case.Status.MERGED, Case.Status.WITHDRAWN)])
def test_every_state_of_a_childs_case(status):
    assert case_in_state(status, opened_days_ago=130, child=True).status == status


def test_a_childs_case_is_never_driven_to_withdrawn():
    with pytest.raises(IllegalTransition, match="child's case"):
        case_in_state(Case.Status.WITHDRAWN, child=True)


NEGATIVE_STATES = [
    Case.Status.RG_NEGATIVE_REVIEW,
    Case.Status.RG_NEGATIVE_SERVED,
    Case.Status.CG_NEGATIVE_REVIEW,
    Case.Status.CG_NEGATIVE_SERVED,
]


@pytest.mark.parametrize("status", NEGATIVE_STATES)
def test_a_driven_negative_decision_has_a_published_main_reason_and_a_positive_one_none(status):
    case = case_in_state(status, opened_days_ago=40)
    negative = case.decisions.get(outcome=Decision.Outcome.NEGATIVE)
    assert negative.negative_reason == negative_reason_for(case)
    assert negative.negative_reason in Decision.NegativeReason.values
    positive = case.decisions.filter(outcome=Decision.Outcome.POSITIVE)
    assert not positive.exclude(negative_reason="").exists()


def test_the_driver_gives_each_published_main_reason_in_turn():
    cases = [case_in_state(Case.Status.RG_NEGATIVE_REVIEW) for _ in Decision.NegativeReason]  # consecutive ids
    assert {case.decisions.get().negative_reason for case in cases} == set(Decision.NegativeReason.values)


@pytest.mark.parametrize("status", list(Case.Status))
def test_the_driven_case_has_the_history_and_timeline_the_services_wrote(status):
    case = case_in_any_state(status)
    newest = case.history.order_by("-history_date", "-history_id").first()
    assert (newest.status, newest.assignee_id) == (case.status, case.assignee_id)
    assert case.history.count() >= case.version  # one row per save, each service's save a version
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == CaseEvent.Kind.OPENED
    if status != Case.Status.AWAITING_RG:
        assert CaseEvent.Kind.ASSIGNED in kinds


@pytest.mark.parametrize("status", list(Case.Status))
def test_driving_a_case_never_writes_a_policy_row(status):
    before = list(Policy.objects.order_by("nation").values())
    history_before = Policy.history.count()
    case_in_any_state(status)
    assert list(Policy.objects.order_by("nation").values()) == before
    assert Policy.history.count() == history_before


@pytest.mark.parametrize(
    ("status", "overridden"),
    [
        (Case.Status.RG_NEGATIVE_SERVED, {"review_negative_rg": True}),
        (Case.Status.CG_NEGATIVE_SERVED, {"negative_cg_review_route": "second_reviewer"}),
    ],
)
def test_a_review_route_the_state_needs_is_the_cases_own_for_one_decision_and_its_history_says_so(status, overridden):
    Policy.objects.update(review_negative_rg=False, negative_cg_review_route=ReviewRoute.PANEL)
    case = case_in_state(status, opened_days_ago=40)
    assert case.policy_overrides == {}  # put back after the decision
    history = case.history.order_by("history_date", "history_id")
    reasons = list(history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True))
    assert reasons == [
        f"Policy overridden for this case: {', '.join(overridden)}",
        "Policy overrides of this case put back",
    ]
    assert overridden in [row.policy_overrides for row in history]
    assert not Policy.objects.filter(review_negative_rg=True).exists()
    assert not Policy.objects.exclude(negative_cg_review_route=ReviewRoute.PANEL).exists()


def test_the_driver_keeps_overrides_the_case_already_had():
    case = case_in_state(Case.Status.AWAITING_RG)
    case.policy_overrides = {"recovery_days": 20}
    case.save(update_fields=["policy_overrides"])
    with case_policy_overridden(case, actor=None, review_negative_rg=False):
        case.refresh_from_db()
        assert case.policy_overrides == {"recovery_days": 20, "review_negative_rg": False}
    case.refresh_from_db()
    assert case.policy_overrides == {"recovery_days": 20}


def test_states_after_the_recovery_period_need_an_old_enough_case():
    with pytest.raises(ValueError, match="Open the case at least"):
        case_in_state(Case.Status.AWAITING_CG, opened_days_ago=10)
    with pytest.raises(ValueError, match="needs the case it duplicates"):
        case_in_state(Case.Status.MERGED)

"""Every state of the lifecycle is reachable through the services alone (the demo seed relies on it)."""

import pytest

from casework.models import Case, CaseEvent, Policy
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


@pytest.mark.parametrize("status", [Case.Status.RG_NEGATIVE_SERVED, Case.Status.CG_NEGATIVE_SERVED])
def test_driving_a_case_leaves_the_policy_as_it_was(status):
    before = list(Policy.objects.order_by("nation").values())
    case_in_state(status, opened_days_ago=40)
    assert list(Policy.objects.order_by("nation").values()) == before


def test_states_after_the_recovery_period_need_an_old_enough_case():
    with pytest.raises(ValueError, match="Open the case at least"):
        case_in_state(Case.Status.AWAITING_CG, opened_days_ago=10)
    with pytest.raises(ValueError, match="needs the case it duplicates"):
        case_in_state(Case.Status.MERGED)

"""Who works a case (casework.services.assignment): "Get next case", a manager's assignment of one case or many,
a caseworker taking a case for themselves, and releasing it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from casework.lifecycle.states import STATUS_IN_WORDS
from casework.models import Case, CaseEvent
from casework.services import (
    IllegalTransition,
    NotPermitted,
    StaleCase,
    case_assign,
    case_claim_next,
    case_release,
    cases_assign,
)
from notifications.models import Notification
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    SubmittedReferralFactory,
    assert_transition,
    case_in_any_state,
    case_in_state,
    staff_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CLOSED_STATES = {Case.Status.MERGED, Case.Status.CLOSED, Case.Status.WITHDRAWN, Case.Status.DISQUALIFIED}


def waiting_case(*, due_in: timedelta, opened_days_ago: int = 1, child: bool = False, **fields) -> Case:
    """An unassigned case awaiting RG, its next deadline `due_in` from now."""
    opened_at = timezone.now() - timedelta(days=opened_days_ago)
    referral = (ChildReferralFactory if child else SubmittedReferralFactory)(submitted_at=opened_at)
    return AwaitingRgCaseFactory(
        referral=referral,
        opened_at=opened_at,
        rg_due_at=timezone.now() + due_in,
        next_deadline_at=timezone.now() + due_in,
        **fields,
    )


def unassigned_in_state(status, manager) -> Case:
    case = case_in_any_state(status, manager=manager)
    return case_release(case_id=case.pk, actor=manager) if case.assignee_id else case


def test_get_next_case_takes_the_most_urgent_first(sca, ieca, caseworker, manager):
    far = waiting_case(due_in=timedelta(days=10))
    near = waiting_case(due_in=timedelta(days=2))
    older_same_deadline = waiting_case(due_in=timedelta(days=2), opened_days_ago=5)
    Case.objects.filter(pk=older_same_deadline.pk).update(next_deadline_at=near.next_deadline_at)
    child = waiting_case(due_in=timedelta(days=20), child=True)
    overdue = waiting_case(due_in=-timedelta(hours=1))
    # Never handed out: assigned already, another authority's, or not waiting for a caseworker's decision.
    waiting_case(due_in=-timedelta(days=3), assignee=staff_of(sca))
    waiting_case(due_in=-timedelta(days=3), authority=ieca)
    for status in (
        Case.Status.RG_NEGATIVE_REVIEW,
        Case.Status.SUSPENDED,
        Case.Status.CONFIRMED_VICTIM,
        Case.Status.RG_NEGATIVE_SERVED,
    ):
        unassigned_in_state(status, manager)
    claimed = []
    while (case := case_claim_next(actor=caseworker)) is not None:
        claimed.append(case)
    assert claimed == [overdue, child, older_same_deadline, near, far]
    for case in claimed:
        assert_transition(case, version_before=1, kind=CaseEvent.Kind.ASSIGNED, changed=("assignee",))
        assert case.assignee == caseworker
        assert case.events.last().data == {
            "assignee_id": caseworker.pk,
            "previous_assignee_id": None,
            "from_status": case.status,
            "to_status": case.status,
        }
    assert case_claim_next(actor=caseworker) is None


def test_get_next_case_returns_nothing_when_the_queue_is_empty(caseworker):
    assert case_claim_next(actor=caseworker) is None


@pytest.mark.parametrize("role", [Role.FIRST_RESPONDER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.ANALYST])
def test_only_authority_staff_get_the_next_case(role):
    waiting_case(due_in=timedelta(days=1))
    with pytest.raises(NotPermitted, match="Only caseworkers and managers"):
        case_claim_next(actor=UserFactory(role=role))
    assert Case.objects.filter(assignee__isnull=True).count() == 1


def test_a_manager_assigns_and_reassigns_and_the_assignee_is_told(sca, caseworker, manager):
    case = case_in_state(Case.Status.AWAITING_RG)
    case_assign(case_id=case.pk, actor=manager, assignee=caseworker, expected_version=1)
    assert_transition(case, version_before=1, kind=CaseEvent.Kind.ASSIGNED, changed=("assignee",))
    colleague = staff_of(sca)
    case_assign(case_id=case.pk, actor=manager, assignee=colleague)
    assert_transition(case, version_before=2, kind=CaseEvent.Kind.ASSIGNED, changed=("assignee",))
    assert case.events.last().data == {
        "assignee_id": colleague.pk,
        "previous_assignee_id": caseworker.pk,
        "from_status": case.status,
        "to_status": case.status,
    }
    for user in (caseworker, colleague):
        assert Notification.objects.filter(recipient=user, kind=Notification.Kind.CASE_ASSIGNED).count() == 1
    case_assign(case_id=case.pk, actor=manager, assignee=colleague)  # already theirs: nothing changes
    case.refresh_from_db()
    assert (case.version, case.events.filter(kind="assigned").count()) == (3, 2)
    with pytest.raises(StaleCase):
        case_assign(case_id=case.pk, actor=manager, assignee=caseworker, expected_version=2)
    case.refresh_from_db()
    assert case.assignee == colleague


def test_a_case_is_assigned_only_to_active_staff_of_its_authority(ieca, manager, sca):
    case = case_in_state(Case.Status.AWAITING_RG)
    for assignee in (
        staff_of(ieca),
        UserFactory(role=Role.FIRST_RESPONDER),
        staff_of(sca, Role.ANALYST),
        staff_of(sca, is_active=False),
    ):
        with pytest.raises(NotPermitted, match="does not work for the authority"):
            case_assign(case_id=case.pk, actor=manager, assignee=assignee)
    with pytest.raises(NotPermitted, match="Only staff of the authority"):
        case_assign(case_id=case.pk, actor=staff_of(ieca, Role.MANAGER), assignee=staff_of(ieca))
    case.refresh_from_db()
    assert (case.assignee, case.version) == (None, 1)


@pytest.mark.parametrize("status", list(Case.Status))
def test_closed_cases_cannot_be_assigned(status, manager, caseworker):
    case = unassigned_in_state(status, manager)
    if status in CLOSED_STATES:
        refusal = f"{case.reference} {STATUS_IN_WORDS[status]}: it cannot be assigned"
        with pytest.raises(IllegalTransition, match=refusal):
            case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
        case.refresh_from_db()
        assert case.assignee is None
    else:
        assert case_assign(case_id=case.pk, actor=manager, assignee=caseworker).assignee == caseworker


def test_a_manager_assigns_many_cases_at_once(manager, caseworker):
    cases = [case_in_state(Case.Status.AWAITING_RG) for _ in range(3)]
    assigned = cases_assign(case_ids=[case.pk for case in reversed(cases)], actor=manager, assignee=caseworker)
    assert [case.pk for case in assigned] == sorted(case.pk for case in cases)
    assert set(Case.objects.values_list("assignee", flat=True)) == {caseworker.pk}


@pytest.mark.parametrize("spoiler", ["other_authority", "closed"])
def test_assigning_many_is_all_or_nothing(ieca, manager, caseworker, spoiler):
    cases = [case_in_state(Case.Status.AWAITING_RG) for _ in range(2)]
    if spoiler == "other_authority":
        bad, error = case_in_state(Case.Status.AWAITING_RG, authority=ieca), NotPermitted
    else:
        bad, error = case_in_state(Case.Status.WITHDRAWN, manager=manager), IllegalTransition
    Case.objects.filter(pk=bad.pk).update(assignee=None)
    with pytest.raises(error):
        cases_assign(case_ids=[cases[0].pk, bad.pk, cases[1].pk], actor=manager, assignee=caseworker)
    assert not Case.objects.filter(assignee=caseworker).exists()
    assert not CaseEvent.objects.filter(kind="assigned", data__assignee_id=caseworker.pk).exists()


def test_only_a_manager_assigns_many(caseworker):
    case = case_in_state(Case.Status.AWAITING_RG)
    with pytest.raises(NotPermitted, match="Only a manager"):
        cases_assign(case_ids=[case.pk], actor=caseworker, assignee=caseworker)


def test_a_caseworker_takes_an_unassigned_case_only_for_themselves(sca, caseworker):
    case = case_in_state(Case.Status.AWAITING_RG)
    colleague = staff_of(sca)
    with pytest.raises(NotPermitted, match="Only a manager can assign a case to someone else"):
        case_assign(case_id=case.pk, actor=caseworker, assignee=colleague)
    case_assign(case_id=case.pk, actor=caseworker, assignee=caseworker)
    assert_transition(case, version_before=1, kind=CaseEvent.Kind.ASSIGNED, changed=("assignee",))
    assert not Notification.objects.filter(kind=Notification.Kind.CASE_ASSIGNED).exists()  # nobody to tell
    with pytest.raises(NotPermitted, match="assigned to someone else"):
        case_assign(case_id=case.pk, actor=colleague, assignee=colleague)
    case.refresh_from_db()
    assert case.assignee == caseworker


def test_releasing_puts_the_case_back_in_the_queue(sca, ieca, caseworker, manager):
    case = case_in_state(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    version = case.version
    for outsider, message in [(staff_of(sca), "Only the caseworker"), (staff_of(ieca, Role.MANAGER), "Only staff")]:
        with pytest.raises(NotPermitted, match=message):
            case_release(case_id=case.pk, actor=outsider)
    with pytest.raises(StaleCase):
        case_release(case_id=case.pk, actor=caseworker, expected_version=version - 1)
    case_release(case_id=case.pk, actor=caseworker, expected_version=version)
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.RELEASED, changed=("assignee",))
    assert case.events.last().data == {
        "previous_assignee_id": caseworker.pk,
        "from_status": case.status,
        "to_status": case.status,
    }
    with pytest.raises(IllegalTransition, match="not assigned to anyone"):
        case_release(case_id=case.pk, actor=manager)
    assert case_claim_next(actor=caseworker) == case


def test_a_manager_releases_anyones_case(caseworker, manager):
    case = case_in_state(Case.Status.AWAITING_CG, opened_days_ago=40, caseworker=caseworker, manager=manager)
    assert case_release(case_id=case.pk, actor=manager).assignee is None

"""Who works a case: "Get next case", a manager's assignment (one or many), and releasing a case."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import BooleanField, Q, Value, When
from django.db.models import Case as When_
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework.models import Case, CaseEvent
from casework.services.base import (
    IllegalTransition,
    NotPermitted,
    is_manager,
    lock_case,
    require_authority_staff,
    save_case,
    tell,
)
from notifications.models import Notification


def urgency_order(now=None) -> list:
    """The queue's order: overdue first, then children, then the nearest deadline, then the oldest case."""
    now = now or timezone.now()
    overdue = When_(When(next_deadline_at__lt=now, then=Value(True)), default=Value(False), output_field=BooleanField())
    return [overdue.desc(), "-is_child", "next_deadline_at", "opened_at", "pk"]


# Within one slice of `urgency_slices` the urgency order is simply this, which an index can walk.
URGENCY_SLICE_ORDER = ("next_deadline_at", "opened_at", "pk")


def urgency_slices(now) -> list[Q]:
    """The urgency order cut into consecutive slices, each ordered by URGENCY_SLICE_ORDER: overdue children,
    overdue adults, then children and adults with a later deadline or none. Ordering by `urgency_order()`'s
    expression sorts every matching row; walking the slices in an index stops at the first rows wanted."""
    overdue, later, none = Q(next_deadline_at__lt=now), Q(next_deadline_at__gte=now), Q(next_deadline_at__isnull=True)
    child, adult = Q(is_child=True), Q(is_child=False)
    return [overdue & child, overdue & adult, later & child, none & child, later & adult, none & adult]


def _check_assignee(assignee: User, case: Case) -> None:
    if not (
        assignee.is_active
        and assignee.role in (Role.CASEWORKER, Role.MANAGER)
        and assignee.organisation_id == case.authority_id
    ):
        raise NotPermitted(f"{assignee} does not work for the authority deciding {case.reference}")


@transaction.atomic
def case_claim_next(*, actor: User) -> Case | None:
    """Assigns the most urgent unassigned workable case of the actor's authority to the actor. Rows that another
    caseworker is claiming at this moment are skipped, not waited for: twenty caseworkers pressing at once get
    twenty different cases. None when the queue is empty."""
    if not (actor.is_active and actor.role in (Role.CASEWORKER, Role.MANAGER) and actor.organisation_id):
        raise NotPermitted("Only caseworkers and managers of a competent authority can take cases")
    waiting = Case.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        authority_id=actor.organisation_id, assignee__isnull=True, status__in=Case.WORKABLE_STATUSES
    )
    # Slice by slice (docs/performance.md): each is one walk of case_unassigned_open_idx that stops at the first
    # row nobody else holds, where ordering by urgency_order() would sort every waiting case first.
    for urgency_slice in urgency_slices(timezone.now()):
        case = waiting.filter(urgency_slice).order_by(*URGENCY_SLICE_ORDER).first()
        if case is not None:
            break
    else:
        return None
    case.assignee = actor
    save_case(case, actor=actor, kind=CaseEvent.Kind.ASSIGNED, assignee_id=actor.pk, previous_assignee_id=None)
    return case


@transaction.atomic
def case_assign(*, case_id: int, actor: User, assignee: User, expected_version: int | None = None) -> Case:
    """A manager assigns or reassigns a case; a caseworker may take an unassigned case for themselves."""
    case = lock_case(case_id, expected_version=expected_version)
    require_authority_staff(actor, case)
    if not is_manager(actor, case):
        if assignee.pk != actor.pk:
            raise NotPermitted("Only a manager can assign a case to someone else")
        if case.assignee_id is not None and case.assignee_id != actor.pk:
            raise NotPermitted(f"{case.reference} is assigned to someone else: ask a manager to reassign it")
    if case.status in (Case.Status.MERGED, Case.Status.CLOSED, Case.Status.WITHDRAWN, Case.Status.DISQUALIFIED):
        raise IllegalTransition(f"{case.reference} is {case.get_status_display().lower()}: it cannot be assigned")
    _check_assignee(assignee, case)
    if case.assignee_id == assignee.pk:
        return case
    previous = case.assignee_id
    case.assignee = assignee
    save_case(case, actor=actor, kind=CaseEvent.Kind.ASSIGNED, assignee_id=assignee.pk, previous_assignee_id=previous)
    if assignee.pk != actor.pk:
        tell([assignee], kind=Notification.Kind.CASE_ASSIGNED, case=case)
    return case


@transaction.atomic
def cases_assign(*, case_ids: Sequence[int], actor: User, assignee: User) -> list[Case]:
    """A manager assigns many cases at once: all or none (locked in id order, so two managers never deadlock)."""
    if actor.role != Role.MANAGER:
        raise NotPermitted("Only a manager can assign cases")
    return [case_assign(case_id=case_id, actor=actor, assignee=assignee) for case_id in sorted(set(case_ids))]


@transaction.atomic
def case_release(*, case_id: int, actor: User, expected_version: int | None = None) -> Case:
    """Puts a case back in the queue: its caseworker, or a manager."""
    case = lock_case(case_id, expected_version=expected_version)
    require_authority_staff(actor, case)
    if case.assignee_id is None:
        raise IllegalTransition(f"{case.reference} is not assigned to anyone")
    if case.assignee_id != actor.pk and not is_manager(actor, case):
        raise NotPermitted(f"Only the caseworker of {case.reference} or a manager can release it")
    previous = case.assignee_id
    case.assignee = None
    save_case(case, actor=actor, kind=CaseEvent.Kind.RELEASED, previous_assignee_id=previous)
    return case

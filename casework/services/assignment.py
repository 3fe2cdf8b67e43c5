"""Who works a case: "Get next case", a manager's assignment (one or many), and releasing a case."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import AUTHORITY_ROLES, Role
from casework.errors import NotPermitted
from casework.lifecycle import begin, begin_locked
from casework.models import Case
from casework.rules import is_authority_member, is_authority_staff
from casework.services.base import tell
from casework.urgency import URGENCY_SLICE_ORDER, urgency_slices
from notifications.models import Notification


def _check_assignee(assignee: User, case: Case) -> None:
    if not is_authority_staff(assignee, case):
        raise NotPermitted(f"{assignee} does not work for the authority deciding {case.reference}")


@transaction.atomic
def case_claim_next(*, actor: User) -> Case | None:
    """Assigns the most urgent unassigned workable case of the actor's authority to the actor. Rows that another
    caseworker is claiming at this moment are skipped, not waited for: twenty caseworkers pressing at once get
    twenty different cases. None when the queue is empty."""
    # Who may press the button at all; the queue's filter on the actor's own authority does the rest (no query).
    if not (actor.is_active and actor.role in AUTHORITY_ROLES and actor.organisation_id):
        raise NotPermitted("Only caseworkers and managers of a competent authority can take cases")
    # FOR NO KEY UPDATE, as lock_case: a case someone is reading (its access-log row) is not skipped or blocked.
    waiting = Case.objects.select_for_update(skip_locked=True, of=("self",), no_key=True).filter(
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
    move = begin_locked("claim_next", case=case, actor=actor)
    case.assignee = actor
    move.finish(assignee_id=actor.pk, previous_assignee_id=None)
    return case


@transaction.atomic
def case_assign(*, case_id: int, actor: User, assignee: User, expected_version: int | None = None) -> Case:
    """A manager assigns or reassigns a case; a caseworker may take an unassigned case for themselves."""
    move = begin(
        "assign_other" if assignee.pk != actor.pk else "assign_self",
        case_id=case_id,
        actor=actor,
        expected_version=expected_version,
        same={"assignee_id": assignee.pk},  # posted twice: "You have already assigned …", not someone else
    )
    case = move.case
    _check_assignee(assignee, case)
    if case.assignee_id == assignee.pk:
        return case
    previous = case.assignee_id
    case.assignee = assignee
    move.finish(assignee_id=assignee.pk, previous_assignee_id=previous)
    if assignee.pk != actor.pk:
        tell([assignee], kind=Notification.Kind.CASE_ASSIGNED, case=case)
    return case


@transaction.atomic
def cases_assign(*, case_ids: Sequence[int], actor: User, assignee: User) -> list[Case]:
    """A manager assigns many cases at once: all or none (locked in id order, so two managers never deadlock)."""
    if not (is_authority_member(actor) and actor.role == Role.MANAGER):
        raise NotPermitted("Only a manager can assign cases")
    return [case_assign(case_id=case_id, actor=actor, assignee=assignee) for case_id in sorted(set(case_ids))]


@transaction.atomic
def case_release(*, case_id: int, actor: User, expected_version: int | None = None) -> Case:
    """Puts a case back in the queue: its caseworker, or a manager."""
    move = begin("release", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    previous = case.assignee_id
    case.assignee = None
    move.finish(previous_assignee_id=previous)
    return case

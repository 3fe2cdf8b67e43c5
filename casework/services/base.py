"""What every casework service shares: its errors, the row lock with the version check, who may do what, the
case's next deadline, and who is told about a change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import Min
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, Role
from casework.models import AccessLogEntry, Case, CaseEvent, InformationRequest
from casework.rules import is_authority_staff, is_manager, works_the_case
from notifications.models import Notification
from notifications.services import notify

# Recipients of one organisation told about one change: enough for a team, never a mass mailing.
MAX_RECIPIENTS_PER_ORGANISATION = 25


class CaseworkError(Exception):
    """A move the case lifecycle does not allow; the message says why, in words a user can read."""


class IllegalTransition(CaseworkError):
    """The case is not in a state from which this move is allowed."""


class CaseOpenRefused(CaseworkError, ValueError):
    """The referral cannot have a case: a Duty to Notify, or a referral that already has one."""


class NotPermitted(CaseworkError):
    """The actor may not make this move on this case (the message says who may)."""


class StaleCase(CaseworkError):
    """The case changed after the form was opened: nothing was saved."""


class InvalidInput(CaseworkError):
    """A value the service cannot take; `field` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


STALE_MESSAGE = (
    "Someone else changed this case while you were working on it. Nothing was saved: check the case as it is "
    "now, then try again (what you typed is still below)."
)


def lock_case(case_id: int, *, expected_version: int | None = None) -> Case:
    """The case, locked for the rest of the transaction; refused when it changed since `expected_version`."""
    case = Case.objects.select_for_update(of=("self",)).select_related("referral").get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(STALE_MESSAGE)
    return case


def save_case(case: Case, *, actor: User | None, kind: CaseEvent.Kind, **event_data) -> CaseEvent:
    """Saves a changed case (a new version, its next deadline worked out again) with its timeline event."""
    refresh_next_deadline(case)
    case.version += 1
    case.save()
    return CaseEvent.record(case, actor, kind, **event_data)


def require_state(case: Case, *allowed: Case.Status, action: str) -> None:
    if case.status not in allowed:
        raise IllegalTransition(f"You cannot {action} because {case.reference} is {case.get_status_display().lower()}")


def require_authority_staff(user: User, case: Case) -> None:
    if not is_authority_staff(user, case):
        raise NotPermitted(f"Only staff of the authority deciding {case.reference} can do this")


def require_manager(user: User, case: Case) -> None:
    if not is_manager(user, case):
        raise NotPermitted(f"Only a manager of the authority deciding {case.reference} can do this")


def require_case_owner(user: User, case: Case) -> None:
    """Decisions, requests, suspending, withdrawing and transferring: see casework.rules.works_the_case."""
    require_authority_staff(user, case)
    if works_the_case(user, case):
        return
    if case.assignee_id is None:
        raise NotPermitted(f"Assign {case.reference} to yourself before you work on it")
    raise NotPermitted(f"{case.reference} is assigned to someone else: ask a manager to reassign it")


def refresh_next_deadline(case: Case) -> None:
    """The nearest deadline of the case in its state, stored so that the queue sorts with an index."""
    candidates: list[tuple[datetime, Case.DeadlineKind]] = []
    if case.status == Case.Status.AWAITING_RG and case.rg_due_at:
        candidates.append((case.rg_due_at, Case.DeadlineKind.RG_DUE))
    if case.status == Case.Status.RECOVERY and case.recovery_ends_at:
        candidates.append((case.recovery_ends_at, Case.DeadlineKind.RECOVERY_ENDS))
    if case.status == Case.Status.CONFIRMED_VICTIM and case.support_ends_at:
        candidates.append((case.support_ends_at, Case.DeadlineKind.SUPPORT_ENDS))
    if case.is_open and case.information_due_at:
        candidates.append((case.information_due_at, Case.DeadlineKind.INFORMATION_DUE))
    if candidates:
        case.next_deadline_at, case.next_deadline_kind = min(candidates, key=lambda candidate: candidate[0])
    else:
        case.next_deadline_at, case.next_deadline_kind = None, ""


def refresh_information_due(case: Case) -> None:
    """The end of the due day of the case's earliest open information request."""
    earliest = InformationRequest.objects.filter(case=case, state=InformationRequest.State.OPEN).aggregate(
        earliest=Min("due_date")
    )["earliest"]
    case.information_due_at = end_of_day(earliest) if earliest else None


def end_of_day(day: date) -> datetime:
    """The last moment of `day`, in the service's time zone: a date due "by 5 March" is overdue on 6 March."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


# Who is told -------------------------------------------------------------------------------------------------


def _active_users(organisation_id: int | None, *roles: Role) -> list[User]:
    if organisation_id is None:
        return []
    users = User.objects.filter(organisation_id=organisation_id, is_active=True)
    # A first responder whose membership is not verified hears only of their own referrals (referrer_recipients).
    users = users.exclude(role__in=FIRST_RESPONDER_ROLES, organisation_verified=False)
    if roles:
        users = users.filter(role__in=roles)
    return list(users.order_by("pk")[:MAX_RECIPIENTS_PER_ORGANISATION])


def referrer_recipients(case: Case) -> list[User]:
    """The first responder who sent the referral; their active colleagues when they have left."""
    submitter = case.referral.submitted_by
    if submitter.is_active and submitter.organisation_id == case.referral.organisation_id:
        return [submitter]
    return _active_users(case.referral.organisation_id, *FIRST_RESPONDER_ROLES)


def support_provider_recipients(case: Case) -> list[User]:
    return _active_users(case.support_provider_id, Role.SUPPORT_PROVIDER)


def referral_answer(case: Case, key: str) -> str:
    return (case.referral.answers or {}).get(key) or ""


def _staff_of_organisation_named(case: Case, key: str, kind: Organisation.Kind) -> list[User]:
    """The staff on this service of the organisation the referral names under `key`, if it is here."""
    name = referral_answer(case, key)
    organisation = Organisation.objects.filter(kind=kind, name__iexact=name).first() if name else None
    return _active_users(organisation.pk if organisation else None)


def local_authority_recipients(case: Case) -> list[User]:
    """For a child: the local authority whose children's services the referral names."""
    return _staff_of_organisation_named(case, "la_name", Organisation.Kind.LOCAL_AUTHORITY)


def police_recipients(case: Case) -> list[User]:
    """The police force of the crime reference (the referrer may be that force too)."""
    return _staff_of_organisation_named(case, "police_force", Organisation.Kind.POLICE)


def manager_recipients(case: Case, *, excluding: User | None = None) -> list[User]:
    managers = _active_users(case.authority_id, Role.MANAGER)
    return [manager for manager in managers if excluding is None or manager.pk != excluding.pk]


def tell(recipients: Iterable[User], *, kind: Notification.Kind, case: Case, excluding: User | None = None) -> int:
    """One notification per distinct recipient, written in the caller's transaction (emails after commit)."""
    told = set()
    for user in recipients:
        if user.pk in told or (excluding is not None and user.pk == excluding.pk):
            continue
        told.add(user.pk)
        notify(recipient=user, kind=kind, subject=case, reference=case.reference)
    return len(told)


def access_log_record(*, user: User, case: Case, what: AccessLogEntry.What) -> AccessLogEntry:
    """Each view of a person's details is written down (design.md, convention 3)."""
    return AccessLogEntry.objects.create(user=user, case=case, what=AccessLogEntry.What(what))

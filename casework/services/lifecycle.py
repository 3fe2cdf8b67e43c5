"""The arrows that stop, pause or move a case: suspension while a person is missing and resumption,
withdrawal, transfer between the competent authorities, merging a duplicate, public order disqualification,
internal notes, and the periodic jobs that end recovery periods and support."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from casework.deadlines import SUPPORT_WARNING_DAYS
from casework.errors import InvalidInput
from casework.lifecycle import Move, begin, try_begin
from casework.models import Case, CaseEvent, CaseNote, Decision
from casework.rules import is_authority_staff
from casework.services.base import (
    local_authority_recipients,
    manager_recipients,
    police_recipients,
    referrer_recipients,
    support_provider_recipients,
    tell,
)
from casework.services.information import withdraw_open_requests
from casework.services.support import support_missing_cleared
from notifications.models import Notification
from notifications.services import notifications_withdraw_about


def _note(case: Case, actor: User, kind: CaseNote.Kind, text: str, *, field: str = "reason", required=True) -> CaseNote:
    text = (text or "").strip()
    if not text and required:
        raise InvalidInput("Enter the reason", field=field)
    return CaseNote.objects.create(case=case, kind=kind, text=text, author=actor) if text else None


def _close(move: Move, status: Case.Status) -> None:
    """A case that stops leaves nothing waiting: its open questions and any decision still under review (which
    a reviewer or panel could otherwise still pick up) are withdrawn."""
    case = move.case
    move.enter(status)
    case.closed_at = timezone.now()
    withdraw_open_requests(case)
    for decision in case.decisions.filter(state=Decision.State.UNDER_REVIEW):
        decision.state = Decision.State.WITHDRAWN
        decision.save(update_fields=["state"])  # one at most: a row, so that its history records it


@transaction.atomic
def case_add_note(*, case_id: int, actor: User, text: str) -> CaseNote:
    """Internal notes do not change the case, so they take no version: two people can write at once."""
    move = begin("add_note", case_id=case_id, actor=actor)
    note = _note(move.case, actor, CaseNote.Kind.NOTE, text, field="text")
    move.record(CaseEvent.Kind.NOTE_ADDED, note_id=note.pk)
    return note


@transaction.atomic
def case_suspend(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """The person is missing: the work stops, and the police, the first responder, the support provider and (for
    a child) the local authority are told."""
    move = begin("suspend", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    note = _note(case, actor, CaseNote.Kind.SUSPENSION, reason)
    case.status_before_suspension = case.status
    move.enter(Case.Status.SUSPENDED)
    move.finish(note_id=note.pk, previous=case.status_before_suspension)
    recipients = police_recipients(case) + referrer_recipients(case) + support_provider_recipients(case)
    if case.is_child:
        recipients += local_authority_recipients(case)
    tell(recipients, kind=Notification.Kind.CASE_SUSPENDED, case=case, excluding=actor)
    return case


@transaction.atomic
def case_resume(*, case_id: int, actor: User, reason: str = "", expected_version: int | None = None) -> Case:
    move = begin("resume", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    note = _note(case, actor, CaseNote.Kind.RESUMPTION, reason, required=False)
    move.enter(case.status_before_suspension or Case.Status.AWAITING_RG)
    case.status_before_suspension = ""
    support_missing_cleared(case)
    move.finish(note_id=note.pk if note else None, status=case.status)
    recipients = police_recipients(case) + referrer_recipients(case) + support_provider_recipients(case)
    if case.is_child:  # told of the suspension, so told it is over
        recipients += local_authority_recipients(case)
    tell(recipients, kind=Notification.Kind.CASE_RESUMED, case=case, excluding=actor)
    return case


@transaction.atomic
def case_withdraw(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """An adult withdraws from the NRM. A child's case cannot be withdrawn."""
    move = begin("withdraw", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    note = _note(case, actor, CaseNote.Kind.WITHDRAWAL, reason)
    _close(move, Case.Status.WITHDRAWN)
    move.finish(note_id=note.pk)
    return case


@transaction.atomic
def case_transfer(
    *, case_id: int, actor: User, to_authority: Organisation, reason: str, expected_version: int | None = None
) -> Case:
    """Moves a case to the other competent authority (for example to the IECA for a person in detention); it
    joins that authority's queue unassigned."""
    move = begin("transfer", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    if to_authority.kind != Organisation.Kind.COMPETENT_AUTHORITY or not to_authority.is_active:
        raise InvalidInput("Select a competent authority", field="to_authority")
    if to_authority.pk == case.authority_id:
        raise InvalidInput(f"{case.reference} is already with {to_authority}", field="to_authority")
    note = _note(case, actor, CaseNote.Kind.TRANSFER, reason)
    previous = case.authority_id
    case.authority, case.assignee = to_authority, None
    move.finish(note_id=note.pk, from_id=previous, to_id=to_authority.pk)
    # The authority it left can no longer open it: its staff's notifications about it would link to nothing.
    notifications_withdraw_about(subject=case, recipients=User.objects.filter(organisation_id=previous))
    tell(manager_recipients(case), kind=Notification.Kind.CASE_TRANSFERRED, case=case)
    return case


@transaction.atomic
def case_mark_duplicate(
    *, case_id: int, actor: User, surviving_reference: str, reason: str, expected_version: int | None = None
) -> Case:
    """The case duplicates another of the same authority: it closes and points to the one that goes on."""
    move = begin("mark_duplicate", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    surviving = Case.objects.filter(reference=(surviving_reference or "").strip().upper()).first()
    if surviving is None or not is_authority_staff(actor, surviving):
        raise InvalidInput("Enter the reference of a case of your authority", field="surviving_reference")
    if surviving.pk == case.pk:
        raise InvalidInput("A case cannot be a duplicate of itself", field="surviving_reference")
    if surviving.status == Case.Status.MERGED:
        raise InvalidInput(
            f"{surviving.reference} is itself a duplicate: enter the case it was merged into",
            field="surviving_reference",
        )
    note = _note(case, actor, CaseNote.Kind.MERGE, reason)
    case.merged_into = surviving
    _close(move, Case.Status.MERGED)
    case.duplicate_review_needed = False
    move.finish(note_id=note.pk, into_id=surviving.pk)
    return case


@transaction.atomic
def case_disqualify(*, case_id: int, actor: User, reasons: str, expected_version: int | None = None) -> Case:
    """Public order disqualification (Nationality and Borders Act 2022 s63), after a positive RG: a manager's
    decision, with reasons."""
    move = begin("disqualify", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    note = _note(case, actor, CaseNote.Kind.DISQUALIFICATION, reasons, field="reasons")
    _close(move, Case.Status.DISQUALIFIED)
    move.finish(note_id=note.pk)
    tell(
        referrer_recipients(case) + support_provider_recipients(case), kind=Notification.Kind.DECISION_SERVED, case=case
    )
    return case


# Periodic jobs (nrm/celery.py): each moves one case at a time under its lock and is safe to run twice. -----------


@transaction.atomic
def case_end_recovery(*, case_id: int) -> bool:
    move = try_begin("end_recovery", case_id=case_id)
    if move is None:
        return False
    move.enter(Case.Status.AWAITING_CG)
    move.finish()
    return True


@transaction.atomic
def case_warn_support_ending(*, case_id: int) -> int | None:
    """The warning due now (14 or 7 days before support ends) to the support provider and the caseworker."""
    move = try_begin("warn_support_ending", case_id=case_id)
    if move is None or not move.case.support_ends_at:
        return None
    case = move.case
    days_left = (case.support_ends_at - timezone.now()).total_seconds() / 86400
    due = [days for days in SUPPORT_WARNING_DAYS if days_left <= days]
    if not due or days_left <= 0:
        return None
    warning = min(due)
    if case.support_warning_days_sent is not None and case.support_warning_days_sent <= warning:
        return None
    case.support_warning_days_sent = warning
    case.save(update_fields=["support_warning_days_sent"])
    move.record(CaseEvent.Kind.SUPPORT_ENDING_WARNED, days=warning)
    recipients = support_provider_recipients(case) + ([case.assignee] if case.assignee_id else [])
    tell(recipients, kind=Notification.Kind.SUPPORT_ENDING, case=case)
    return warning


@transaction.atomic
def case_close_after_support(*, case_id: int) -> bool:
    move = try_begin("close_after_support", case_id=case_id)
    if move is None:
        return False
    _close(move, Case.Status.CLOSED)
    move.finish(reason="support_ended")
    return True


def cases_track_deadlines() -> dict[str, int]:
    """Ends recovery periods that are over, warns before support ends, and closes cases whose support has
    ended; each case in its own short transaction.

    A case's next deadline is never later than its recovery or support end (refresh_next_deadline takes the
    nearest), so `next_deadline_at` bounds both searches too: that is what lets them use the partial
    case_deadline_sweep_idx instead of reading every case of the status (56 ms to 9 ms at a million cases)."""
    now = timezone.now()
    warn_window = now + timedelta(days=max(SUPPORT_WARNING_DAYS))
    recovery_over = Case.objects.filter(
        status=Case.Status.RECOVERY, next_deadline_at__lte=now, recovery_ends_at__lte=now
    ).values_list("pk", flat=True)
    support = Case.objects.filter(status=Case.Status.CONFIRMED_VICTIM, next_deadline_at__lte=warn_window)
    ending = support.filter(support_ends_at__gt=now, support_ends_at__lte=warn_window).values_list("pk", flat=True)
    ended = support.filter(support_ends_at__lte=now).values_list("pk", flat=True)
    return {
        "recovery_ended": sum(case_end_recovery(case_id=pk) for pk in list(recovery_over)),
        "support_warned": sum(case_warn_support_ending(case_id=pk) is not None for pk in list(ending)),
        "closed": sum(case_close_after_support(case_id=pk) for pk in list(ended)),
    }

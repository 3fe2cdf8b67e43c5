"""The support provider's own records of a person it supports: support started, the Recovery Needs Assessment, an
extension of support (by the nation's policy), the person missing, support ended. Each is one arrow of the
lifecycle table (casework.lifecycle: the case locked, the version checked, the provider's right and the record's
state checked), one timeline event, and a notification to the case's caseworker.

None of them moves the case's status: a person reported missing is the authority's to suspend (case_suspend);
support that ends sets the case's support end date, which the deadline job then acts on as for any ending."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework.deadlines import start_of_day
from casework.errors import InvalidInput
from casework.lifecycle import Move, begin
from casework.models import (
    Case,
    CaseEvent,
    Policy,
    RecoveryNeed,
    SupportEndReason,
    SupportExtension,
    SupportExtensionReason,
    SupportRecord,
)
from casework.services.base import manager_recipients, tell
from notifications.models import Notification


def _day(value, *, field: str, what: str, today: date, not_before: date | None = None, before_words: str = "") -> date:
    """A date the provider gives: a real day, not in the future, not before `not_before`."""
    if not isinstance(value, date):
        raise InvalidInput(f"Enter the {what}", field=field)
    if value > today:
        raise InvalidInput(f"The {what} must be today or in the past", field=field)
    if not_before is not None and value < not_before:
        raise InvalidInput(
            f"The {what} must be on or after {before_words} ({date_format(not_before, 'j F Y')})", field=field
        )
    return value


def _record(case: Case) -> SupportRecord:
    return SupportRecord.objects.select_for_update().get(case=case)


def _tell_caseworker(move: Move, kind: Notification.Kind, *, managers_too: bool = False) -> None:
    """The case's caseworker; its managers when nobody works it (or, with `managers_too`, as well)."""
    case = move.case
    recipients = [case.assignee] if case.assignee_id else []
    if managers_too or not recipients:
        recipients += manager_recipients(case)
    tell(recipients, kind=kind, case=case, excluding=move.actor)


@transaction.atomic
def case_support_start(
    *, case_id: int, actor: User, started_on: date, expected_version: int | None = None
) -> SupportRecord:
    """The provider has started supporting the person (on or after the day they were referred for support)."""
    move = begin("record_support_start", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    referred_on = timezone.localtime(case.support_started_at).date() if case.support_started_at else None
    started_on = _day(
        started_on,
        field="started_on",
        what="date support started",
        today=timezone.localdate(),
        not_before=referred_on,
        before_words="the day the person was referred for support",
    )
    record = SupportRecord.objects.create(case=case, started_on=started_on)
    move.finish(CaseEvent.Kind.SUPPORT_BEGAN, started_on=started_on)
    _tell_caseworker(move, Notification.Kind.SUPPORT_BEGAN)
    return record


@transaction.atomic
def case_support_rna_record(
    *, case_id: int, actor: User, completed_on: date, needs: list[str], expected_version: int | None = None
) -> SupportRecord:
    """The Recovery Needs Assessment: its date and the needs it found (codes from the list, never a narrative).
    Recorded again, it replaces the earlier one (the timeline keeps both)."""
    move = begin("record_rna", case_id=case_id, actor=actor, expected_version=expected_version)
    record = _record(move.case)
    completed_on = _day(
        completed_on,
        field="completed_on",
        what="date of the assessment",
        today=timezone.localdate(),
        not_before=record.started_on,
        before_words="the day support started",
    )
    needs = list(dict.fromkeys(needs or []))
    if not needs:
        raise InvalidInput("Select the needs the assessment found", field="needs")
    if any(need not in RecoveryNeed.values for need in needs):
        raise InvalidInput("Select the needs the assessment found from the list", field="needs")
    record.rna_completed_on, record.rna_needs = completed_on, needs
    record.save(update_fields=["rna_completed_on", "rna_needs"])
    move.finish(CaseEvent.Kind.RNA_RECORDED, completed_on=completed_on, needs=needs)
    _tell_caseworker(move, Notification.Kind.RNA_RECORDED)
    return record


@transaction.atomic
def case_support_extend(
    *, case_id: int, actor: User, ends_on: date, reason: str, expected_version: int | None = None
) -> SupportExtension:
    """Support's end date moves later, with a reason from the list, by at most the policy's days at a time (and,
    by policy, only once the Recovery Needs Assessment is recorded: the lifecycle's guard)."""
    move = begin("extend_support", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    policy = Policy.for_case(case)
    if reason not in SupportExtensionReason.values:
        raise InvalidInput("Select why support is being extended", field="reason")
    if not isinstance(ends_on, date):
        raise InvalidInput("Enter the new date support ends", field="ends_on")
    today = timezone.localdate()
    current = timezone.localtime(case.support_ends_at).date() if case.support_ends_at else None
    start_from = max(current, today) if current else today
    if ends_on <= start_from:
        words = f"after {date_format(start_from, 'j F Y')}"
        raise InvalidInput(f"The new date support ends must be {words}", field="ends_on")
    latest = start_from + timedelta(days=policy.support_extension_max_days)
    if ends_on > latest:
        raise InvalidInput(
            f"Support can be extended by up to {policy.support_extension_max_days} days at a time: the new date "
            f"support ends must be on or before {date_format(latest, 'j F Y')}",
            field="ends_on",
        )
    extension = SupportExtension.objects.create(
        case=case, previous_ends_on=current, ends_on=ends_on, reason=reason, recorded_by=actor
    )
    case.support_ends_at = start_of_day(ends_on)
    case.support_warning_days_sent = None  # the warnings run again before the new end
    move.finish(
        CaseEvent.Kind.SUPPORT_EXTENDED,
        extension_id=extension.pk,
        previous_ends_on=current,
        ends_on=ends_on,
        reason=reason,
    )
    _tell_caseworker(move, Notification.Kind.SUPPORT_EXTENDED)
    return extension


@transaction.atomic
def case_support_person_missing(
    *, case_id: int, actor: User, last_seen_on: date, expected_version: int | None = None
) -> SupportRecord:
    """The person is missing: the caseworker and the authority's managers are told, and may suspend the case."""
    move = begin("report_missing", case_id=case_id, actor=actor, expected_version=expected_version)
    record = _record(move.case)
    last_seen_on = _day(
        last_seen_on,
        field="last_seen_on",
        what="date the person was last seen",
        today=timezone.localdate(),
        not_before=record.started_on,
        before_words="the day support started",
    )
    record.last_seen_on, record.missing_reported_at = last_seen_on, timezone.now()
    record.save(update_fields=["last_seen_on", "missing_reported_at"])
    move.finish(CaseEvent.Kind.PERSON_MISSING, last_seen_on=last_seen_on)
    _tell_caseworker(move, Notification.Kind.PERSON_MISSING, managers_too=True)
    return record


@transaction.atomic
def case_support_end(
    *, case_id: int, actor: User, ended_on: date, reason: str, expected_version: int | None = None
) -> SupportRecord:
    """Support has ended, for a reason from the list: the case's support ends that day (the provider's list moves
    the person to "support ended"; a confirmed victim's case then closes with the deadline job)."""
    move = begin("record_support_end", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    record = _record(case)
    if reason not in SupportEndReason.values:
        raise InvalidInput("Select why support ended", field="reason")
    ended_on = _day(
        ended_on,
        field="ended_on",
        what="date support ended",
        today=timezone.localdate(),
        not_before=record.started_on,
        before_words="the day support started",
    )
    record.ended_on, record.end_reason = ended_on, reason
    record.save(update_fields=["ended_on", "end_reason"])
    case.support_ends_at = start_of_day(ended_on)
    move.finish(CaseEvent.Kind.SUPPORT_ENDED, ended_on=ended_on, reason=reason)
    _tell_caseworker(move, Notification.Kind.SUPPORT_ENDED)
    return record


def support_missing_cleared(case: Case) -> None:
    """A suspended case resumes once the person is found: the provider may report them missing again later."""
    SupportRecord.objects.filter(case=case, last_seen_on__isnull=False).update(
        last_seen_on=None, missing_reported_at=None
    )

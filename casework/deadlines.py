"""A case's stored deadlines (design.md, convention 5): the nearest one in its state, which the queue sorts on,
and the due moment of its earliest open information request."""

from datetime import date, datetime, time

from django.db.models import Min
from django.utils import timezone

from casework.models import Case, InformationRequest
from common.calendar import working_days_between

# Support-ending warnings, in days before the end: each is sent once (the deadline job), and the support
# provider's list shows the end as a warning from the first of them.
SUPPORT_WARNING_DAYS = (14, 7)


def recovery_running(case: Case) -> bool:
    """The recovery period has not ended: no conclusive grounds decision yet."""
    return bool(case.recovery_ends_at and timezone.now() < case.recovery_ends_at)


def rg_lateness(rg_due_at: datetime, decision_date: date) -> int:
    """How many working days after its target a reasonable grounds decision dated `decision_date` was made
    (0: within target), the measure the case page and the decision's check page both give."""
    return max(0, working_days_between(timezone.localtime(rg_due_at).date(), decision_date))


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

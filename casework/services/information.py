"""Requests for further information to the referring first responder: asking, answering (with files),
withdrawing, and the reminders before and after the due date."""

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.deadlines import refresh_information_due
from casework.errors import IllegalTransition, InvalidInput, StaleCase
from casework.lifecycle import Move, begin
from casework.models import Case, CaseFile, InformationRequest, Policy, Reconsideration
from casework.services.base import manager_recipients, referrer_recipients, tell
from casework.services.scanning import case_file_queue_scan_on_commit
from common.calendar import add_working_days
from common.downloads import EvidenceRejected, evidence_check_file, evidence_display_name
from notifications.models import Notification
from referrals.models import ReferralPolicy

MAX_FILES_PER_UPLOAD = 10
# A reminder goes this many working days before the due date.
REMINDER_WORKING_DAYS_BEFORE = 2


def default_due_date(case: Case, *, today: date | None = None) -> date:
    policy = Policy.for_case(case)
    return add_working_days(today or timezone.localdate(), policy.information_request_working_days)


def case_files_attach(
    *,
    case: Case,
    actor: User,
    uploaded_files: Sequence[UploadedFile],
    information_request: InformationRequest | None = None,
    is_answer: bool = False,
    reconsideration: Reconsideration | None = None,
) -> list[CaseFile]:
    """Checks every file first (by content, like referral evidence), then stores them under random names; a
    file written before a failed row is removed."""
    if len(uploaded_files) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(f"You can attach up to {MAX_FILES_PER_UPLOAD} files at once", field="files")
    max_megabytes = ReferralPolicy.current().max_evidence_megabytes if uploaded_files else 0
    try:
        checked = [
            (uploaded, evidence_check_file(uploaded, max_megabytes=max_megabytes)) for uploaded in uploaded_files
        ]
    except EvidenceRejected as error:
        raise InvalidInput(error.message, field="files") from error
    saved: list[CaseFile] = []
    try:
        for uploaded, kind in checked:
            case_file = CaseFile(
                case=case,
                information_request=information_request,
                is_answer=is_answer,
                reconsideration=reconsideration,
                original_name=evidence_display_name(uploaded.name, evidence_type=kind),
                content_type=kind.content_type,
                size=uploaded.size,
                uploaded_by=actor,
            )
            uploaded.seek(0)
            case_file.file.save("file", uploaded, save=False)
            saved.append(case_file)
            case_file.save()
            # Pending until clamd has looked at it: nobody can download it before.
            case_file_queue_scan_on_commit(case_file.pk)
    except BaseException:
        for case_file in saved:
            case_file.file.storage.delete(case_file.file.name)
        raise
    return saved


@transaction.atomic
def information_request_create(
    *,
    case_id: int,
    actor: User,
    question: str,
    due_date: date | None = None,
    uploaded_files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> InformationRequest:
    """Asks the referring first responder a question, due by default the policy's working days from today.
    The case's own clock keeps running."""
    move = begin("request_information", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    question = (question or "").strip()
    if not question:
        raise InvalidInput("Enter the information you need", field="question")
    today = timezone.localdate()
    due_date = due_date or default_due_date(case, today=today)
    if due_date <= today:
        raise InvalidInput("The due date must be in the future", field="due_date")
    if due_date > today + timedelta(days=365):
        raise InvalidInput("The due date must be within a year", field="due_date")
    information_request = InformationRequest.objects.create(
        case=case, question=question, due_date=due_date, requested_by=actor
    )
    case_files_attach(case=case, actor=actor, uploaded_files=uploaded_files, information_request=information_request)
    refresh_information_due(case)
    move.finish(request_id=information_request.pk, due=due_date)
    tell(referrer_recipients(case), kind=Notification.Kind.INFORMATION_REQUESTED, case=case)
    return information_request


def _begin_on_open_request(
    name: str, request_id: int, actor: User, *, request_version: int | None = None, case_version: int | None = None
) -> tuple[Move, InformationRequest]:
    case_id = InformationRequest.objects.values_list("case_id", flat=True).get(pk=request_id)
    move = begin(name, case_id=case_id, actor=actor, expected_version=case_version)
    information_request = InformationRequest.objects.select_for_update().get(pk=request_id, case=move.case)
    if request_version is not None and information_request.version != request_version:
        raise StaleCase("This request changed while you were answering it. Nothing was saved: check it and try again.")
    if not information_request.is_open:
        raise IllegalTransition(
            f"This request on {move.case.reference} is {information_request.get_state_display().lower()}"
        )
    return move, information_request


@transaction.atomic
def information_request_answer(
    *,
    request_id: int,
    actor: User,
    answer: str,
    uploaded_files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> InformationRequest:
    """The referring organisation's first responder answers; the case's caseworker (or, when nobody has the
    case, its managers) is told."""
    move, information_request = _begin_on_open_request(
        "answer_information_request", request_id, actor, request_version=expected_version
    )
    case = move.case
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput("Enter your answer", field="answer")
    case_files_attach(
        case=case, actor=actor, uploaded_files=uploaded_files, information_request=information_request, is_answer=True
    )
    information_request.state = InformationRequest.State.ANSWERED
    information_request.answer, information_request.answered_by = answer, actor
    information_request.answered_at = timezone.now()
    information_request.version += 1
    information_request.save()
    refresh_information_due(case)
    move.finish(request_id=information_request.pk)
    recipients = [case.assignee] if case.assignee_id else manager_recipients(case)
    tell(recipients, kind=Notification.Kind.INFORMATION_ANSWERED, case=case)
    return information_request


@transaction.atomic
def information_request_withdraw(
    *, request_id: int, actor: User, expected_version: int | None = None
) -> InformationRequest:
    """`expected_version` is the case's: a withdrawal changes the case (its information due date)."""
    move, information_request = _begin_on_open_request(
        "withdraw_information_request", request_id, actor, case_version=expected_version
    )
    information_request.state = InformationRequest.State.WITHDRAWN
    information_request.version += 1
    information_request.save()
    refresh_information_due(move.case)
    move.finish(request_id=information_request.pk)
    return information_request


def withdraw_open_requests(case: Case) -> None:
    """When a case stops (withdrawn, merged, closed) its open questions no longer need answers."""
    case.information_requests.filter(state=InformationRequest.State.OPEN).update(
        state=InformationRequest.State.WITHDRAWN
    )
    case.information_due_at = None


@transaction.atomic
def _remind(request_id: int, *, after: bool) -> bool:
    information_request = (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("case__referral__submitted_by")
        .filter(pk=request_id, state=InformationRequest.State.OPEN)
        .first()
    )
    if information_request is None or (
        information_request.reminded_after_at if after else information_request.reminded_before_at
    ):
        return False
    case = information_request.case
    if after:
        information_request.reminded_after_at = timezone.now()
        recipients = referrer_recipients(case) + ([case.assignee] if case.assignee_id else [])
        tell(recipients, kind=Notification.Kind.INFORMATION_OVERDUE, case=case)
    else:
        information_request.reminded_before_at = timezone.now()
        tell(referrer_recipients(case), kind=Notification.Kind.INFORMATION_DUE_SOON, case=case)
    information_request.save(update_fields=["reminded_after_at" if after else "reminded_before_at"])
    return True


def information_requests_remind(*, today: date | None = None) -> dict[str, int]:
    """The periodic job: a reminder to the first responder a couple of working days before the due date, and
    one (to them and the caseworker) once it has passed. Each is sent once, however often this runs."""
    today = today or timezone.localdate()
    # Only while the case is being worked: a suspended case or a served negative decision pauses the reminders.
    open_requests = InformationRequest.objects.filter(
        state=InformationRequest.State.OPEN, case__status__in=Case.OPEN_STATUSES
    )
    soon_by = add_working_days(today, REMINDER_WORKING_DAYS_BEFORE)
    before_ids = open_requests.filter(
        due_date__gte=today, due_date__lte=soon_by, reminded_before_at__isnull=True
    ).values_list("pk", flat=True)
    after_ids = open_requests.filter(due_date__lt=today, reminded_after_at__isnull=True).values_list("pk", flat=True)
    return {
        "before": sum(_remind(pk, after=False) for pk in list(before_ids)),
        "after": sum(_remind(pk, after=True) for pk in list(after_ids)),
    }

"""What the referring organisation and the support provider see of a case: its status in their words, the
served decisions, the requests for reconsideration and the questions put to the referrer.

Everything here returns plain data (frozen dataclasses): the pages render it and never reach back into the models.
The referrals app reads it without importing casework: its list and pages go through the port casework installs
(`casework.referral_cases`, docs/adr/0010) and the template tags of `casework.templatetags.referrer_case`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from accounts.models import User
from casework.models import Case, CaseFile, Decision, InformationRequest, Reconsideration
from casework.rules import can_request_reconsideration
from casework.selectors.decisions import decision_open_to_reconsideration, reconsideration_is_late
from casework.selectors.scope import cases_referred_by
from referrals.models import Referral, Route

# --- The referrer's statuses: declared once, for the label and the list's filter ----------------------------


@dataclass(frozen=True)
class ReferrerStatus:
    """A status as the referring organisation sees it: a decision under review is not served yet, so it reads as
    the decision still awaited. `value` is the list filter's value (kept stable: it is in bookmarked URLs)."""

    value: str
    label: str
    case_statuses: tuple[Case.Status, ...]
    referrals: Q  # the referrals in this status, as a filter on Referral


def _of_cases(value: str, *case_statuses: Case.Status) -> ReferrerStatus:
    """A status of referrals with a case, worded as its first case status."""
    return ReferrerStatus(value, case_statuses[0].label, case_statuses, Q(case__status__in=case_statuses))


REFERRER_STATUSES: tuple[ReferrerStatus, ...] = (
    _of_cases("awaiting_rg", Case.Status.AWAITING_RG, Case.Status.RG_NEGATIVE_REVIEW),
    _of_cases("rg_negative", Case.Status.RG_NEGATIVE_SERVED),
    _of_cases("recovery", Case.Status.RECOVERY),
    _of_cases("awaiting_cg", Case.Status.AWAITING_CG, Case.Status.CG_NEGATIVE_REVIEW),
    _of_cases("cg_negative", Case.Status.CG_NEGATIVE_SERVED),
    _of_cases("confirmed_victim", Case.Status.CONFIRMED_VICTIM),
    _of_cases("disqualified", Case.Status.DISQUALIFIED),
    _of_cases("suspended", Case.Status.SUSPENDED),
    _of_cases("withdrawn", Case.Status.WITHDRAWN),
    _of_cases("merged", Case.Status.MERGED),
    _of_cases("closed", Case.Status.CLOSED),
    ReferrerStatus("duty_to_notify_sent", "Duty to Notify sent", (), Q(route=Route.DUTY_TO_NOTIFY)),
)
# Not a status but the list's first filter: the referrals with a question from the authority still to answer
# (the landing page's "information requests to answer" links to it, casework.waiting).
QUESTION_TO_ANSWER = ReferrerStatus(
    "information_requested",
    "Information requested from you",
    (),
    Q(case__pk__in=InformationRequest.objects.filter(state=InformationRequest.State.OPEN).values("case_id")),
)
REFERRER_FILTERS: tuple[ReferrerStatus, ...] = (QUESTION_TO_ANSWER, *REFERRER_STATUSES)
REFERRER_STATUS_BY_VALUE = {status.value: status for status in REFERRER_FILTERS}
_REFERRER_STATUS_OF_CASE = {case_status: status for status in REFERRER_STATUSES for case_status in status.case_statuses}
DUTY_TO_NOTIFY_SENT = REFERRER_STATUS_BY_VALUE["duty_to_notify_sent"]
# A referral whose case is not open yet (a moment inside the submission's transaction): not a filter choice.
SENT_LABEL = "Sent"


def case_status_label_for_outsider(case: Case) -> str:
    """The case's status as the referring organisation and the support provider see it."""
    return _REFERRER_STATUS_OF_CASE[case.status].label


def case_status_label_for_referral(referral: Referral) -> str:
    """The referral's status in plain words for its referring organisation. Lists should fetch the referral
    with `select_related("case")` so that this makes no query."""
    if referral.is_duty_to_notify:
        return DUTY_TO_NOTIFY_SENT.label
    try:
        case = referral.case
    except ObjectDoesNotExist:
        return SENT_LABEL
    return case_status_label_for_outsider(case)


# --- The served decisions and the requests for reconsideration ----------------------------------------------


@dataclass(frozen=True)
class ServedDecision:
    pk: int
    title: str
    stage_label: str
    outcome_label: str
    is_negative: bool
    served_at: datetime
    letter_id: int | None


@dataclass(frozen=True)
class ReconsiderationRow:
    requested_at: datetime
    is_late: bool
    decision_title: str
    requester_organisation: str
    state: str
    state_label: str
    decision_reasons: str


@dataclass(frozen=True)
class OpenToReconsideration:
    """The served negative decision the reader may ask to be reconsidered, and until when without reasons."""

    decision_title: str
    deadline: date | None
    is_late: bool


@dataclass(frozen=True)
class Outcomes:
    """What the referring organisation and the support provider see of the decisions: the served ones only
    (a proposal under review is internal), the requests for reconsideration, and whether the reader may ask."""

    decisions: tuple[ServedDecision, ...]
    reconsiderations: tuple[ReconsiderationRow, ...]
    open_to_reconsideration: OpenToReconsideration | None
    reconsideration_pending: bool


def served_decisions_for_referrer(case: Case) -> QuerySet[Decision]:
    """Outside the authority only served decisions exist: a proposal under review is internal."""
    return case.decisions.filter(state=Decision.State.SERVED).select_related("letter").order_by("served_at", "pk")


def reconsiderations_for_outsider(case: Case) -> QuerySet[Reconsideration]:
    """The requests for reconsideration of `case`'s served decisions, newest first, with who asked."""
    return case.reconsiderations.select_related("requester_organisation", "decision").order_by("-requested_at", "-pk")


def served_decision(decision: Decision) -> ServedDecision:
    letter = getattr(decision, "letter", None)
    return ServedDecision(
        pk=decision.pk,
        title=decision.title,
        stage_label=decision.get_stage_display(),
        outcome_label=decision.get_outcome_display(),
        is_negative=decision.is_negative,
        served_at=decision.served_at,
        letter_id=letter.pk if letter is not None else None,
    )


def _reconsideration_row(reconsideration: Reconsideration) -> ReconsiderationRow:
    return ReconsiderationRow(
        requested_at=reconsideration.requested_at,
        is_late=reconsideration.is_late,
        decision_title=reconsideration.decision.title,
        requester_organisation=str(reconsideration.requester_organisation),
        state=reconsideration.state,
        state_label=reconsideration.get_state_display(),
        decision_reasons=reconsideration.decision_reasons,
    )


def reconsideration_pending(decision: Decision) -> bool:
    """Whether a request for reconsideration of `decision` is waiting for the authority."""
    return decision.reconsiderations.filter(state=Reconsideration.State.PENDING).exists()


def outcomes_for_outsider(user: User, case: Case) -> Outcomes:
    """The served decisions of `case`, its requests for reconsideration, and whether (and until when) `user` may
    ask for one. A fixed number of queries: the reconsiderations only when a negative decision has been served."""
    decisions = list(served_decisions_for_referrer(case))
    reconsiderations = list(reconsiderations_for_outsider(case)) if any(d.is_negative for d in decisions) else []
    open_decision = decision_open_to_reconsideration(case)  # no query unless a negative decision is in force
    pending = open_decision is not None and any(
        item.decision_id == open_decision.pk and item.state == Reconsideration.State.PENDING
        for item in reconsiderations
    )
    may_ask = open_decision is not None and not pending and can_request_reconsideration(user, case)
    return Outcomes(
        decisions=tuple(served_decision(decision) for decision in decisions),
        reconsiderations=tuple(_reconsideration_row(item) for item in reconsiderations),
        open_to_reconsideration=(
            OpenToReconsideration(
                decision_title=open_decision.title,
                deadline=open_decision.reconsideration_deadline,
                is_late=reconsideration_is_late(open_decision),
            )
            if may_ask
            else None
        ),
        reconsideration_pending=pending,
    )


# --- The questions put to the referring organisation ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionToReferrer:
    """A request for information as the referring organisation sees it, with its files sorted into the
    caseworker's and those sent with the answer."""

    pk: int
    version: int
    requested_at: datetime
    due_date: date
    question: str
    state: str
    is_open: bool
    is_overdue: bool
    answer: str
    answered_at: datetime | None
    answered_by_name: str
    question_files: tuple[CaseFile, ...]
    answer_files: tuple[CaseFile, ...]


def information_requests_for_referrer(case: Case) -> QuerySet[InformationRequest]:
    """Every question put to the referring organisation on `case`, newest first, with its files (the caseworker's
    and those sent with the answer)."""
    return (
        case.information_requests.select_related("answered_by")
        .prefetch_related("files")
        .order_by("-requested_at", "-pk")
    )


def information_requests_referred_to(*, user: User) -> QuerySet[InformationRequest]:
    """Every question put to `user`'s organisation on the cases of its referrals (the cases `user` may reach,
    cases_referred_by), with its case, who answered and its files: the partner API's list and reads."""
    return (
        InformationRequest.objects.filter(case__in=cases_referred_by(user=user).values("pk"))
        .select_related("case", "answered_by")
        .prefetch_related("files")
    )


def question_to_referrer(information_request: InformationRequest) -> QuestionToReferrer:
    files = list(information_request.files.all())  # prefetched
    answered_by = information_request.answered_by
    return QuestionToReferrer(
        pk=information_request.pk,
        version=information_request.version,
        requested_at=information_request.requested_at,
        due_date=information_request.due_date,
        question=information_request.question,
        state=information_request.state,
        is_open=information_request.is_open,
        is_overdue=information_request.is_overdue,
        answer=information_request.answer,
        answered_at=information_request.answered_at,
        answered_by_name=answered_by.full_name if answered_by is not None else "",
        question_files=tuple(case_file for case_file in files if not case_file.is_answer),
        answer_files=tuple(case_file for case_file in files if case_file.is_answer),
    )


def referrer_question(case: Case, information_request_id: int) -> QuestionToReferrer | None:
    """One question put to the referring organisation on `case`, or None when `case` has no such request."""
    information_request = information_requests_for_referrer(case).filter(pk=information_request_id).first()
    return question_to_referrer(information_request) if information_request is not None else None


# --- The referrer's view of a referral, for its page --------------------------------------------------------


@dataclass(frozen=True)
class ReferrerCaseView:
    """A sent referral's case as its referring organisation sees it. `case_reference` is None for a Duty to
    Notify report and a referral whose case is not open yet: then only the status is shown."""

    status_label: str
    case_reference: str | None = None
    recovery_ends_at: datetime | None = None
    outcomes: Outcomes | None = None
    open_requests: tuple[QuestionToReferrer, ...] = ()
    past_requests: tuple[QuestionToReferrer, ...] = ()


def referrer_case_view(*, user: User, referral: Referral) -> ReferrerCaseView:
    """The referral's case for `user` of the referring organisation (the referral comes from their scoped list,
    with `select_related("case")`). A fixed number of queries however many decisions, requests and files."""
    status_label = case_status_label_for_referral(referral)
    case = None if referral.is_duty_to_notify else getattr(referral, "case", None)
    if case is None:
        return ReferrerCaseView(status_label=status_label)
    questions = [question_to_referrer(item) for item in information_requests_for_referrer(case)]
    return ReferrerCaseView(
        status_label=status_label,
        case_reference=case.reference,
        recovery_ends_at=case.recovery_ends_at if case.status == Case.Status.RECOVERY else None,
        outcomes=outcomes_for_outsider(user, case),
        open_requests=tuple(item for item in questions if item.is_open),
        past_requests=tuple(item for item in questions if not item.is_open),
    )

"""What the referring organisation and the support provider see of a case: its status in their words, the
served decisions, the requests for reconsideration and the questions put to the referrer."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from accounts.models import User
from casework.models import Case, Decision, InformationRequest, Reconsideration
from casework.rules import can_request_reconsideration
from casework.selectors.decisions import decision_open_to_reconsideration, reconsideration_is_late
from referrals.models import Referral

# What the referring organisation sees: a decision under review is not served yet, so it reads as still awaited.
_STATUS_FOR_REFERRER = {
    Case.Status.RG_NEGATIVE_REVIEW: Case.Status.AWAITING_RG.label,
    Case.Status.CG_NEGATIVE_REVIEW: Case.Status.AWAITING_CG.label,
}


def served_decisions_for_referrer(case: Case) -> QuerySet[Decision]:
    """Outside the authority only served decisions exist: a proposal under review is internal."""
    return case.decisions.filter(state=Decision.State.SERVED).select_related("letter").order_by("served_at", "pk")


def information_requests_for_referrer(case: Case) -> QuerySet[InformationRequest]:
    """Every question put to the referring organisation on `case`, newest first, with its files (the caseworker's
    and those sent with the answer)."""
    return (
        case.information_requests.select_related("answered_by")
        .prefetch_related("files")
        .order_by("-requested_at", "-pk")
    )


def reconsiderations_for_outsider(case: Case) -> QuerySet[Reconsideration]:
    """The requests for reconsideration of `case`'s served decisions, newest first, with who asked."""
    return case.reconsiderations.select_related("requester_organisation", "decision").order_by("-requested_at", "-pk")


def case_status_label_for_referral(referral: Referral) -> str:
    """The referral's status in plain words for its referring organisation. Lists should fetch the referral
    with `select_related("case")` so that this makes no query."""
    if referral.is_duty_to_notify:
        return "Duty to Notify sent"
    try:
        case = referral.case
    except ObjectDoesNotExist:
        return "Sent"
    return case_status_label_for_outsider(case)


def case_status_label_for_outsider(case: Case) -> str:
    """The case's status as the referring organisation and the support provider see it."""
    return _STATUS_FOR_REFERRER.get(case.status, case.get_status_display())


# What the referring organisation and the support provider see of a case, for their pages. -------------------


def outcomes_context(user: User, case: Case) -> dict:
    """What the referring organisation and the support provider see of the decisions: the served ones only,
    the requests for reconsideration, and whether (and until when) `user` may ask for one. A fixed number of
    queries: the reconsiderations only when a negative decision has been served."""
    decisions = list(served_decisions_for_referrer(case))
    reconsiderations = list(reconsiderations_for_outsider(case)) if any(d.is_negative for d in decisions) else []
    open_decision = decision_open_to_reconsideration(case)  # no query unless a negative decision is in force
    pending = open_decision is not None and any(
        item.decision_id == open_decision.pk and item.state == Reconsideration.State.PENDING
        for item in reconsiderations
    )
    may_ask = open_decision is not None and not pending and can_request_reconsideration(user, case)
    return {
        "decisions": decisions,
        "reconsiderations": reconsiderations,
        "reconsideration_decision": open_decision if may_ask else None,
        "reconsideration_late": may_ask and reconsideration_is_late(open_decision),
        "reconsideration_pending": pending,
    }


def with_files_sorted(information_request: InformationRequest) -> InformationRequest:
    """The request's (prefetched) files, as the caseworker's and the answer's."""
    files = list(information_request.files.all())
    information_request.question_files = [case_file for case_file in files if not case_file.is_answer]
    information_request.answer_files = [case_file for case_file in files if case_file.is_answer]
    return information_request


def information_requests_context(case: Case) -> dict:
    """The questions put to the referring organisation: those waiting for an answer, then the others."""
    requests = [with_files_sorted(item) for item in information_requests_for_referrer(case)]
    return {
        "open_requests": [item for item in requests if item.is_open],
        "past_requests": [item for item in requests if not item.is_open],
    }

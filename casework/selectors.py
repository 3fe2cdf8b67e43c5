"""Every read of casework a page needs, already scoped to the user (design.md, convention 6)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from accounts.models import Organisation, User
from accounts.roles import AUTHORITY_ROLES, Role
from casework.models import Case, CaseFile, Decision, InformationRequest, Letter, Reconsideration
from casework.services.reconsideration import (
    can_request_reconsideration,
    decision_open_to_reconsideration,
    reconsideration_is_late,
)
from referrals.models import Referral

# What the referring organisation sees: a decision under review is not served yet, so it reads as still awaited.
_STATUS_FOR_REFERRER = {
    Case.Status.RG_NEGATIVE_REVIEW: Case.Status.AWAITING_RG.label,
    Case.Status.CG_NEGATIVE_REVIEW: Case.Status.AWAITING_CG.label,
}


def _is_authority_user(user: User) -> bool:
    return (
        user.is_authenticated
        and user.role in AUTHORITY_ROLES
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.COMPETENT_AUTHORITY
    )


def case_list_for(*, user: User) -> QuerySet[Case]:
    """The cases `user` may open: their own authority's for caseworkers and managers, none for anyone else."""
    if not _is_authority_user(user):
        return Case.objects.none()
    return Case.objects.filter(authority_id=user.organisation_id).select_related("authority", "assignee")


def cases_referred_by(*, user: User) -> QuerySet[Case]:
    """The cases of the referrals of a first responder's organisation (only those they sent themselves until
    their membership is verified). Letters, files and information requests are read through these cases."""
    if not user.is_authenticated or not user.is_first_responder or user.organisation_id is None:
        return Case.objects.none()
    cases = Case.objects.filter(referral__organisation_id=user.organisation_id)
    return cases if user.organisation_verified else cases.filter(referral__submitted_by=user)


def cases_supported_by(*, user: User) -> QuerySet[Case]:
    """The cases referred to a support provider's organisation for support."""
    if not user.is_authenticated or user.role != Role.SUPPORT_PROVIDER or user.organisation_id is None:
        return Case.objects.none()
    return Case.objects.filter(support_provider_id=user.organisation_id)


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


def letters_for(*, user: User) -> QuerySet[Letter]:
    """The letters `user` may download: the authority's staff, those of its cases; the referring organisation and
    the support provider, those of their cases (letters exist only for served decisions)."""
    if _is_authority_user(user):
        cases = case_list_for(user=user)
    elif user.is_authenticated and user.is_first_responder:
        cases = cases_referred_by(user=user)
    elif user.is_authenticated and user.role == Role.SUPPORT_PROVIDER:
        cases = cases_supported_by(user=user)
    else:
        return Letter.objects.none()
    return Letter.objects.filter(decision__case__in=cases.values("pk")).select_related("decision__case")


def case_files_for(*, user: User) -> QuerySet[CaseFile]:
    """Files of information requests and reconsiderations: the authority's staff see their cases' files; the
    referring organisation those of its cases' information requests and its own uploads; the support provider
    its own uploads."""
    if _is_authority_user(user):
        return CaseFile.objects.filter(case__in=case_list_for(user=user).values("pk"))
    if user.is_authenticated and user.is_first_responder:
        own_cases = cases_referred_by(user=user).values("pk")
        return CaseFile.objects.filter(case__in=own_cases).filter(
            Q(information_request__isnull=False) | Q(uploaded_by__organisation_id=user.organisation_id)
        )
    if user.is_authenticated and user.role == Role.SUPPORT_PROVIDER:
        return CaseFile.objects.filter(
            case__in=cases_supported_by(user=user).values("pk"), uploaded_by__organisation_id=user.organisation_id
        )
    return CaseFile.objects.none()


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

"""Every read of casework a page needs, already scoped to the user (design.md, convention 6)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from accounts.models import Organisation, User
from accounts.roles import AUTHORITY_ROLES
from casework.models import Case
from referrals.models import Referral

# What the referring organisation sees: a decision under review is not served yet, so it reads as still awaited.
_STATUS_FOR_REFERRER = {
    Case.Status.RG_NEGATIVE_REVIEW: Case.Status.AWAITING_RG.label,
    Case.Status.CG_NEGATIVE_REVIEW: Case.Status.AWAITING_CG.label,
}


def case_list_for(*, user: User) -> QuerySet[Case]:
    """The cases `user` may open: their own authority's for caseworkers and managers, none for anyone else."""
    if (
        not user.is_authenticated
        or user.role not in AUTHORITY_ROLES
        or user.organisation_id is None
        or user.organisation.kind != Organisation.Kind.COMPETENT_AUTHORITY
    ):
        return Case.objects.none()
    return Case.objects.filter(authority_id=user.organisation_id).select_related("authority", "assignee")


def case_status_label_for_referral(referral: Referral) -> str:
    """The referral's status in plain words for its referring organisation. Lists should fetch the referral
    with `select_related("case")` so that this makes no query."""
    if referral.is_duty_to_notify:
        return "Duty to Notify sent"
    try:
        case = referral.case
    except ObjectDoesNotExist:
        return "Sent"
    return _STATUS_FOR_REFERRER.get(case.status, case.get_status_display())

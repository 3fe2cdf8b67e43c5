"""Which cases, letters and files each user may reach (design.md, convention 6): every other read starts here."""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import Role
from casework.models import Case, CaseFile, Letter
from casework.rules import is_authority_member


def case_list_for(*, user: User) -> QuerySet[Case]:
    """The cases `user` may open: their own authority's for caseworkers and managers, none for anyone else."""
    if not is_authority_member(user):
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


def letters_for(*, user: User) -> QuerySet[Letter]:
    """The letters `user` may download: the authority's staff, those of its cases; the referring organisation and
    the support provider, those of their cases (letters exist only for served decisions)."""
    if is_authority_member(user):
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
    if is_authority_member(user):
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

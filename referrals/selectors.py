"""Every read a referrals view needs, already scoped to the user: a first responder sees their own
organisation's drafts and referrals and nothing else; one whose membership is not verified yet (docs/adr/0006)
sees only the drafts they started and the referrals they sent."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.roles import AUTHORITY_ROLES
from referrals.case_view import referral_cases
from referrals.models import Draft, EvidenceFile, Referral
from referrals.questions import QUESTIONNAIRE

# Filled in by "Start a new referral" itself (the responder's own organisation), so not an answer of theirs.
PREFILLED_ANSWERS = frozenset({"organisation"})


def drafts_for(*, user: User) -> QuerySet[Draft]:
    if not user.is_authenticated or not user.is_first_responder or user.organisation_id is None:
        return Draft.objects.none()
    drafts = Draft.objects.filter(organisation_id=user.organisation_id, submitted_at__isnull=True)
    return drafts if user.organisation_verified else drafts.filter(created_by=user)


def draft_for(*, user: User, pk: int) -> Draft | None:
    """The user's draft `pk`, or None. Sliced rather than first(): a primary key names one row, and the ordering
    first() adds costs a question page the building of a clause that sorts nothing."""
    return next(iter(drafts_for(user=user).filter(pk=pk)[:1]), None)


def answered_drafts(drafts: QuerySet[Draft]) -> QuerySet[Draft]:
    """The drafts in which something was answered (any question but what starting prefilled) or a file added: a
    draft exists for its organisation from then on. A started draft left empty is never listed, and the daily
    hygiene job deletes it (referrals.services.hygiene.drafts_delete_unanswered)."""
    keys = sorted(
        {question.key for section in QUESTIONNAIRE.sections for page in section.pages for question in page.questions}
        - PREFILLED_ANSWERS
    )
    has_evidence = Exists(EvidenceFile.objects.filter(draft=OuterRef("pk")))
    return drafts.filter(Q(answers__has_any_keys=keys) | Q(has_evidence))


def referrals_for(*, user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or not user.is_first_responder or user.organisation_id is None:
        return Referral.objects.none()
    referrals = Referral.objects.filter(organisation_id=user.organisation_id)
    return referrals if user.organisation_verified else referrals.filter(submitted_by=user)


def visited_pages(draft: Draft) -> frozenset[str]:
    return frozenset(draft.answers.get("_visited", []))


def evidence_files_for(*, user: User) -> QuerySet[EvidenceFile]:
    """The evidence files `user` may download: a first responder, their organisation's (drafts and sent
    referrals); caseworkers and managers, those of the referrals whose cases they may open; no one else any."""
    if not user.is_authenticated or user.organisation_id is None:
        return EvidenceFile.objects.none()
    if user.is_first_responder:
        files = EvidenceFile.objects.filter(draft__organisation_id=user.organisation_id)
        return files if user.organisation_verified else files.filter(draft__created_by=user)
    if user.role in AUTHORITY_ROLES:
        return EvidenceFile.objects.filter(draft__referral__in=referral_cases().referral_ids_open_to(user))
    return EvidenceFile.objects.none()

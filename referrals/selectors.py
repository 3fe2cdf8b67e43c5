"""Every read a referrals view needs, already scoped to the user: a first responder sees their own
organisation's drafts and referrals and nothing else."""

from django.db.models import QuerySet

from accounts.models import User
from referrals.models import Draft, Referral


def drafts_for(*, user: User) -> QuerySet[Draft]:
    if not user.is_authenticated or not user.is_first_responder or user.organisation_id is None:
        return Draft.objects.none()
    return Draft.objects.filter(organisation_id=user.organisation_id, submitted_at__isnull=True)


def referrals_for(*, user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or not user.is_first_responder or user.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(organisation_id=user.organisation_id)


def visited_pages(draft: Draft) -> frozenset[str]:
    return frozenset(draft.answers.get("_visited", []))

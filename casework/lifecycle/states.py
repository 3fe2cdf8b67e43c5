"""The sets of states the lifecycle's moves start from, and how a review of a negative decision ends."""

from __future__ import annotations

from django.db import models

from casework.models import Case

Status = Case.Status

ALL_STATUSES = frozenset(Status)
OPEN = frozenset(Case.OPEN_STATUSES)
WORKABLE = frozenset(Case.WORKABLE_STATUSES)
UNDER_REVIEW = frozenset(Case.UNDER_REVIEW_STATUSES)
SERVED_NEGATIVE = frozenset({Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED})
# Nobody works these cases any more: they cannot be assigned (a disqualified case included).
FINISHED = frozenset({Status.MERGED, Status.CLOSED, Status.WITHDRAWN, Status.DISQUALIFIED})
# A suspended case can still be withdrawn, moved or merged.
STOPPABLE = OPEN | {Status.SUSPENDED}
SUSPENDABLE = OPEN | {Status.CONFIRMED_VICTIM}
DISQUALIFIABLE = frozenset(Case.POSITIVE_RG_STATUSES) | {Status.CONFIRMED_VICTIM}
# Where a support provider may be supporting the person: after a positive RG, and for the working days support
# continues after a negative CG is served. Support ends (and is recorded as ended) in any of these or once the
# case has closed; it is extended only while its end date is the one the policy set.
SUPPORTING = frozenset(Case.POSITIVE_RG_STATUSES) | {
    Status.CONFIRMED_VICTIM,
    Status.CG_NEGATIVE_SERVED,
    Status.SUSPENDED,
}
SUPPORT_EXTENDABLE = frozenset(Case.POSITIVE_RG_STATUSES) | {Status.CONFIRMED_VICTIM}
SUPPORT_ENDABLE = SUPPORTING | {Status.CLOSED, Status.WITHDRAWN, Status.DISQUALIFIED}


class ReviewOutcome(models.TextChoices):
    """How a review of a negative decision ends, by a second reviewer or an independent panel."""

    AGREE = "agree", "Agree: serve the decision"
    RETURN = "return", "Return the decision to its maker"
    RECOMMEND_RECONSIDERATION = "recommend_reconsideration", "Recommend the decision is made again"


# Where a case is, as a message says it after its reference ("NRM-2026-004217 is in its recovery period"): never
# the status's value, nor its label, which is a heading ("Recovery period"), not words for a sentence.
STATUS_IN_WORDS = {
    Status.AWAITING_RG: "is awaiting its reasonable grounds decision",
    Status.RG_NEGATIVE_REVIEW: "has a negative reasonable grounds decision waiting for review",
    Status.RG_NEGATIVE_SERVED: "has had a negative reasonable grounds decision",
    Status.RECOVERY: "is in its recovery period",
    Status.AWAITING_CG: "is awaiting its conclusive grounds decision",
    Status.CG_NEGATIVE_REVIEW: "has a negative conclusive grounds decision waiting for review",
    Status.CG_NEGATIVE_SERVED: "has had a negative conclusive grounds decision",
    Status.CONFIRMED_VICTIM: "has had a positive conclusive grounds decision",
    Status.DISQUALIFIED: "has been disqualified on public order grounds",
    Status.SUSPENDED: "is suspended",
    Status.WITHDRAWN: "has been withdrawn",
    Status.MERGED: "has been merged with another case",
    Status.CLOSED: "is closed",
}


def where_the_case_is(case: Case) -> str:
    """ "NRM-2026-004217 is in its recovery period": the case's reference and its status, in words."""
    return f"{case.reference} {STATUS_IN_WORDS[case.status]}"

"""Reads about a case's decisions that both the services and the pages need."""

from django.utils import timezone

from casework.models import Case, Decision

_SERVED_NEGATIVE = {
    Case.Status.RG_NEGATIVE_SERVED: Decision.Stage.RG,
    Case.Status.CG_NEGATIVE_SERVED: Decision.Stage.CG,
}


def decision_open_to_reconsideration(case: Case) -> Decision | None:
    """The served negative decision a reconsideration of `case` would be about, if its state has one."""
    stage = _SERVED_NEGATIVE.get(case.status)
    if stage is None:
        return None
    return (
        case.decisions.filter(stage=stage, outcome=Decision.Outcome.NEGATIVE, state=Decision.State.SERVED)
        .order_by("-served_at", "-pk")
        .first()
    )


def reconsideration_is_late(decision: Decision) -> bool:
    return decision.reconsideration_deadline is not None and timezone.localdate() > decision.reconsideration_deadline

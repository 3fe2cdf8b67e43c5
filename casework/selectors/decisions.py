"""Reads about a case's decisions that both the services and the pages need."""

from datetime import date

from django.utils import timezone

from casework.models import Case, Decision, InformationRequest

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


def open_information_request_due(case: Case) -> date | None:
    """The due date of the earliest information request to the first responder still open on `case`, if any:
    the decision pages warn that the answer is still awaited (a warning, not a block)."""
    return (
        case.information_requests.filter(state=InformationRequest.State.OPEN)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )

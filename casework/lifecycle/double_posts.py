"""A user's own double post ("Confirm and serve" pressed twice, an assignment posted again): the second post finds
the case at a newer version than its form, and was refused as "Someone else changed this case". When the change
since was the same user's same move, it is told so instead ("You have already …"), and the page shows the result.

Decided in one place, from the case's latest event: its actor and kind against the attempted move (and, where
the move has a target, such as who a case is assigned to, the same target)."""

from __future__ import annotations

from accounts.models import User
from casework.errors import AlreadyDone
from casework.lifecycle.table import BY_NAME
from casework.models import Case, CaseEvent

# What the user has already done, after "You have already " ({reference}: the case's).
DONE = {
    "assign_self": "assigned {reference} to yourself",
    "claim_next": "assigned {reference} to yourself",
    "assign_other": "assigned {reference}",
    "release": "released {reference} to the queue",
    "rg_decision": "made the reasonable grounds decision on {reference}",
    "cg_decision": "made the conclusive grounds decision on {reference}",
    "panel_rg_decision": "recorded the panel's reasonable grounds decision on {reference}",
    "panel_cg_decision": "recorded the panel's conclusive grounds decision on {reference}",
    "review_decision": "reviewed the decision on {reference}",
    "panel_review": "recorded the panel's review of the decision on {reference}",
    "respond_to_panel": "answered the panel's recommendation on {reference}",
    "request_information": "asked for more information on {reference}",
    "answer_information_request": "answered the request for information on {reference}",
    "withdraw_information_request": "withdrawn the request for information on {reference}",
    "decide_reconsideration_accept": "decided the reconsideration on {reference}",
    "decide_reconsideration_decline": "decided the reconsideration on {reference}",
    "request_reconsideration": "asked for the decision on {reference} to be reconsidered",
    "suspend": "suspended {reference}",
    "resume": "resumed {reference}",
    "withdraw": "withdrawn {reference}",
    "transfer": "transferred {reference}",
    "mark_duplicate": "marked {reference} as a duplicate",
    "disqualify": "disqualified {reference} on public order grounds",
    "record_support_start": "recorded that support started on {reference}",
    "record_rna": "recorded the Recovery Needs Assessment on {reference}",
    "extend_support": "extended support on {reference}",
    "report_missing": "reported the person on {reference} missing",
    "record_support_end": "recorded that support ended on {reference}",
}


def already_done(name: str, *, case: Case, actor: User | None, **same) -> str:
    """ "You have already …" when the case's latest event is `actor`'s, of a kind the move `name` writes (and its
    data matches `same`, such as assignee_id); "" otherwise (someone else's change, or a different one)."""
    if actor is None or name not in DONE:
        return ""
    latest = CaseEvent.objects.filter(case=case).order_by("-pk").values("actor_id", "kind", "data").first()
    if latest is None or latest["actor_id"] != actor.pk or latest["kind"] not in BY_NAME[name].events:
        return ""
    if any(latest["data"].get(key) != value for key, value in same.items()):
        return ""
    return "You have already " + DONE[name].format(reference=case.reference)


def raise_if_already_done(name: str, *, case: Case, actor: User | None, **same) -> None:
    """Raises AlreadyDone (a StaleCase: nothing is saved) when `already_done` says so."""
    words = already_done(name, case=case, actor=actor, **same)
    if words:
        raise AlreadyDone(words)

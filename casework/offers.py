"""Which moves the case page offers this user: read from the lifecycle table (casework.lifecycle) and the rules
(casework.rules) that the services check, so the page never offers what a service would refuse. The services
stay the authority: a page opened before someone else's change still gets the service's refusal when posted.

A name here is a casework URL name (an action: "assign", "decide_reconsideration") or a transition's own name
("assign_self", "decide_reconsideration_accept"); an action is offered when any of its transitions is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from accounts.models import User
from casework.deadlines import recovery_running
from casework.lifecycle import TRANSITIONS, CaseFacts, Offered, transitions_named
from casework.lifecycle.states import where_the_case_is
from casework.models import Case, Decision, InformationRequest, Reconsideration
from casework.panel_port import PanelWork


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    url: str


def cg_possible_now(case: Case) -> bool:
    return not recovery_running(case)


def _facts(case: Case, decisions, reconsiderations, information_requests=None, panel_work=None) -> CaseFacts:
    """What the page has read, for the guards (no query); without information requests, the guard on one is
    left to the service; without the case's panel work, the panels are asked which panel decides the case."""
    return CaseFacts(
        case,
        decisions=list(decisions),
        reconsiderations=list(reconsiderations),
        information_requests=None if information_requests is None else list(information_requests),
        panel_work=None if panel_work is None else tuple(panel_work),
    )


def allowed(
    name: str,
    case: Case,
    user: User,
    *,
    decisions: Iterable[Decision] = (),
    reconsiderations: Iterable[Reconsideration] = (),
    information_requests: Iterable[InformationRequest] | None = None,
    panel_work: Iterable[PanelWork] | None = None,
) -> bool:
    """Whether `name` is a legal move for `user` on `case` as it is now. For a move on one decision,
    reconsideration or information request, give that one: the move is judged on it."""
    facts = _facts(case, decisions, reconsiderations, information_requests, panel_work)
    return any(transition.allows(user, case, facts) for transition in transitions_named(name))


def _in_a_sentence(words: str, case: Case) -> str:
    return words if words.startswith(case.reference) else words[:1].lower() + words[1:]


def why_not(name: str, case: Case, user: User, *, decisions=(), reconsiderations=()) -> str:
    """Why the move is not open to `user` now, to follow "You cannot <do this> now: " ("" when it is). A wait
    (the recovery period) is not a reason here: the move's page explains it, and its service refuses until it
    is over."""
    facts = _facts(case, decisions, reconsiderations)
    reasons = []
    for transition in transitions_named(name):
        problem, words = transition.why_not(user, case, facts, waiting_is_fine=True)
        if not problem:
            return ""
        if problem == "state" and case.status not in transition.sources:
            words = where_the_case_is(case)
        reasons.append(_in_a_sentence(words, case))
    return reasons[0]


def case_actions(
    case: Case,
    user: User,
    *,
    decisions: list[Decision],
    reconsiderations: list[Reconsideration],
    panel_work: Iterable[PanelWork] | None = None,
) -> list[Action]:
    """The links of the page's Actions list: only moves legal now for this user, in the table's order (a
    conclusive grounds decision once the recovery period is over: before then the page says from when)."""
    facts = _facts(case, decisions, reconsiderations, panel_work=panel_work)
    actions: list[Action] = []
    for transition in TRANSITIONS:
        if transition.offered is not Offered.ACTIONS or any(action.name == transition.action for action in actions):
            continue
        if not transition.allows(user, case, facts):
            continue
        args = [case.reference]
        if transition.action == "review_decision":
            args.append(facts.decision_under_review.pk)
        elif transition.action == "decide_reconsideration":
            args.append(facts.pending_reconsideration.pk)
        actions.append(Action(transition.action, transition.label, reverse(f"casework:{transition.action}", args=args)))
    return actions

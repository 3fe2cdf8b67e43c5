"""Which actions the case page offers this user, from the case's state and the user's role: the same rules the
services apply, so the page never offers what the service would refuse. (The services stay the authority: a page
opened before someone else's change still gets the service's refusal when posted.)"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework.models import Case, Decision, Reconsideration
from casework.rules import works_the_case

S = Case.Status
FINISHED = frozenset({S.MERGED, S.CLOSED, S.WITHDRAWN})
STOPPABLE = frozenset({*Case.OPEN_STATUSES, S.SUSPENDED})
SERVED_NEGATIVE = frozenset({S.RG_NEGATIVE_SERVED, S.CG_NEGATIVE_SERVED})
DISQUALIFIABLE = frozenset({*Case.POSITIVE_RG_STATUSES, S.CONFIRMED_VICTIM})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    url: str


def is_manager(user: User) -> bool:
    return user.role == Role.MANAGER


# The actions of the case's own caseworker or a manager: the services require the same (require_case_owner).
CASE_OWNER_ACTIONS = frozenset({"rg_decision", "cg_decision", "request_information", "suspend", "withdraw", "transfer"})


def cg_possible_now(case: Case) -> bool:
    return case.recovery_ends_at is None or timezone.now() >= case.recovery_ends_at


def decision_for_second_review(decisions: list[Decision]) -> Decision | None:
    return next(
        (
            decision
            for decision in decisions
            if decision.state == Decision.State.UNDER_REVIEW
            and decision.review_route == Decision.ReviewRoute.SECOND_REVIEWER
        ),
        None,
    )


def can_review(user: User, decision: Decision | None) -> bool:
    return decision is not None and is_manager(user) and decision.decided_by_id != user.pk


def pending_reconsideration(reconsiderations: list[Reconsideration]) -> Reconsideration | None:
    return next((r for r in reconsiderations if r.state == Reconsideration.State.PENDING), None)


def _state_allows(name: str, case: Case, decisions, reconsiderations) -> bool:
    status = case.status
    rules = {
        "rg_decision": lambda: status == S.AWAITING_RG,
        "cg_decision": lambda: status in (S.RECOVERY, S.AWAITING_CG),
        "review_decision": lambda: decision_for_second_review(list(decisions)) is not None,
        "request_information": lambda: case.is_open,
        "request_reconsideration": lambda: status in SERVED_NEGATIVE and not pending_reconsideration(reconsiderations),
        "decide_reconsideration": lambda: pending_reconsideration(reconsiderations) is not None,
        "suspend": lambda: status in Case.OPEN_STATUSES or status == S.CONFIRMED_VICTIM,
        "resume": lambda: status == S.SUSPENDED,
        "withdraw": lambda: (status in STOPPABLE or status == S.CONFIRMED_VICTIM) and not case.is_child,
        "transfer": lambda: status in STOPPABLE,
        "mark_duplicate": lambda: status in STOPPABLE,
        "disqualify": lambda: status in DISQUALIFIABLE,
        "assign": lambda: status not in FINISHED,
        "release": lambda: case.assignee_id is not None,
    }
    return rules[name]()


def _user_allowed(name: str, case: Case, user: User, decisions) -> bool:
    if name in CASE_OWNER_ACTIONS:
        return works_the_case(user, case)
    if name == "review_decision":
        return can_review(user, decision_for_second_review(list(decisions)))
    if name in ("decide_reconsideration", "disqualify"):
        return is_manager(user)
    if name == "assign":
        return is_manager(user) or case.assignee_id is None
    if name == "release":
        return is_manager(user) or case.assignee_id == user.pk
    return True


def allowed(name: str, case: Case, user: User, *, decisions=(), reconsiderations=()) -> bool:
    """Whether `name` (a casework URL name) is a legal move for `user` on `case` as it is now."""
    return _state_allows(name, case, decisions, reconsiderations) and _user_allowed(name, case, user, decisions)


def why_not(name: str, case: Case, user: User, *, decisions=(), reconsiderations=()) -> str:
    """Why the move is not open to `user` now, in words ("" when it is)."""
    if not _state_allows(name, case, decisions, reconsiderations):
        if case.is_child and name == "withdraw":
            return f"{case.reference} is a child's case: only an adult can withdraw from the NRM"
        return f"{case.reference} is {case.get_status_display().lower()}"
    if _user_allowed(name, case, user, decisions):
        return ""
    if name in CASE_OWNER_ACTIONS and case.assignee_id is None:
        return f"assign {case.reference} to yourself first"
    if name in CASE_OWNER_ACTIONS | {"assign", "release"}:
        return f"{case.reference} is assigned to someone else: ask a manager to reassign it"
    return "a manager other than the decision maker must do this"


ACTION_LABELS = (
    ("rg_decision", "Make the reasonable grounds decision"),
    ("cg_decision", "Make the conclusive grounds decision"),
    ("review_decision", "Review the negative decision"),
    ("request_information", "Request information from the first responder"),
    ("decide_reconsideration", "Accept or decline the reconsideration request"),
    ("request_reconsideration", "Request reconsideration on the person's behalf"),
    ("suspend", "Suspend the case (person missing)"),
    ("resume", "Resume the case"),
    ("withdraw", "Withdraw the case"),
    ("transfer", "Transfer to the other competent authority"),
    ("mark_duplicate", "Mark as a duplicate"),
    ("disqualify", "Disqualify on public order grounds"),
)


def case_actions(case: Case, user: User, *, decisions: list[Decision], reconsiderations: list[Reconsideration]):
    """The links of the page's Actions list: only moves legal now for this user. A conclusive grounds decision is
    listed once the recovery period is over (before then the page says from when)."""
    actions = []
    for name, label in ACTION_LABELS:
        if not allowed(name, case, user, decisions=decisions, reconsiderations=reconsiderations):
            continue
        if name == "cg_decision" and not cg_possible_now(case):
            continue
        args = [case.reference]
        if name == "review_decision":
            args.append(decision_for_second_review(decisions).pk)
        elif name == "decide_reconsideration":
            args.append(pending_reconsideration(reconsiderations).pk)
        actions.append(Action(name, label, reverse(f"casework:{name}", args=args)))
    return actions

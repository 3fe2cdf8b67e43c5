"""The case lifecycle, declared once: every move a case can make, from which states, to which, who may make it,
and the timeline events it writes.

Services begin with `begin(MOVE, ...)`: it locks the case, checks the version the form was opened at, the state
and the rule, and raises the typed errors of casework.services.base. The case page offers moves from the same
table (casework.offers), so a page can never offer what its service refuses. The diagram in
docs/lifecycle.md is written from this table by `manage.py lifecycle_diagram` (CI checks it is current).

Adding an arrow: one row here, its service body, and its wording (casework.selectors.timeline, the event's
payload in casework.events when it writes a new kind).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework import rules
from casework.deadlines import recovery_running, refresh_next_deadline
from casework.errors import STALE_MESSAGE, IllegalTransition, NotPermitted, StaleCase
from casework.models import Case, CaseEvent, Decision, InformationRequest, Reconsideration, ReviewRoute

Status = Case.Status
Kind = CaseEvent.Kind

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


class ReviewOutcome(models.TextChoices):
    """How a review of a negative decision ends, by a second reviewer or an independent panel."""

    AGREE = "agree", "Agree: serve the decision"
    RETURN = "return", "Return the decision to its maker"
    RECOMMEND_RECONSIDERATION = "recommend_reconsideration", "Recommend the decision is made again"


class CaseFacts:
    """What a move's guard and rule may need beyond the case row. The case page passes the rows it has already
    read, so offering actions costs no query; a service reads them on demand, under the case's lock."""

    def __init__(
        self,
        case: Case,
        *,
        decisions: Sequence[Decision] | None = None,
        reconsiderations: Sequence[Reconsideration] | None = None,
        information_requests: Sequence[InformationRequest] | None = None,
    ):
        self.case = case
        self._decisions = decisions
        self._reconsiderations = reconsiderations
        # The page's: the one request a withdraw link is for. A service checks its own locked row instead.
        self.information_requests = information_requests

    @cached_property
    def decision_under_review(self) -> Decision | None:
        if self.case.status not in UNDER_REVIEW:
            return None
        if self._decisions is not None:
            return next((d for d in self._decisions if d.state == Decision.State.UNDER_REVIEW), None)
        return self.case.decisions.filter(state=Decision.State.UNDER_REVIEW).order_by("-pk").first()

    @cached_property
    def pending_reconsideration(self) -> Reconsideration | None:
        if self._reconsiderations is not None:
            return next((r for r in self._reconsiderations if r.state == Reconsideration.State.PENDING), None)
        return self.case.reconsiderations.filter(state=Reconsideration.State.PENDING).order_by("-pk").first()

    def review_route(self) -> str:
        decision = self.decision_under_review
        return decision.review_route if decision is not None else ""


Check = Callable[[User, Case, CaseFacts], bool]
Refusal = Callable[[User, Case, CaseFacts], str]


@dataclass(frozen=True)
class Rule:
    """Who may make a move: a predicate of casework.rules, and the words of the refusal."""

    name: str
    check: Check
    refusal: Refusal

    def __call__(self, user: User | None, case: Case, facts: CaseFacts) -> bool:
        return user is not None and self.check(user, case, facts)


def _owner_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_authority_staff(user, case):
        return f"Only staff of the authority deciding {case.reference} can do this"
    if case.assignee_id is None:
        return f"Assign {case.reference} to yourself before you work on it"
    return f"{case.reference} is assigned to someone else: ask a manager to reassign it"


def _second_reviewer(user: User, case: Case, facts: CaseFacts) -> bool:
    decision = facts.decision_under_review
    return decision is not None and rules.is_second_reviewer(user, case, decision)


def _second_reviewer_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_manager(user, case):
        return f"Only a manager of the authority deciding {case.reference} can review this decision"
    return "A second reviewer must be someone other than the decision maker"


def _take_refusal(user: User, case: Case, facts: CaseFacts) -> str:
    if not rules.is_authority_staff(user, case):
        return f"Only staff of the authority deciding {case.reference} can do this"
    return f"{case.reference} is assigned to someone else: ask a manager to reassign it"


def _staff_refusal(user, case, facts) -> str:
    return f"Only staff of the authority deciding {case.reference} can do this"


def _manager_refusal(user, case, facts) -> str:
    return f"Only a manager of the authority deciding {case.reference} can do this"


AUTHORITY_STAFF = Rule("authority staff", lambda u, c, f: rules.is_authority_staff(u, c), _staff_refusal)
MANAGER = Rule("a manager", lambda u, c, f: rules.is_manager(u, c), _manager_refusal)
CASE_WORKER = Rule("the case's worker or a manager", lambda u, c, f: rules.works_the_case(u, c), _owner_refusal)
TAKE = Rule("staff, when unassigned; a manager", lambda u, c, f: rules.may_take_or_assign(u, c), _take_refusal)
MANAGER_ASSIGNS = Rule(
    "a manager",
    lambda u, c, f: rules.is_manager(u, c),
    lambda u, c, f: (
        "Only a manager can assign a case to someone else"
        if rules.is_authority_staff(u, c)
        else _staff_refusal(u, c, f)
    ),
)
RELEASER = Rule(
    "the case's worker or a manager",
    lambda u, c, f: rules.may_release(u, c),
    lambda u, c, f: (
        f"Only the caseworker of {c.reference} or a manager can release it"
        if rules.is_authority_staff(u, c)
        else _staff_refusal(u, c, f)
    ),
)
SECOND_REVIEWER = Rule("a manager other than the decision maker", _second_reviewer, _second_reviewer_refusal)
PANEL_CHAIR = Rule(
    "an independent panel's chair",
    lambda u, c, f: rules.is_panel_chair(u),
    lambda u, c, f: f"Only the chair of an independent panel can conclude its review of {c.reference}",
)
RECONSIDERATION_REQUESTER = Rule(
    "the referrer, the support provider or authority staff",
    lambda u, c, f: rules.can_request_reconsideration(u, c),
    lambda u, c, f: f"You cannot ask for reconsideration of {c.reference}",
)
REFERRER = Rule(
    "the referring organisation",
    lambda u, c, f: rules.can_answer_information_request(u, c),
    lambda u, c, f: "Only the organisation that made the referral can answer this request",
)
SYSTEM = Rule("the service's own jobs", lambda u, c, f: False, lambda u, c, f: "Only the service itself does this")


# Guards: what the state of a case must be beyond its status. Each returns why not, or "".
Guard = Callable[[User | None, Case, CaseFacts], str]


def _adult_only(user, case: Case, facts) -> str:
    if case.is_child:
        return f"{case.reference} is a child's case: only an adult can withdraw from the NRM"
    return ""


def not_yet(guard: Guard) -> Guard:
    """Marks a guard that only says "not yet" (a clock still running): the move's own page explains the wait
    rather than sending the user back, while the case page does not list the move until the wait is over."""
    guard.not_yet = True
    return guard


@not_yet
def _recovery_over(user, case: Case, facts) -> str:
    if recovery_running(case):
        ends = date_format(timezone.localtime(case.recovery_ends_at).date(), "j F Y")
        return (
            f"You cannot make a conclusive grounds decision on {case.reference} until the recovery period ends "
            f"on {ends}"
        )
    return ""


def _not_already_theirs(user, case: Case, facts) -> str:
    if user is not None and case.assignee_id == user.pk:
        return f"{case.reference} is already assigned to you"
    return ""


def _assigned(user, case: Case, facts) -> str:
    return "" if case.assignee_id is not None else f"{case.reference} is not assigned to anyone"


def _unassigned(user, case: Case, facts) -> str:
    return "" if case.assignee_id is None else f"{case.reference} is already assigned"


def _review_route_is(route: str) -> Guard:
    def guard(user, case: Case, facts: CaseFacts) -> str:
        decision = facts.decision_under_review
        if decision is None:
            return _not_waiting_for_review(case)
        if decision.review_route != route:
            if route == ReviewRoute.SECOND_REVIEWER:
                return f"An independent panel reviews this decision on {case.reference}"
            return f"A second reviewer in the authority reviews this decision on {case.reference}"
        return ""

    return guard


def _no_pending_reconsideration(user, case: Case, facts: CaseFacts) -> str:
    if facts.pending_reconsideration is not None:
        return f"A reconsideration of this decision on {case.reference} is already waiting"
    return ""


def _pending_reconsideration(user, case: Case, facts: CaseFacts) -> str:
    if facts.pending_reconsideration is None:
        return f"No reconsideration of {case.reference} is waiting for a decision"
    return ""


def _an_open_request(user, case: Case, facts: CaseFacts) -> str:
    if facts.information_requests is None or any(item.is_open for item in facts.information_requests):
        return ""
    return f"No request on {case.reference} is waiting for an answer"


def _recovery_ended_now(user, case: Case, facts) -> str:
    if not case.recovery_ends_at or case.recovery_ends_at > timezone.now():
        return "The recovery period has not ended"
    return ""


def _support_ended_now(user, case: Case, facts) -> str:
    if not case.support_ends_at or case.support_ends_at > timezone.now():
        return "Support has not ended"
    return ""


class Offered(enum.Enum):
    """Where a move is offered to people: the case page's Actions list or its own controls, another page, or
    nowhere (the service's own jobs, and moves made inside another move)."""

    ACTIONS = "the case page's Actions list"
    CASE_PAGE = "a control on the case page"
    OTHER_PAGE = "another page"
    NOWHERE = "no page"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    targets: frozenset[str]  # empty: the status does not change
    rule: Rule
    events: tuple[str, ...]  # the kinds the move writes; the first is its own
    # The action the case page names it by (a casework URL name) and its label in the Actions list.
    action: str = ""
    label: str = ""
    offered: Offered = Offered.NOWHERE
    guards: tuple[Guard, ...] = ()
    # In the refusal "You cannot <verb> because <reference> is <status>".
    verb: str = ""
    state_refusal: Callable[[Case], str] | None = None
    locks: bool = True  # False only for internal notes, which change nothing on the case
    versioned: bool = True
    # Where a move leads depends on where it starts: {source: targets} for the sources that narrow `targets`.
    paths: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def changes_status(self) -> bool:
        return bool(self.targets)

    @property
    def event(self) -> str:
        return self.events[0]

    def targets_from(self, source: str) -> frozenset[str]:
        return dict(self.paths).get(source, self.targets)

    def refused_state(self, case: Case) -> str:
        if self.state_refusal is not None:
            return self.state_refusal(case)
        return f"You cannot {self.verb} because {case.reference} is {case.get_status_display().lower()}"

    def why_not(
        self, user: User | None, case: Case, facts: CaseFacts, *, waiting_is_fine: bool = False
    ) -> tuple[str, str]:
        """("state" or "rule", the words) when `user` may not make this move on `case` now; ("", "") when they
        may. The status is checked first, then who may (so that someone who may not act on the case learns
        nothing more of it), then the guards on the rest of the case's state."""
        if case.status not in self.sources:
            return "state", self.refused_state(case)
        if not self.rule(user, case, facts):
            return "rule", self.rule.refusal(user, case, facts) if user is not None else "Sign in first"
        for guard in self.guards:
            if waiting_is_fine and getattr(guard, "not_yet", False):
                continue
            reason = guard(user, case, facts)
            if reason:
                return "state", reason
        return "", ""

    def allows(self, user: User | None, case: Case, facts: CaseFacts) -> bool:
        return self.why_not(user, case, facts) == ("", "")


def _served_negative_refusal(case: Case) -> str:
    return (
        f"Reconsideration can only be asked for a served negative decision: {case.reference} is "
        f"{case.get_status_display().lower()}"
    )


def _not_waiting_for_review(case: Case) -> str:
    if case.status == Status.SUSPENDED:  # its decision waits until the case resumes
        return f"You cannot review this decision because {case.reference} is suspended"
    return f"This decision on {case.reference} is not waiting for a review"


def _cannot_assign(case: Case) -> str:
    return f"{case.reference} is {case.get_status_display().lower()}: it cannot be assigned"


def _t(name: str, **values) -> Transition:
    for key in ("sources", "targets"):
        values[key] = frozenset(values.get(key, ()))
    values["paths"] = tuple((source, frozenset(targets)) for source, targets in values.get("paths", {}).items())
    return Transition(name, **values)


_BY_STAGE_OF_REVIEW = {
    Status.RG_NEGATIVE_REVIEW: {Status.RG_NEGATIVE_SERVED, Status.AWAITING_RG},
    Status.CG_NEGATIVE_REVIEW: {Status.CG_NEGATIVE_SERVED, Status.AWAITING_CG},
}


TRANSITIONS: tuple[Transition, ...] = (
    # Opening (referrals.services.submission calls casework.services.opening in the submission's transaction).
    _t("open", sources=(), targets={Status.AWAITING_RG}, rule=SYSTEM, events=(Kind.OPENED,)),
    _t(
        "flag_possible_duplicates",
        sources=ALL_STATUSES,
        rule=SYSTEM,
        events=(Kind.POSSIBLE_DUPLICATE_FLAGGED,),
    ),
    # Who works the case.
    _t(
        "assign_self",
        action="assign",
        label="Assign to me",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES - FINISHED,
        rule=TAKE,
        guards=(_not_already_theirs,),
        events=(Kind.ASSIGNED,),
        state_refusal=_cannot_assign,
    ),
    _t(
        "assign_other",
        action="assign",
        label="Reassign",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES - FINISHED,
        rule=MANAGER_ASSIGNS,
        events=(Kind.ASSIGNED,),
        state_refusal=_cannot_assign,
    ),
    _t(
        "claim_next",
        offered=Offered.OTHER_PAGE,
        sources=WORKABLE,
        rule=Rule(
            "authority staff", lambda u, c, f: rules.is_authority_staff(u, c) and c.assignee_id is None, _staff_refusal
        ),
        events=(Kind.ASSIGNED,),
        verb="take the case",
    ),
    _t(
        "release",
        action="release",
        label="Release to the queue",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=RELEASER,
        guards=(_assigned,),
        events=(Kind.RELEASED,),
    ),
    _t(
        "add_note",
        action="add_note",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=AUTHORITY_STAFF,
        events=(Kind.NOTE_ADDED,),
        locks=False,
        versioned=False,
    ),
    # Decisions.
    _t(
        "rg_decision",
        action="rg_decision",
        label="Make the reasonable grounds decision",
        offered=Offered.ACTIONS,
        sources={Status.AWAITING_RG},
        targets={Status.RECOVERY, Status.RG_NEGATIVE_REVIEW, Status.RG_NEGATIVE_SERVED},
        rule=CASE_WORKER,
        events=(Kind.RG_DECIDED, Kind.DECISION_PROPOSED, Kind.DECISION_SERVED, Kind.SUPPORT_STARTED),
        verb="make a reasonable grounds decision",
    ),
    _t(
        "cg_decision",
        action="cg_decision",
        label="Make the conclusive grounds decision",
        offered=Offered.ACTIONS,
        sources={Status.RECOVERY, Status.AWAITING_CG},
        targets={Status.CONFIRMED_VICTIM, Status.CG_NEGATIVE_REVIEW, Status.CG_NEGATIVE_SERVED},
        rule=CASE_WORKER,
        guards=(_recovery_over,),
        events=(Kind.CG_DECIDED, Kind.DECISION_PROPOSED, Kind.DECISION_SERVED),
        verb="make a conclusive grounds decision",
    ),
    _t(
        "review_decision",
        action="review_decision",
        label="Review the negative decision",
        offered=Offered.ACTIONS,
        sources=UNDER_REVIEW,
        targets={Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED, Status.AWAITING_RG, Status.AWAITING_CG},
        paths=_BY_STAGE_OF_REVIEW,
        rule=SECOND_REVIEWER,
        guards=(_review_route_is(ReviewRoute.SECOND_REVIEWER),),
        events=(Kind.DECISION_AGREED, Kind.DECISION_SERVED, Kind.DECISION_RETURNED),
        verb="review this decision",
        state_refusal=_not_waiting_for_review,
    ),
    _t(
        "panel_review",
        offered=Offered.OTHER_PAGE,
        sources=UNDER_REVIEW,
        targets={Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED, Status.AWAITING_RG, Status.AWAITING_CG},
        paths=_BY_STAGE_OF_REVIEW,
        rule=PANEL_CHAIR,
        guards=(_review_route_is(ReviewRoute.PANEL),),
        events=(Kind.DECISION_AGREED, Kind.DECISION_SERVED, Kind.DECISION_RETURNED),
        verb="conclude the panel's review",
        state_refusal=_not_waiting_for_review,
    ),
    # Questions to the first responder.
    _t(
        "request_information",
        action="request_information",
        label="Request information from the first responder",
        offered=Offered.ACTIONS,
        sources=OPEN,
        rule=CASE_WORKER,
        events=(Kind.INFORMATION_REQUESTED,),
        verb="request information",
    ),
    _t(
        "answer_information_request",
        offered=Offered.OTHER_PAGE,
        sources=ALL_STATUSES,
        rule=REFERRER,
        events=(Kind.INFORMATION_ANSWERED,),
    ),
    _t(
        "withdraw_information_request",
        action="withdraw_information_request",
        offered=Offered.CASE_PAGE,
        sources=ALL_STATUSES,
        rule=CASE_WORKER,
        guards=(_an_open_request,),
        events=(Kind.INFORMATION_CANCELLED,),
    ),
    # Reconsideration of a served negative decision.
    _t(
        "decide_reconsideration_accept",
        action="decide_reconsideration",
        label="Accept or decline the reconsideration request",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        targets={Status.AWAITING_RG, Status.AWAITING_CG},
        paths={Status.RG_NEGATIVE_SERVED: {Status.AWAITING_RG}, Status.CG_NEGATIVE_SERVED: {Status.AWAITING_CG}},
        rule=MANAGER,
        guards=(_pending_reconsideration,),
        events=(Kind.RECONSIDERATION_ACCEPTED,),
        verb="decide the reconsideration",
    ),
    _t(
        "decide_reconsideration_decline",
        action="decide_reconsideration",
        label="Accept or decline the reconsideration request",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        rule=MANAGER,
        guards=(_pending_reconsideration,),
        events=(Kind.RECONSIDERATION_DECLINED,),
        verb="decide the reconsideration",
    ),
    _t(
        "request_reconsideration",
        action="request_reconsideration",
        label="Request reconsideration on the person's behalf",
        offered=Offered.ACTIONS,
        sources=SERVED_NEGATIVE,
        rule=RECONSIDERATION_REQUESTER,
        guards=(_no_pending_reconsideration,),
        events=(Kind.RECONSIDERATION_REQUESTED,),
        state_refusal=_served_negative_refusal,
    ),
    # Stopping, pausing and moving a case.
    _t(
        "suspend",
        action="suspend",
        label="Suspend the case (person missing)",
        offered=Offered.ACTIONS,
        sources=SUSPENDABLE,
        targets={Status.SUSPENDED},
        rule=CASE_WORKER,
        events=(Kind.SUSPENDED,),
        verb="suspend the case",
    ),
    _t(
        "resume",
        action="resume",
        label="Resume the case",
        offered=Offered.ACTIONS,
        sources={Status.SUSPENDED},
        targets=SUSPENDABLE,  # the status it had before
        rule=AUTHORITY_STAFF,
        events=(Kind.RESUMED,),
        verb="resume the case",
    ),
    _t(
        "withdraw",
        action="withdraw",
        label="Withdraw the case",
        offered=Offered.ACTIONS,
        sources=STOPPABLE | {Status.CONFIRMED_VICTIM},
        targets={Status.WITHDRAWN},
        rule=CASE_WORKER,
        guards=(_adult_only,),
        events=(Kind.WITHDRAWN,),
        verb="withdraw the case",
    ),
    _t(
        "transfer",
        action="transfer",
        label="Transfer to the other competent authority",
        offered=Offered.ACTIONS,
        sources=STOPPABLE,
        rule=CASE_WORKER,
        events=(Kind.TRANSFERRED,),
        verb="transfer the case",
    ),
    _t(
        "mark_duplicate",
        action="mark_duplicate",
        label="Mark as a duplicate",
        offered=Offered.ACTIONS,
        sources=STOPPABLE,
        targets={Status.MERGED},
        rule=AUTHORITY_STAFF,
        events=(Kind.MERGED,),
        verb="mark the case as a duplicate",
    ),
    _t(
        "disqualify",
        action="disqualify",
        label="Disqualify on public order grounds",
        offered=Offered.ACTIONS,
        sources=DISQUALIFIABLE,
        targets={Status.DISQUALIFIED},
        rule=MANAGER,
        events=(Kind.DISQUALIFIED,),
        verb="disqualify on public order grounds",
    ),
    # The service's own jobs (nrm/celery.py), and the retention policy's.
    _t(
        "end_recovery",
        sources={Status.RECOVERY},
        targets={Status.AWAITING_CG},
        rule=SYSTEM,
        guards=(_recovery_ended_now,),
        events=(Kind.RECOVERY_ENDED,),
        verb="end the recovery period",
    ),
    _t(
        "warn_support_ending",
        sources={Status.CONFIRMED_VICTIM},
        rule=SYSTEM,
        events=(Kind.SUPPORT_ENDING_WARNED,),
        verb="warn that support is ending",
        versioned=False,
    ),
    _t(
        "close_after_support",
        sources={Status.CONFIRMED_VICTIM},
        targets={Status.CLOSED},
        rule=SYSTEM,
        guards=(_support_ended_now,),
        events=(Kind.CLOSED,),
        verb="close the case",
    ),
    _t(
        "anonymise",
        sources=FINISHED | SERVED_NEGATIVE | {Status.CLOSED},
        rule=SYSTEM,
        events=(Kind.ANONYMISED,),
        verb="anonymise the case",
        versioned=False,
    ),
)

BY_NAME: dict[str, Transition] = {transition.name: transition for transition in TRANSITIONS}


def transition(name: str) -> Transition:
    return BY_NAME[name]


def transitions_for_action(action: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action]


def statuses_entered() -> frozenset[str]:
    return frozenset(status for t in TRANSITIONS for status in t.targets)


# Services begin here. ---------------------------------------------------------------------------------------


@dataclass
class Move:
    """One move under way in a service: the locked case, the status it left, and how to finish it."""

    transition: Transition
    case: Case
    actor: User | None
    facts: CaseFacts
    from_status: str
    finished: bool = field(default=False)

    def enter(self, status: str) -> None:
        """Moves the case to `status`, one of the move's declared targets from where it started."""
        if status not in self.transition.targets_from(self.from_status):
            raise ValueError(f"{self.transition.name} does not lead to {status} (casework/lifecycle.py)")
        self.case.status = status

    def record(self, kind: str, **data) -> CaseEvent:
        """An event of the move that changes nothing on the case yet (the decision made, the reviewer's
        agreement, support started)."""
        self._check_kind(kind)
        return CaseEvent.record(self.case, self.actor, kind, from_status=self.case.status, **data)

    def finish(self, kind: str | None = None, **data) -> CaseEvent:
        """Saves the case (a new version, its next deadline worked out again) with the move's event, which
        records the status the move started from and the one it ends in."""
        kind = kind or self.transition.event
        self._check_kind(kind)
        refresh_next_deadline(self.case)
        if self.transition.versioned:
            self.case.version += 1
        self.case.save()
        self.finished = True
        return CaseEvent.record(self.case, self.actor, kind, from_status=self.from_status, **data)

    def _check_kind(self, kind: str) -> None:
        if kind not in self.transition.events:
            raise ValueError(f"{self.transition.name} does not write {kind} events (casework/lifecycle.py)")


def check(name: str, *, case: Case, actor: User | None, facts: CaseFacts | None = None) -> CaseFacts:
    """Raises the move's refusal (IllegalTransition for the state, NotPermitted for the rule) unless `actor` may
    make it on `case` now."""
    facts = facts or CaseFacts(case)
    problem, words = BY_NAME[name].why_not(actor, case, facts)
    if problem == "state":
        raise IllegalTransition(words)
    if problem == "rule" and not (actor is None and BY_NAME[name].rule is SYSTEM):
        raise NotPermitted(words)
    return facts


def lock_case(case_id: int, *, expected_version: int | None = None) -> Case:
    """The case, locked for the rest of the transaction; refused when it changed since `expected_version`."""
    case = Case.objects.select_for_update(of=("self",)).select_related("referral").get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(STALE_MESSAGE)
    return case


def begin(name: str, *, case_id: int, actor: User | None, expected_version: int | None = None) -> Move:
    """The first line of every service that moves a case: the case locked for the rest of the transaction,
    refused when it changed since `expected_version`, when its state does not allow the move, or when `actor`
    may not make it (`actor` None: the service's own job)."""
    transition_ = BY_NAME[name]
    if transition_.locks:
        case = lock_case(case_id, expected_version=expected_version)
    else:
        case = Case.objects.select_related("referral").get(pk=case_id)
    facts = check(name, case=case, actor=actor)
    return Move(transition_, case, actor, facts, from_status=case.status)


def offered_transitions(
    case: Case, user: User, *, decisions: Iterable[Decision] = (), reconsiderations: Iterable[Reconsideration] = ()
) -> list[Transition]:
    """The moves `user` may make on `case` now, of those a page offers, in the table's order."""
    facts = CaseFacts(case, decisions=list(decisions), reconsiderations=list(reconsiderations))
    return [t for t in TRANSITIONS if t.offered is not Offered.NOWHERE and t.allows(user, case, facts)]


def try_begin(name: str, *, case_id: int) -> Move | None:
    """`begin` for the service's own jobs, which find the work already done (or not due) rather than fail:
    None when the case's state does not allow the move now. Safe to run twice."""
    try:
        return begin(name, case_id=case_id, actor=None)
    except IllegalTransition:
        return None


def begin_locked(name: str, *, case: Case, actor: User | None) -> Move:
    """`begin` for a case the caller has already locked in this transaction ("Get next case" locks the row it
    picks while skipping the rows others hold)."""
    facts = check(name, case=case, actor=actor)
    return Move(BY_NAME[name], case, actor, facts, from_status=case.status)

"""What a move of the lifecycle is: its row (Transition), who may make it (Rule), what it may need to know
about the case beyond its row (CaseFacts), and the guards on the rest of the case's state."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from accounts.models import User
from casework.lifecycle.states import UNDER_REVIEW, where_the_case_is
from casework.models import Case, Decision, InformationRequest, Reconsideration
from casework.panel_port import PanelWork, deciding_panel_in, panels


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
        panel_work: Sequence[PanelWork] | None = None,
    ):
        self.case = case
        self._decisions = decisions
        self._reconsiderations = reconsiderations
        # The page's: the one request a withdraw link is for. A service checks its own locked row instead.
        self.information_requests = information_requests
        # The page's panel work of the case (casework.panel_port), read already: it names the deciding panel of a
        # stage without asking the panels again, unless it leaves the answer open.
        self._panel_work = panel_work
        self._deciding_panels: dict[str, str] = {}

    @cached_property
    def decision_under_review(self) -> Decision | None:
        if self.case.status not in UNDER_REVIEW:
            return None
        if self._decisions is not None:
            return next((d for d in self._decisions if d.state == Decision.State.UNDER_REVIEW), None)
        return self.case.decisions.filter(state=Decision.State.UNDER_REVIEW).order_by("-pk").first()

    @cached_property
    def decision_awaiting_response(self) -> Decision | None:
        """A decision an independent panel recommends reconsidering, waiting for a manager's response."""
        if self.case.status not in UNDER_REVIEW:
            return None
        waiting = Decision.State.RECONSIDERATION_RECOMMENDED
        if self._decisions is not None:
            return next((d for d in self._decisions if d.state == waiting), None)
        return self.case.decisions.filter(state=waiting).order_by("-pk").first()

    def deciding_panel(self, stage: str) -> str:
        """The name of the decision-making panel that makes this case's decision at `stage` ("" for the
        authority), asked of the panels once per stage."""
        if stage not in self._deciding_panels:
            known = deciding_panel_in(self._panel_work, stage) if self._panel_work is not None else None
            self._deciding_panels[stage] = (
                known if known is not None else panels().deciding_panel(case=self.case, stage=stage)
            )
        return self._deciding_panels[stage]

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
    """Who may make a move: a predicate of casework.rules, and the words of the refusal. A move of the
    service's own jobs is made with no user (`by_the_service`), and by no user."""

    name: str
    check: Check
    refusal: Refusal
    by_the_service: bool = False

    def __call__(self, user: User | None, case: Case, facts: CaseFacts) -> bool:
        if user is None:
            return self.by_the_service
        return not self.by_the_service and self.check(user, case, facts)


# Guards: what the state of a case must be beyond its status. Each returns why not, or "".
Guard = Callable[[User | None, Case, CaseFacts], str]


def not_yet(guard: Guard) -> Guard:
    """Marks a guard that only says "not yet" (a clock still running): the move's own page explains the wait
    rather than sending the user back, while the case page does not list the move until the wait is over."""
    guard.not_yet = True
    return guard


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
        return f"You cannot {self.verb} because {where_the_case_is(case)}"

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

"""Where every service that moves a case begins: the lock, the checks and the move's event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from accounts.models import User
from casework.deadlines import refresh_next_deadline
from casework.errors import STALE_MESSAGE, IllegalTransition, NotPermitted, StaleCase
from casework.lifecycle.double_posts import raise_if_already_done
from casework.lifecycle.table import BY_NAME, TRANSITIONS
from casework.lifecycle.transition import CaseFacts, Offered, Transition
from casework.models import Case, CaseEvent, Decision, Reconsideration
from casework.panel_port import panels


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
            raise ValueError(f"{self.transition.name} does not lead to {status} (casework/lifecycle/table.py)")
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
        event = CaseEvent.record(self.case, self.actor, kind, from_status=self.from_status, **data)
        if self.case.status != self.from_status:
            # In this transaction: a case reaching a panel's decision is sent to it, one closing takes its panel
            # work with it (casework.panel_port).
            panels().case_moved(case=self.case, from_status=self.from_status, to_status=self.case.status)
        return event

    def _check_kind(self, kind: str) -> None:
        if kind not in self.transition.events:
            raise ValueError(f"{self.transition.name} does not write {kind} events (casework/lifecycle/table.py)")


def check(name: str, *, case: Case, actor: User | None, facts: CaseFacts | None = None) -> CaseFacts:
    """Raises the move's refusal (IllegalTransition for the state, NotPermitted for the rule) unless `actor` may
    make it on `case` now."""
    facts = facts or CaseFacts(case)
    problem, words = BY_NAME[name].why_not(actor, case, facts)
    if problem == "state":
        raise IllegalTransition(words)
    if problem == "rule":
        raise NotPermitted(words)
    return facts


def lock_case(case_id: int, *, expected_version: int | None = None) -> Case:
    """The case, locked for the rest of the transaction; refused when it changed since `expected_version`.

    FOR NO KEY UPDATE, not FOR UPDATE: it still keeps every other move off the case, but not the rows that only
    point at it (the access-log row each read of the case writes takes FOR KEY SHARE on the case), so reading a
    case never waits for someone changing it (docs/adr/0018)."""
    case = Case.objects.select_for_update(of=("self",), no_key=True).select_related("referral").get(pk=case_id)
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(STALE_MESSAGE)
    return case


def lock_case_for(name: str, case_id: int, *, actor: User | None, expected_version: int | None = None, **same) -> Case:
    """`lock_case` for the move `name` by `actor`: when the case changed since `expected_version` because `actor`
    already made this same move (a double post), AlreadyDone says so rather than "Someone else changed this case"
    (casework.lifecycle.double_posts; `same`: what the event must match, such as assignee_id)."""
    try:
        return lock_case(case_id, expected_version=expected_version)
    except StaleCase:
        raise_if_already_done(name, case=Case.objects.get(pk=case_id), actor=actor, **same)
        raise


def begin(
    name: str, *, case_id: int, actor: User | None, expected_version: int | None = None, same: dict | None = None
) -> Move:
    """The first line of every service that moves a case: the case locked for the rest of the transaction,
    refused when it changed since `expected_version` (AlreadyDone when the change was `actor`'s own same move,
    matching `same`), when its state does not allow the move, or when `actor` may not make it (`actor` None: the
    service's own job)."""
    transition_ = BY_NAME[name]
    if transition_.locks:
        case = lock_case_for(name, case_id, actor=actor, expected_version=expected_version, **(same or {}))
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


def begin_locked(name: str, *, case: Case, actor: User | None, facts: CaseFacts | None = None) -> Move:
    """`begin` for a case the caller has already locked in this transaction ("Get next case" locks the row it
    picks while skipping the rows others hold; a review or a reconsideration also locks the row it is about, and
    gives it as `facts`, so that the checks judge that row without reading it again)."""
    facts = check(name, case=case, actor=actor, facts=facts)
    return Move(BY_NAME[name], case, actor, facts, from_status=case.status)

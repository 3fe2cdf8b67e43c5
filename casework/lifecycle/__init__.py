"""The case lifecycle, declared once: every move a case can make, from which states, to which, who may make it,
and the timeline events it writes.

- `table.py`: the table, one row per move (ADR 11).
- `who.py`: the rules (from casework.rules) and guards the rows name, with the words of each refusal.
- `transition.py`: what a row is; `states.py`: the sets of states the rows start from.
- `moves.py`: `begin(MOVE, ...)`, where every service that moves a case begins: it locks the case, checks the
  version the form was opened at, the state and the rule, and raises the typed errors of casework.errors.

The case page offers moves from the same table (casework.offers), so a page can never offer what its service
refuses. docs/lifecycle.md is written from the table by `manage.py lifecycle_diagram` (a test checks it).

Adding an arrow: one row in table.py, its service body, and its wording (casework.selectors.timeline; its payload
in casework.events when it writes a new kind of event).
"""

from casework.lifecycle.moves import (
    Move,
    begin,
    begin_locked,
    check,
    lock_case,
    lock_case_for,
    offered_transitions,
    try_begin,
)
from casework.lifecycle.states import ReviewOutcome
from casework.lifecycle.table import (
    BY_NAME,
    TRANSITIONS,
    statuses_entered,
    transition,
    transitions_named,
)
from casework.lifecycle.transition import CaseFacts, Offered, Rule, Transition, not_yet

__all__ = [
    "BY_NAME",
    "TRANSITIONS",
    "CaseFacts",
    "Move",
    "Offered",
    "ReviewOutcome",
    "Rule",
    "Transition",
    "begin",
    "begin_locked",
    "check",
    "lock_case",
    "lock_case_for",
    "not_yet",
    "offered_transitions",
    "statuses_entered",
    "transition",
    "transitions_named",
    "try_begin",
]

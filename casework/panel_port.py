"""What casework needs to know of the independent panels, as a port it owns.

panels sits above casework (design.md, "Dependencies": panels reads casework and calls its services), so casework
never imports it. The few moments casework must involve a panel inside its own transaction (a negative decision
proposed, a case reaching a decision or closing) and the few facts its rules and pages need (who may conclude a
review, which panel decides a case, where a case's panel work stands) come through this interface, which panels
implements and installs in its AppConfig.ready() (panels.casework_port). docs/adr/0012 says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from accounts.models import User
    from casework.models import Case, Decision


@dataclass(frozen=True)
class PanelWork:
    """Where a case's work with a panel stands, in words for the case page and the queue (no person in it)."""

    case_id: int
    decision_id: int | None
    panel_name: str
    kind: str  # "review" or "decision" (panels.models.PanelCase.Kind)
    stage: str  # "rg" or "cg"
    due_date: date
    status_label: str
    is_open: bool
    is_overdue: bool
    recommendation_label: str = ""
    recommendation_reasons: str = ""


def deciding_panel_in(work: Iterable[PanelWork], stage: str) -> str | None:
    """`Panels.deciding_panel`'s answer from a case's panel work already read: the name of the one open
    decision-making work of `stage` ("" when none is open); None when several are open, which only the panels can
    order."""
    deciding = [item.panel_name for item in work if item.kind == "decision" and item.stage == stage and item.is_open]
    if len(deciding) > 1:
        return None
    return deciding[0] if deciding else ""


class Panels(Protocol):
    def review_routed(self, *, decision: Decision, case: Case) -> PanelWork | None:
        """Sends a negative decision proposed for panel review to an active panel that covers the case (the least
        loaded when several do), in the proposal's transaction; None when no active panel covers it."""

    def case_moved(self, *, case: Case, from_status: str, to_status: str) -> None:
        """Told of each move of a case's status in the move's transaction: a case reaching a decision a
        decision-making panel makes is sent to it; a case that closes takes its open panel work with it."""

    def work_for(self, *, case_ids: Iterable[int]) -> dict[int, list[PanelWork]]:
        """The panel work of each case, newest first, in one query whatever the number of cases."""

    def may_conclude(self, *, user: User, decision: Decision) -> bool:
        """Whether `user` chairs the panel the decision under review was sent to."""

    def deciding_panel(self, *, case: Case, stage: str) -> str:
        """The name of the panel that makes this case's decision at `stage`; "" when the authority makes it."""

    def may_decide(self, *, user: User, case: Case, stage: str) -> bool:
        """Whether `user` chairs the panel that makes this case's decision at `stage`."""

    def forget(self, *, case_id: int, delete: bool) -> None:
        """The retention policy's reach into panels, in casework's transaction: the panels' reasons, views and
        conflict details of the case removed (history included), or (`delete`) every panel row of the case."""


_installed: Panels | None = None


def install(panels: Panels) -> None:
    global _installed
    _installed = panels


def panels() -> Panels:
    if _installed is None:
        raise ImproperlyConfigured("panels installs casework.panel_port's port in its AppConfig.ready()")
    return _installed

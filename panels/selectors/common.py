"""What the panel selectors share: who someone is to a panel (by role, never by name), and the rows read with
a list of panel cases."""

from accounts.models import User
from casework.models import CaseEvent
from panels.models import PanelCase

# The authority's own working, which a panel does not need to review the decision (and which names its staff).
INTERNAL_EVENTS = frozenset({CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.RELEASED, CaseEvent.Kind.NOTE_ADDED})
CLOSED_STATES = (PanelCase.State.CONCLUDED, PanelCase.State.WITHDRAWN)


def role_label(user: User | None) -> str:
    """Who someone is to a panel: their role and organisation ("Caseworker, Single Competent Authority")."""
    if user is None:
        return "The system"
    organisation = getattr(user, "organisation", None)
    return f"{user.get_role_display()}, {organisation.name}" if organisation else user.get_role_display()

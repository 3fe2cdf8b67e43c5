"""Who takes part in a panel's work on a case, who may not, and whether the panel is quorate: the one statement
of each, for the services (which refuse to conclude without quorum) and the pages (which say what is missing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from panels.models import Agency, ConflictOfInterest, Membership, Panel, PanelCase, View

# What `panels.quorum.quorum_for` reads of a panel case, prefetched for a list of them.
QUORUM_ROWS = (
    Prefetch("views", queryset=View.objects.select_related("membership__user")),
    "conflicts",
    Prefetch("meeting__attendees", queryset=Membership.objects.select_related("user")),
)

# The defaults of each kind of panel (domain.md): an assurance panel is quorate with its chair and two members; a
# regional decision-making panel with five people present; a children's panel with a local authority, health and
# police member present. Each panel keeps its own copy, editable in admin.
ASSURANCE_QUORUM = {"quorum_minimum_present": 3, "quorum_requires_chair": True, "quorum_agencies": []}
REGIONAL_QUORUM = {"quorum_minimum_present": 5, "quorum_requires_chair": True, "quorum_agencies": []}
CHILDREN_QUORUM = {
    "quorum_minimum_present": 3,
    "quorum_requires_chair": True,
    "quorum_agencies": [Agency.LOCAL_AUTHORITY, Agency.HEALTH, Agency.POLICE],
}


_AGENCY_WORDS = {
    Agency.POLICE: "the police",
    Agency.LOCAL_AUTHORITY: "a local authority",
    Agency.HEALTH: "health",
    Agency.NGO: "an NGO",
    Agency.UKVI: "UK Visas and Immigration",
    Agency.OTHER: "another agency",
}


def default_quorum(*, kind: str, children_only: bool = False) -> dict:
    if kind == Panel.Kind.ASSURANCE:
        return dict(ASSURANCE_QUORUM)
    return dict(CHILDREN_QUORUM if children_only else REGIONAL_QUORUM)


@dataclass(frozen=True)
class Quorum:
    met: bool
    missing: tuple[str, ...]
    taking_part: tuple[Membership, ...]

    @property
    def summary(self) -> str:
        if self.met:
            return "The panel is quorate"
        return "The panel is not quorate: " + "; ".join(self.missing)


_EXCLUSION_WORDS = {
    ConflictOfInterest.Ground.DECLARED: "You declared a conflict of interest on this case, so you take no part in it",
    ConflictOfInterest.Ground.REFERRING_ORGANISATION: (
        "You come from the organisation that made this referral, so you take no part in the panel's work on it"
    ),
    ConflictOfInterest.Ground.DECISION_MAKER: (
        "You made the decision under review, so you take no part in the panel's work on it"
    ),
}


def automatic_exclusion(membership: Membership, panel_case: PanelCase) -> str:
    """The ground on which the service excludes a member without being asked ("" when none): they come from
    the referring organisation, or they made the decision under review."""
    if panel_case.decision_id is not None and panel_case.decision.decided_by_id == membership.user_id:
        return ConflictOfInterest.Ground.DECISION_MAKER
    referring = panel_case.case.referral.organisation_id
    if membership.home_organisation_id is not None and membership.home_organisation_id == referring:
        return ConflictOfInterest.Ground.REFERRING_ORGANISATION
    if membership.user.organisation_id == referring:
        return ConflictOfInterest.Ground.REFERRING_ORGANISATION
    return ""


def exclusion_for(membership: Membership | None, panel_case: PanelCase, *, conflicts=None) -> str:
    """Why `membership` takes no part in the panel's work on `panel_case`, in words for them; "" when they may.
    `conflicts`: the case's conflict rows when the caller has read them."""
    if membership is None:
        return "You do not sit on this panel"
    conflicts = panel_case.conflicts.all() if conflicts is None else conflicts
    declared = next((c for c in conflicts if c.membership_id == membership.pk), None)
    if declared is not None:
        return _EXCLUSION_WORDS[declared.ground]
    ground = automatic_exclusion(membership, panel_case)
    return _EXCLUSION_WORDS[ground] if ground else ""


def taking_part(panel_case: PanelCase) -> list[Membership]:
    """Who takes part: the members who recorded a view, and those recorded at the meeting whose agenda held the
    case; never anyone excluded."""
    # .all(): the rows a page prefetched (views with their seats and users, the meeting's attendees) are used.
    conflicts = list(panel_case.conflicts.all())
    people: dict[int, Membership] = {}
    for view in panel_case.views.all():
        people[view.membership_id] = view.membership
    if panel_case.meeting_id is not None and panel_case.meeting.attendance_recorded_at is not None:
        for membership in panel_case.meeting.attendees.all():
            people[membership.pk] = membership
    return [m for m in people.values() if not exclusion_for(m, panel_case, conflicts=conflicts)]


def quorum_for(panel_case: PanelCase, *, chair: Membership | None = None) -> Quorum:
    """Whether the panel may conclude on `panel_case` now, and exactly what is missing when it may not. `chair`:
    the chair about to conclude, who takes part by doing so."""
    panel = panel_case.panel
    people = taking_part(panel_case)
    if chair is not None and chair.pk not in {m.pk for m in people}:
        people.append(chair)
    missing = []
    if panel.quorum_requires_chair and not any(m.role == Membership.Role.CHAIR for m in people):
        missing.append("the chair must take part")
    shortfall = panel.quorum_minimum_present - len(people)
    if shortfall > 0:
        others = "person" if shortfall == 1 else "people"
        missing.append(
            f"{shortfall} more {others} must take part ({panel.quorum_minimum_present} needed, the chair included; "
            f"{len(people)} so far)"
        )
    present_agencies = {m.agency for m in people}
    for agency in panel.quorum_agencies:
        if agency not in present_agencies:
            missing.append(f"someone from {_AGENCY_WORDS[agency]} must take part")
    people.sort(key=lambda m: (m.role != Membership.Role.CHAIR, m.pk))
    return Quorum(met=not missing, missing=tuple(missing), taking_part=tuple(people))

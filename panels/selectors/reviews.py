"""The review list: the user's panel cases in tabs, one query per list whatever the number of rows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from casework.models import Decision
from panels.models import ConflictOfInterest, Membership, PanelCase, View
from panels.quorum import quorum_for
from panels.scope import memberships_of, panel_cases_visible_to
from panels.selectors.common import CLOSED_STATES, QUORUM_ROWS


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    empty: str


TABS = (
    Tab("to_review", "To review", "There is nothing waiting for you to review."),
    Tab("awaiting_chair", "Awaiting chair", "There is nothing waiting for a chair to conclude."),
    Tab("concluded", "Concluded", "Nothing sent to your panels has been concluded yet."),
)
TAB_BY_SLUG = {tab.slug: tab for tab in TABS}


def tab_named(slug: str | None) -> Tab:
    return TAB_BY_SLUG.get(slug or "", TABS[0])


@dataclass(frozen=True)
class ReviewRow:
    pk: int
    reference: str
    panel_name: str
    work_label: str
    due_date: date
    is_overdue: bool
    status_label: str
    status_colour: str

    @property
    def url(self) -> str:
        return reverse("panels:case", args=[self.pk])


def _annotated(user: User) -> QuerySet[PanelCase]:
    """The user's panel cases, each with the user's seat on its panel (role), whether the user recorded a view,
    and whether they are excluded: a conflict on record, a seat from the referring organisation, or the decision
    under review is theirs."""
    seat = Membership.objects.filter(panel=OuterRef("panel"), user=user)
    return (
        panel_cases_visible_to(user)
        .select_related("panel", "case__referral", "decision", "meeting")
        .annotate(
            my_role=Subquery(seat.values("role")[:1]),
            my_view=Exists(View.objects.filter(panel_case=OuterRef("pk"), membership__user=user)),
            excluded=ExpressionWrapper(
                Exists(ConflictOfInterest.objects.filter(panel_case=OuterRef("pk"), membership__user=user))
                | Exists(
                    Membership.objects.filter(
                        panel=OuterRef("panel"), user=user, home_organisation=OuterRef("case__referral__organisation")
                    )
                )
                | Q(decision__decided_by=user)
                | Q(case__referral__organisation_id=user.organisation_id or 0),
                output_field=BooleanField(),
            ),
        )
    )


def _open_by_tab(user: User) -> dict[str, list[PanelCase]]:
    """The user's open panel cases by tab. A member's case is to review until they record a view (or are
    excluded); a chair's is to review until the panel is quorate, then awaits the chair. Soonest due first."""
    seats = {membership.panel_id: membership for membership in memberships_of(user)}
    cases = _annotated(user).filter(state=PanelCase.State.OPEN).order_by("due_date", "pk")
    if any(membership.is_chair for membership in seats.values()):
        cases = cases.prefetch_related(*QUORUM_ROWS)  # what a chair's quorum reads, for every row at once
    tabs: dict[str, list[PanelCase]] = {"to_review": [], "awaiting_chair": []}
    for panel_case in cases:
        if panel_case.my_role == Membership.Role.CHAIR:
            panel_case.quorate = quorum_for(panel_case, chair=seats.get(panel_case.panel_id)).met
            waiting_for_chair = panel_case.quorate
        else:
            waiting_for_chair = panel_case.my_view or panel_case.excluded
        tabs["awaiting_chair" if waiting_for_chair else "to_review"].append(panel_case)
    return tabs


@dataclass(frozen=True)
class ReviewList:
    tab: Tab
    counts: dict[str, int]
    cases: list[PanelCase] | QuerySet[PanelCase]


def review_list_for(*, user: User, tab: Tab) -> ReviewList:
    """The cases of `tab` (concluded: a query to paginate, latest first) and how many each tab holds."""
    open_tabs = _open_by_tab(user)
    concluded = (
        _annotated(user)
        .filter(state__in=CLOSED_STATES)
        .order_by(F("concluded_at").desc(nulls_last=True), "-due_date", "-pk")
    )
    counts = {slug: len(cases) for slug, cases in open_tabs.items()}
    counts["concluded"] = panel_cases_visible_to(user).filter(state__in=CLOSED_STATES).count()
    return ReviewList(tab=tab, counts=counts, cases=concluded if tab.slug == "concluded" else open_tabs[tab.slug])


def status_of(panel_case: PanelCase) -> tuple[str, str]:
    if panel_case.state == PanelCase.State.WITHDRAWN:
        return "Withdrawn", "grey"
    if panel_case.state == PanelCase.State.CONCLUDED:
        colour = "green" if panel_case.recommendation in ("agree", "positive") else "orange"
        return panel_case.get_recommendation_display() or "Concluded", colour
    if getattr(panel_case, "my_role", None) == Membership.Role.CHAIR:
        return ("Ready to conclude", "blue") if getattr(panel_case, "quorate", False) else ("Not quorate yet", "yellow")
    if getattr(panel_case, "excluded", False):
        return "You are excluded", "grey"
    if getattr(panel_case, "my_view", False):
        return "Your view is recorded", "turquoise"
    return "Waiting for your view", "blue"


def work_label(panel_case: PanelCase) -> str:
    stage = Decision.Stage(panel_case.stage).label.lower()
    return f"Review of a negative {stage} decision" if panel_case.is_review else f"{stage.capitalize()} decision"


def review_row(panel_case: PanelCase) -> ReviewRow:
    label, colour = status_of(panel_case)
    return ReviewRow(
        pk=panel_case.pk,
        reference=panel_case.case.reference,
        panel_name=panel_case.panel.name,
        work_label=work_label(panel_case),
        due_date=panel_case.due_date,
        is_overdue=panel_case.is_overdue,
        status_label=label,
        status_colour=colour,
    )


def open_panel_case_for(*, user: User, reference: str) -> PanelCase:
    """The user's open panel case of that reference, else the latest one; 404 when none is in the user's scope."""
    cases = panel_cases_visible_to(user).filter(case__reference=reference)
    panel_case = cases.filter(state=PanelCase.State.OPEN).order_by("due_date", "pk").first()
    if panel_case is None:
        panel_case = cases.order_by("-routed_at", "-pk").first()
    if panel_case is None:
        raise Http404
    return panel_case

"""The review list: the user's panel cases in tabs, one query per list whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import Decision
from common.waiting import Waiting, waiting_items
from panels.models import ConflictOfInterest, Membership, PanelCase, View
from panels.scope import panel_cases_visible_to
from panels.selectors.common import CLOSED_STATES


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


# Which tab an open case is in, for the user: a chair's awaits the chair once the panel is quorate (the stored
# flag the services keep); a member's once they recorded a view or are excluded.
_AWAITING_CHAIR = Q(my_role=Membership.Role.CHAIR, quorate=True) | (
    ~Q(my_role=Membership.Role.CHAIR) & (Q(my_view=True) | Q(excluded=True))
)


def _annotated(user: User, *, rows: bool = True) -> QuerySet[PanelCase]:
    """The user's panel cases, each with the user's seat on its panel (role), whether the user recorded a view,
    and whether they are excluded: a conflict on record, a seat from the referring organisation, or the decision
    under review is theirs. `rows`: with what a row of the list shows (not for counting or paging)."""
    seat = Membership.objects.filter(panel=OuterRef("panel"), user=user)
    cases = panel_cases_visible_to(user)
    if rows:
        cases = cases.select_related("panel", "case__referral", "decision", "meeting")
    return (
        cases.annotate(
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
        # A condition that is NULL (no decision yet) is not met: the case is in exactly one tab.
        .annotate(awaits_chair=Case(When(_AWAITING_CHAIR, then=Value(True)), default=Value(False)))
    )


def _tab_cases(user: User, slug: str, *, rows: bool = True) -> QuerySet[PanelCase]:
    if slug == "concluded":
        # Who the user is to a concluded case changes nothing about its tab: the keys need no annotation.
        concluded = _annotated(user) if rows else panel_cases_visible_to(user)
        return concluded.filter(state__in=CLOSED_STATES).order_by(
            F("concluded_at").desc(nulls_last=True), "-due_date", "-pk"
        )
    open_cases = _annotated(user, rows=rows).filter(state=PanelCase.State.OPEN).order_by("due_date", "pk")
    return open_cases.filter(awaits_chair=(slug == "awaiting_chair"))


@dataclass(frozen=True)
class ReviewList:
    tab: Tab
    counts: dict[str, int]
    # The tab's ids in order, to paginate without reading (or joining) the rows of other pages.
    keys: QuerySet
    # What is waiting for the user besides the tabs' counts (waiting_for_panel_user reads them).
    waiting_counts: dict[str, int] = field(default_factory=dict)


def review_list_for(*, user: User, tab: Tab) -> ReviewList:
    """The ids of `tab`'s cases (soonest due first; concluded: latest first) and how many each tab holds, in a
    fixed number of queries whatever the number of rows."""
    overdue = Q(due_date__lt=timezone.localdate())
    to_conclude = Q(awaits_chair=True, my_role=Membership.Role.CHAIR)
    counts = (
        _annotated(user, rows=False)
        .filter(state=PanelCase.State.OPEN)
        .aggregate(
            to_review=Count("pk", filter=Q(awaits_chair=False)),
            awaiting_chair=Count("pk", filter=Q(awaits_chair=True)),
            # What is waiting for the user (waiting_for_panel_user): the same rows, past their due date, and a
            # chair's cases ready to conclude.
            to_review_overdue=Count("pk", filter=Q(awaits_chair=False) & overdue),
            to_conclude=Count("pk", filter=to_conclude),
            to_conclude_overdue=Count("pk", filter=to_conclude & overdue),
        )
    )
    waiting_counts = {name: counts.pop(name) for name in ("to_review_overdue", "to_conclude", "to_conclude_overdue")}
    counts["concluded"] = panel_cases_visible_to(user).filter(state__in=CLOSED_STATES).count()
    keys = _tab_cases(user, tab.slug, rows=False).values_list("pk", flat=True)
    return ReviewList(tab=tab, counts=counts, keys=keys, waiting_counts=waiting_counts)


def waiting_for_panel_user(listing: ReviewList) -> list[Waiting]:
    """What is waiting for the user, from the counts of `review_list_for` (no query of its own): the cases
    waiting for their view, and a chair's cases ready to conclude."""
    counts = listing.counts | listing.waiting_counts
    href = reverse("panels:reviews")
    return waiting_items(
        Waiting(
            "to-review",
            counts["to_review"],
            "case waiting for your review",
            "cases waiting for your review",
            f"{href}?tab=to_review#reviews",
            overdue=counts["to_review_overdue"],
        ),
        Waiting(
            "to-conclude",
            counts["to_conclude"],
            "review ready for you to conclude as chair",
            "reviews ready for you to conclude as chair",
            f"{href}?tab=awaiting_chair#reviews",
            overdue=counts["to_conclude_overdue"],
        ),
    )


def review_rows_for(*, user: User, tab: Tab, keys: list[int]) -> list[PanelCase]:
    """One page's cases, in the page's order, with what their rows show."""
    by_pk = {panel_case.pk: panel_case for panel_case in _tab_cases(user, tab.slug).filter(pk__in=keys)}
    return [by_pk[pk] for pk in keys if pk in by_pk]


def status_of(panel_case: PanelCase) -> tuple[str, str]:
    if panel_case.state == PanelCase.State.WITHDRAWN:
        return "Withdrawn", "grey"
    if panel_case.state == PanelCase.State.CONCLUDED:
        colour = "green" if panel_case.recommendation in ("agree", "positive") else "orange"
        return panel_case.get_recommendation_display() or "Concluded", colour
    if getattr(panel_case, "my_role", None) == Membership.Role.CHAIR:
        return ("Ready to conclude", "blue") if panel_case.quorate else ("Not quorate yet", "yellow")
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

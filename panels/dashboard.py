"""The panel dashboard's figures (issue 10, section 5), scoped to who asks: a chair sees the panels they chair, an
authority manager the panel work on their authority's cases, anyone else nothing (None: the page is a 404).

Per panel: reviews pending, due soon (within 3 working days), overdue and concluded in the chosen period; the
agreement rate of the assurance reviews concluded; the share of recommendations to reconsider that the authority
accepted; and the working days each review added, from routing to conclusion (mean and median) — the figure that
ended the assurance panels in 2022.

Counts are aggregated in SQL, one grouped query for every panel; the working days are counted by the one working-day
calendar (common.calendar) over the distinct (routed, concluded) date pairs the database groups, so the number of
queries never depends on the number of panel cases.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from accounts.roles import PANEL_ROLES, Role
from casework.models import PanelResponse
from casework.rules import is_authority_member, is_panel_member
from common.calendar import add_working_days, working_days_between
from panels.models import Membership, Panel, PanelCase
from panels.scope import memberships_of, panel_cases_of_authority

DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Period:
    slug: str
    label: str
    days: int | None  # None: since the first panel case

    def since(self, today: date) -> date | None:
        return None if self.days is None else today - timedelta(days=self.days)


PERIODS = (
    Period("30", "The last 30 days", 30),
    Period("91", "The last 3 months", 91),
    Period("365", "The last 12 months", 365),
    Period("all", "All time", None),
)
DEFAULT_PERIOD = PERIODS[2]


def period_named(slug: str | None) -> Period:
    """The period of the page's `period` parameter; anything else is the default (the form cannot be wrong)."""
    return next((period for period in PERIODS if period.slug == slug), DEFAULT_PERIOD)


@dataclass
class PanelFigures:
    """One panel's figures (or, with `panel` None, every panel's together)."""

    panel: Panel | None
    pending: int = 0
    due_soon: int = 0
    overdue: int = 0
    concluded: int = 0
    reviews_concluded: int = 0
    agreed: int = 0
    recommended: int = 0  # recommendations to reconsider
    answered: int = 0  # ... that the authority has answered
    accepted: int = 0  # ... by reconsidering the decision
    working_days: Counter = field(default_factory=Counter)  # working days taken -> number of panel cases

    @property
    def name(self) -> str:
        return str(self.panel) if self.panel else "All panels"

    @property
    def is_assurance(self) -> bool:
        return self.panel is None or self.panel.is_assurance

    @property
    def awaiting_response(self) -> int:
        return self.recommended - self.answered

    @property
    def agreement_rate(self) -> float | None:
        return self.agreed / self.reviews_concluded if self.reviews_concluded else None

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.answered if self.answered else None

    @property
    def timed(self) -> int:
        return sum(self.working_days.values())

    @property
    def working_days_mean(self) -> float | None:
        if not self.timed:
            return None
        return sum(days * number for days, number in self.working_days.items()) / self.timed

    @property
    def working_days_median(self) -> float | None:
        if not self.timed:
            return None
        return statistics.median(self.working_days.elements())

    # In words, for the page.
    @property
    def agreement_words(self) -> str:
        if self.agreement_rate is None:
            return "No reviews concluded"
        return f"{self.agreement_rate:.0%} ({self.agreed} of {self.reviews_concluded} reviews)"

    @property
    def acceptance_words(self) -> str:
        waiting = f"{self.awaiting_response} awaiting the authority's response" if self.awaiting_response else ""
        if self.acceptance_rate is None:
            return waiting.capitalize() if waiting else "No recommendations to reconsider"
        answered = f"{self.acceptance_rate:.0%} ({self.accepted} of {self.answered} answered)"
        return f"{answered}; {waiting}" if waiting else answered

    @property
    def working_days_words(self) -> str:
        if not self.timed:
            return "Nothing concluded"
        mean, median = self.working_days_mean, self.working_days_median
        return f"{mean:.1f} on average, median {median:g} ({self.timed} concluded)"

    def add(self, other: PanelFigures) -> None:
        for name in (
            "pending",
            "due_soon",
            "overdue",
            "concluded",
            "reviews_concluded",
            "agreed",
            "recommended",
            "answered",
            "accepted",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.is_assurance:  # the total's working days are those the reviews added
            self.working_days.update(other.working_days)


@dataclass
class Dashboard:
    audience: str  # "chair" or "manager"
    scope_label: str  # whose panel work this is, in words
    period: Period
    panels: list[PanelFigures]
    total: PanelFigures
    due_soon_until: date


def _panel_work_for(user: User) -> tuple[str, str, QuerySet[PanelCase], QuerySet[Panel]] | None:
    """(audience, scope label, the panel cases counted, the panels listed) for `user`; None for anyone else."""
    if user.role == Role.MANAGER and is_authority_member(user):
        work = panel_cases_of_authority(user)
        panels = Panel.objects.filter(pk__in=work.values("panel_id"))
        return "manager", f"Panel work on the cases of {user.organisation}", work, panels
    if user.role in PANEL_ROLES and is_panel_member(user):
        chaired = memberships_of(user).filter(role=Membership.Role.CHAIR).values("panel_id")
        panels = Panel.objects.filter(pk__in=chaired)
        return "chair", "The panels you chair", PanelCase.objects.filter(panel_id__in=chaired), panels
    return None


def panel_dashboard_for(*, user: User, period: Period = DEFAULT_PERIOD, today: date | None = None) -> Dashboard | None:
    """The dashboard `user` may see, or None when they may see none (a chair of no panel, a caseworker...)."""
    scoped = _panel_work_for(user)
    if scoped is None:
        return None
    audience, scope_label, work, panel_rows = scoped
    today = today or timezone.localdate()
    panels = list(panel_rows.order_by("name"))
    if audience == "chair" and not panels:
        return None
    figures = {panel.pk: PanelFigures(panel=panel) for panel in panels}
    due_soon_until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    is_open = Q(state=PanelCase.State.OPEN)
    concluded = Q(state=PanelCase.State.CONCLUDED)
    since = period.since(today)
    if since is not None:
        concluded &= Q(concluded_at__date__gt=since)
    review = concluded & Q(kind=PanelCase.Kind.REVIEW)
    recommended = review & Q(recommendation=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
    counts = (
        work.filter(is_open | concluded)  # nothing else is counted: the authority's lookup skips the rest
        .order_by()
        .values("panel_id")
        .annotate(
            pending=Count("pk", filter=is_open),
            due_soon=Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=due_soon_until)),
            overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
            concluded=Count("pk", filter=concluded),
            reviews_concluded=Count("pk", filter=review),
            agreed=Count("pk", filter=review & Q(recommendation=PanelCase.Recommendation.AGREE)),
            recommended=Count("pk", filter=recommended),
            answered=Count("pk", filter=recommended & ~Q(decision__authority_response="")),
            accepted=Count("pk", filter=recommended & Q(decision__authority_response=PanelResponse.RECONSIDER)),
        )
    )
    for row in counts:
        panel_figures = figures.get(row.pop("panel_id"))
        if panel_figures is not None:
            for name, value in row.items():
                setattr(panel_figures, name, value)
    # Working days: the database groups the concluded cases by the dates they were routed and concluded (a few
    # hundred pairs a year, however many cases); the calendar counts each pair once.
    pairs = (
        work.filter(concluded, concluded_at__isnull=False)
        .order_by()
        .annotate(routed_on=TruncDate("routed_at"), concluded_on=TruncDate("concluded_at"))
        .values("panel_id", "routed_on", "concluded_on")
        .annotate(number=Count("pk"))
    )
    counted: dict[tuple[date, date], int] = {}
    for row in pairs:
        panel_figures = figures.get(row["panel_id"])
        if panel_figures is None:
            continue
        key = (row["routed_on"], row["concluded_on"])
        if key not in counted:
            counted[key] = max(0, working_days_between(*key))
        panel_figures.working_days[counted[key]] += row["number"]
    total = PanelFigures(panel=None)
    for panel_figures in figures.values():
        total.add(panel_figures)
    return Dashboard(
        audience=audience,
        scope_label=scope_label,
        period=period,
        panels=list(figures.values()),
        total=total,
        due_soon_until=due_soon_until,
    )

"""The authority manager's operational dashboard (issue 11, section 3): today's figures of one authority, read
from the live casework tables (not the fact tables, which are minutes old: a manager acts on them now).

Every figure is a count, a rate or a number of days, never a person: the one list is the authority's own staff
with how many open cases each holds (staff, not victims). Each figure links to the case queue filtered to match
as closely as the queue's tabs and filters allow; `Figure.link_note` says where the queue cannot narrow exactly.

A fixed number of queries, however many cases: one aggregate each over the authority's open cases, its decisions,
its reconsiderations, its panel reviews and Duty to Notify reports, and one for the caseloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Aggregate, Count, DurationField, F, Min, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.deadlines import start_of_day
from casework.models import Case, Decision, Reconsideration, ReviewRoute
from casework.queue import TABS_BY_SLUG, caseloads_for
from insights.scope import Viewer
from panels.models import PanelCase
from panels.scope import panel_cases_of_authority
from referrals.models import Referral, Route

RG_TIMELINESS_DAYS = 90  # RG decisions served in the last 90 days count towards "within 5 working days"
YEAR_DAYS = 365  # "the last 12 months"


class Median(Aggregate):
    """PostgreSQL's median (an ordered-set aggregate); a FILTER clause follows it like any other aggregate's."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _days(later, earlier) -> F:
    """Whole days between two moments' dates in UK time (TruncDate uses the current time zone), as an interval."""
    return TruncDate(later) - TruncDate(earlier)


def queue_url(tab: str, **filters: str) -> str:
    """The case queue on `tab` with the queue's own filters (casework.forms.queue.QueueFilterForm)."""
    if tab not in TABS_BY_SLUG:
        raise ValueError(f"The queue has no tab {tab!r}")
    query = urlencode({"tab": tab, **{name: value for name, value in filters.items() if value}})
    return f"{reverse('casework:queue')}?{query}"


# The backlog ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBand:
    slug: str
    label: str
    from_days: int  # the case opened at least this many days ago...
    to_days: int | None  # ...and fewer than this many (None: no limit)

    def condition(self, now: datetime) -> Q:
        condition = Q(opened_at__lte=now - timedelta(days=self.from_days))
        if self.to_days is not None:
            condition &= Q(opened_at__gt=now - timedelta(days=self.to_days))
        return condition


AGE_BANDS = (
    AgeBand("under-4-weeks", "0 to 4 weeks", 0, 28),
    AgeBand("1-to-3-months", "1 to 3 months", 28, 91),
    AgeBand("3-to-6-months", "3 to 6 months", 91, 183),
    AgeBand("6-to-12-months", "6 to 12 months", 183, 365),
    AgeBand("over-a-year", "Over a year", 365, None),
)


@dataclass(frozen=True)
class Stage:
    slug: str
    label: str
    statuses: frozenset[str]
    tab: str
    status_filter: str = ""  # the queue's status filter, where the tab holds more than this stage

    def href(self, *, sort: str = "") -> str:
        return queue_url(self.tab, status=self.status_filter, sort=sort)


STAGES = (
    Stage("awaiting-rg", "Awaiting RG", frozenset({Case.Status.AWAITING_RG}), "awaiting_rg"),
    Stage("under-review", "Under review", frozenset(Case.UNDER_REVIEW_STATUSES), "under_review"),
    Stage("recovery", "Recovery period", frozenset({Case.Status.RECOVERY}), "awaiting_cg", Case.Status.RECOVERY),
    Stage("awaiting-cg", "Awaiting CG", frozenset({Case.Status.AWAITING_CG}), "awaiting_cg", Case.Status.AWAITING_CG),
)


@dataclass(frozen=True)
class BacklogCell:
    count: int
    href: str
    stage: Stage


@dataclass(frozen=True)
class BacklogRow:
    band: AgeBand
    cells: list[BacklogCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class Backlog:
    stages: tuple[Stage, ...]
    rows: list[BacklogRow]

    @property
    def stage_totals(self) -> list[BacklogCell]:
        return [
            BacklogCell(sum(row.cells[index].count for row in self.rows), stage.href(), stage)
            for index, stage in enumerate(self.stages)
        ]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    def count(self, band: str, stage: str) -> int:
        """One cell, by the band's and the stage's slugs (the tests read it)."""
        row = next(row for row in self.rows if row.band.slug == band)
        return row.cells[[each.slug for each in self.stages].index(stage)].count


# The figures ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of the dashboard. `value`: a count, a rate (0 to 1; `part` of `whole`), or days (None: nothing
    to measure yet). `href`: the queue filtered to match; `link_note` says what the link shows when the queue
    cannot narrow to exactly this figure."""

    name: str
    label: str
    kind: str  # "count", "rate" or "days"
    value: float | None
    part: int | None = None
    whole: int | None = None
    detail: str = ""
    href: str = ""
    link_text: str = ""
    link_note: str = ""
    alert: bool = False  # overdue work: shown with a red tag

    @property
    def shown(self) -> str:
        if self.value is None:
            return "None yet" if self.kind == "days" else "No data"
        if self.kind == "rate":
            return f"{round(100 * self.value)}%"
        if self.kind == "days":
            days = round(self.value, 1)
            return f"{days:g} day{'' if days == 1 else 's'}"
        if float(self.value).is_integer():
            return f"{int(self.value):,}"
        return f"{self.value:,.1f}"


def _rate(name: str, label: str, part: int, whole: int, **fields) -> Figure:
    return Figure(name, label, "rate", part / whole if whole else None, part=part, whole=whole, **fields)


def _median_days(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 86400


@dataclass(frozen=True)
class Caseload:
    name: str  # a member of the authority's staff (never a person the cases are about)
    role: str
    open_cases: int


@dataclass(frozen=True)
class DutyToNotifyScope:
    nation: str  # "" for the whole service
    words: str


@dataclass
class Operations:
    authority: Organisation
    now: datetime
    backlog: Backlog
    timeliness: list[Figure]
    overdue: list[Figure]
    caseloads: list[Caseload]
    caseload_figures: list[Figure]
    reviews: list[Figure]
    duty_to_notify: list[Figure]
    duty_to_notify_scope: DutyToNotifyScope
    figures: dict[str, Figure] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for group in (self.timeliness, self.overdue, self.caseload_figures, self.reviews, self.duty_to_notify):
            for figure in group:
                self.figures[figure.name] = figure


def _open_cases(authority_id: int, now: datetime) -> tuple[Backlog, dict]:
    """The backlog by age band and stage, and the overdue counts, in one aggregate over the open cases."""
    aggregates = {}
    for band_index, band in enumerate(AGE_BANDS):
        for stage_index, stage in enumerate(STAGES):
            condition = band.condition(now) & Q(status__in=stage.statuses)
            aggregates[f"backlog_{band_index}_{stage_index}"] = Count("pk", filter=condition)
    aggregates["rg_overdue"] = Count("pk", filter=Q(status=Case.Status.AWAITING_RG, rg_due_at__lt=now))
    aggregates["information_overdue"] = Count("pk", filter=Q(information_due_at__lt=now))
    aggregates["unassigned"] = Count("pk", filter=Q(assignee__isnull=True))
    counts = Case.objects.filter(authority_id=authority_id, status__in=Case.OPEN_STATUSES).aggregate(**aggregates)
    rows = []
    for band_index, band in enumerate(AGE_BANDS):
        # The queue cannot filter by age: the stage's list, the newest or the oldest first.
        sort = "newest" if band_index == 0 else "oldest"
        cells = [
            BacklogCell(counts[f"backlog_{band_index}_{stage_index}"], stage.href(sort=sort), stage)
            for stage_index, stage in enumerate(STAGES)
        ]
        rows.append(BacklogRow(band, cells))
    return Backlog(STAGES, rows), counts


def _decisions(authority_id: int, now: datetime) -> dict:
    """Timeliness, decision times, the time reviews add and the second reviews waiting, in one aggregate."""
    year_ago = now - timedelta(days=YEAR_DAYS)
    served = Q(state=Decision.State.SERVED)
    rg_recent = served & Q(
        stage=Decision.Stage.RG,
        served_at__gte=now - timedelta(days=RG_TIMELINESS_DAYS),
        case__rg_due_at__isnull=False,
    )
    second_review = Q(state=Decision.State.UNDER_REVIEW, review_route=ReviewRoute.SECOND_REVIEWER)
    reviewed = served & ~Q(review_route="")
    days = DurationField()
    return (
        Decision.objects.filter(case__authority_id=authority_id)
        .filter((served & Q(served_at__gte=year_ago)) | second_review)
        .annotate(served_on=TruncDate("served_at"), due_on=TruncDate("case__rg_due_at"))
        .aggregate(
            rg_served=Count("pk", filter=rg_recent),
            rg_in_time=Count("pk", filter=rg_recent & Q(served_on__lte=F("due_on"))),
            median_rg=Median(
                _days("served_at", "case__referral__submitted_at"),
                filter=served & Q(stage=Decision.Stage.RG),
                output_field=days,
            ),
            rg_timed=Count("pk", filter=served & Q(stage=Decision.Stage.RG)),
            median_cg=Median(
                _days("served_at", "case__referral__submitted_at"),
                filter=served & Q(stage=Decision.Stage.CG),
                output_field=days,
            ),
            cg_timed=Count("pk", filter=served & Q(stage=Decision.Stage.CG)),
            median_review=Median(_days("served_at", "created_at"), filter=reviewed, output_field=days),
            reviewed=Count("pk", filter=reviewed),
            second_reviews=Count("pk", filter=second_review),
            oldest_second_review=Min("created_at", filter=second_review),
        )
    )


def _reconsiderations(authority_id: int, now: datetime) -> dict:
    decided = Q(decided_at__gte=now - timedelta(days=YEAR_DAYS))
    pending = Q(state=Reconsideration.State.PENDING)
    return (
        Reconsideration.objects.filter(case__authority_id=authority_id)
        .filter(decided | pending)
        .aggregate(
            accepted=Count("pk", filter=decided & Q(state=Reconsideration.State.ACCEPTED)),
            declined=Count("pk", filter=decided & Q(state=Reconsideration.State.DECLINED)),
            pending=Count("pk", filter=pending),
        )
    )


def _panel_reviews(viewer: Viewer, now: datetime, today: date) -> dict:
    concluded = Q(state=PanelCase.State.CONCLUDED, concluded_at__gte=now - timedelta(days=YEAR_DAYS))
    is_open = Q(state=PanelCase.State.OPEN)
    return (
        panel_cases_of_authority(viewer.user)
        .filter(kind=PanelCase.Kind.REVIEW)
        .filter(concluded | is_open)
        .aggregate(
            agreed=Count("pk", filter=concluded & Q(recommendation=PanelCase.Recommendation.AGREE)),
            recommended=Count(
                "pk", filter=concluded & Q(recommendation=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
            ),
            overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
            waiting=Count("pk", filter=is_open),
        )
    )


def duty_to_notify_scope(authority: Organisation) -> DutyToNotifyScope:
    """A Duty to Notify report has no competent authority: the reports of the nation the authority serves, or of
    the whole service when it serves the whole UK (the SCA and the IECA do)."""
    if authority.nation:
        label = Nation(authority.nation).label
        return DutyToNotifyScope(authority.nation, f"Reports made in {label}: a report has no competent authority.")
    return DutyToNotifyScope(
        "",
        f"Reports made across the whole service: a report has no competent authority, and {authority} serves the "
        "whole UK.",
    )


def _duty_to_notify(scope: DutyToNotifyScope, today: date) -> dict:
    month_start = today.replace(day=1)
    last_month_start = (month_start - timedelta(days=1)).replace(day=1)
    year_start = today.replace(month=1, day=1)
    this_month = Q(submitted_at__gte=start_of_day(month_start))
    last_month = Q(submitted_at__gte=start_of_day(last_month_start), submitted_at__lt=start_of_day(month_start))
    reports = Referral.objects.filter(
        route=Route.DUTY_TO_NOTIFY, submitted_at__gte=start_of_day(min(last_month_start, year_start))
    )
    if scope.nation:
        reports = reports.filter(nation=scope.nation)
    return reports.aggregate(
        this_month=Count("pk", filter=this_month),
        last_month=Count("pk", filter=last_month),
        this_year=Count("pk", filter=Q(submitted_at__gte=start_of_day(year_start))),
    ) | {"month": month_start, "last_month_start": last_month_start, "year": year_start.year}


def _days_since(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    days = (timezone.localdate(now) - timezone.localdate(moment)).days
    return f"The oldest has waited {days} day{'' if days == 1 else 's'}."


def operations_dashboard(viewer: Viewer, *, now: datetime | None = None) -> Operations:
    """The dashboard of the viewer's authority (`insights.scope.manager_viewer`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    authority = viewer.user.organisation
    backlog, open_counts = _open_cases(viewer.authority_id, now)
    decisions = _decisions(viewer.authority_id, now)
    reconsiderations = _reconsiderations(viewer.authority_id, now)
    panel = _panel_reviews(viewer, now, today)
    staff = caseloads_for(user=viewer.user)
    scope = duty_to_notify_scope(authority)
    reports = _duty_to_notify(scope, today)

    timeliness = [
        _rate(
            "rg-within-target",
            "Reasonable grounds decisions served within 5 working days",
            decisions["rg_in_time"],
            decisions["rg_served"],
            detail=f"{decisions['rg_in_time']:,} of {decisions['rg_served']:,} served in the last 90 days were "
            "served by their due date (5 working days after the referral, by the nation's policy).",
            href=queue_url("awaiting_rg", overdue="on"),
            link_text="Cases awaiting RG past their due date",
            link_note="The queue lists the cases still waiting that have missed a deadline: the ones that will "
            "bring this rate down.",
        ),
        Figure(
            "median-days-to-rg",
            "Median days from referral to reasonable grounds decision",
            "days",
            _median_days(decisions["median_rg"]),
            detail=f"Of the {decisions['rg_timed']:,} RG decisions served in the last 12 months.",
            href=queue_url("awaiting_rg", sort="oldest"),
            link_text="Cases awaiting RG, oldest first",
        ),
        Figure(
            "median-days-to-cg",
            "Median days from referral to conclusive grounds decision",
            "days",
            _median_days(decisions["median_cg"]),
            detail=f"Of the {decisions['cg_timed']:,} CG decisions served in the last 12 months.",
            href=queue_url("awaiting_cg", sort="oldest"),
            link_text="Cases awaiting CG, oldest first",
        ),
    ]

    second_waiting = decisions["second_reviews"]
    overdue = [
        Figure(
            "rg-overdue",
            "Reasonable grounds decisions past due",
            "count",
            open_counts["rg_overdue"],
            detail="Cases awaiting RG whose due date has passed.",
            href=queue_url("awaiting_rg", overdue="on"),
            link_text="Overdue cases awaiting RG",
            link_note="The queue's overdue filter also lists a case whose information request is past due.",
            alert=open_counts["rg_overdue"] > 0,
        ),
        Figure(
            "information-overdue",
            "Information requests past due",
            "count",
            open_counts["information_overdue"],
            detail="Open cases with a request for information not answered by its due date.",
            href=queue_url("information_requested", overdue="on"),
            link_text="Overdue cases with information requested",
            link_note="The queue's overdue filter also lists a case whose RG is past due.",
            alert=open_counts["information_overdue"] > 0,
        ),
        Figure(
            "panel-reviews-overdue",
            "Panel reviews past due",
            "count",
            panel["overdue"],
            detail=f"Of {panel['waiting']:,} negative decisions with an independent panel now.",
            href=queue_url("under_review"),
            link_text="Decisions under review",
            link_note="The queue cannot filter overdue reviews: the under-review list shows each panel's due date.",
            alert=panel["overdue"] > 0,
        ),
        Figure(
            "second-reviews-waiting",
            "Second reviews waiting",
            "count",
            second_waiting,
            detail=(
                "Negative decisions waiting for a second reviewer in the authority (a second review has no due "
                "date). " + _days_since(decisions["oldest_second_review"], now)
            ).strip(),
            href=queue_url("under_review"),
            link_text="Decisions under review",
            link_note="The under-review list also holds the decisions with a panel.",
        ),
    ]

    caseloads = [
        Caseload(person.full_name or person.email, person.get_role_display(), person.open_cases) for person in staff
    ]
    caseworkers = [person for person in staff if person.role == Role.CASEWORKER]
    held = sum(person.open_cases for person in caseworkers)
    caseload_figures = [
        Figure(
            "cases-per-caseworker",
            "Open cases per caseworker",
            "count",
            round(held / len(caseworkers), 1) if caseworkers else None,
            part=held,
            whole=len(caseworkers),
            detail=f"{held:,} open cases assigned to {len(caseworkers):,} active caseworkers.",
            href=reverse("casework:team"),
            link_text="Team cases",
        ),
        Figure(
            "unassigned",
            "Open cases with no caseworker",
            "count",
            open_counts["unassigned"],
            href=queue_url("unassigned"),
            link_text="Unassigned cases",
        ),
    ]

    reviews = [
        _rate(
            "reconsideration-acceptance",
            "Requests for reconsideration accepted",
            reconsiderations["accepted"],
            reconsiderations["accepted"] + reconsiderations["declined"],
            detail=f"{reconsiderations['accepted']:,} accepted and {reconsiderations['declined']:,} declined in the "
            f"last 12 months; {reconsiderations['pending']:,} waiting for a manager's answer.",
            href=queue_url("reconsiderations"),
            link_text="Requests waiting",
            link_note="The queue lists the requests still waiting, not those already answered.",
        ),
        _rate(
            "panel-agreement",
            "Panel reviews that agreed with the negative decision",
            panel["agreed"],
            panel["agreed"] + panel["recommended"],
            detail=f"{panel['agreed']:,} agreed and {panel['recommended']:,} recommended reconsideration in the "
            "last 12 months.",
            href=queue_url("under_review"),
            link_text="Decisions under review",
            link_note="The queue lists the reviews still open.",
        ),
        Figure(
            "days-added-by-review",
            "Median days a review added",
            "days",
            _median_days(decisions["median_review"]),
            detail=f"From proposing a negative decision to serving it, for the {decisions['reviewed']:,} reviewed "
            "decisions served in the last 12 months.",
            href=queue_url("under_review", sort="oldest"),
            link_text="Decisions under review, oldest first",
        ),
    ]

    month_name = f"{reports['month']:%B %Y}"
    duty_to_notify = [
        Figure("dtn-this-month", f"Duty to Notify reports this month ({month_name})", "count", reports["this_month"]),
        Figure(
            "dtn-last-month",
            f"Duty to Notify reports last month ({reports['last_month_start']:%B %Y})",
            "count",
            reports["last_month"],
        ),
        Figure("dtn-this-year", f"Duty to Notify reports in {reports['year']}", "count", reports["this_year"]),
    ]
    return Operations(
        authority=authority,
        now=now,
        backlog=backlog,
        timeliness=timeliness,
        overdue=overdue,
        caseloads=caseloads,
        caseload_figures=caseload_figures,
        reviews=reviews,
        duty_to_notify=duty_to_notify,
        duty_to_notify_scope=scope,
    )

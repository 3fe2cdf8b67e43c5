"""The queue's tabs, the filters and sort orders, and the tabs' counts, capped (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet, TextChoices

from accounts.models import User
from casework.models import Case, Reconsideration
from casework.selectors import case_list_for

COUNT_CAP = 10_000  # the tabs' counts
ANY_STATUS = "all"
ROUTE_LABELS = {"child": "Child NRM referral", "adult": "Adult NRM referral"}


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    empty: str  # what the tab says when it has no cases
    where: Callable[[User, datetime], Q] = lambda user, now: Q()  # what it asks of a case besides its status
    statuses: frozenset[str] | None = None  # the only statuses it holds, when it is about statuses


TABS = (
    Tab("mine", "Assigned to me", "No open cases are assigned to you.", lambda user, now: Q(assignee_id=user.pk)),
    Tab("unassigned", "Unassigned", "Every open case has a caseworker.", lambda user, now: Q(assignee__isnull=True)),
    Tab(
        "awaiting_rg",
        "Awaiting RG",
        "No cases are waiting for a reasonable grounds decision.",
        statuses=frozenset({Case.Status.AWAITING_RG}),
    ),
    Tab(
        "awaiting_cg",
        "Awaiting CG",
        "No cases are waiting for a conclusive grounds decision.",
        statuses=frozenset({Case.Status.RECOVERY, Case.Status.AWAITING_CG}),
    ),
    Tab(
        "information_requested",
        "Information requested",
        "No cases are waiting for information from a first responder.",
        lambda user, now: Q(information_due_at__isnull=False),
    ),
    Tab(
        "under_review",
        "Under review",
        "No negative decisions are waiting for review.",
        statuses=Case.UNDER_REVIEW_STATUSES,
    ),
    # Served negative decisions someone has asked to reconsider: a manager's to accept or decline.
    Tab(
        "reconsiderations",
        "Reconsiderations",
        "No requests for reconsideration are waiting.",
        lambda user, now: Q(
            pk__in=Reconsideration.objects.filter(state=Reconsideration.State.PENDING).values("case_id")
        ),
        statuses=frozenset({Case.Status.RG_NEGATIVE_SERVED, Case.Status.CG_NEGATIVE_SERVED}),
    ),
    # "is_child in (true, false)" changes nothing but lets case_queue_urgency_idx go straight to the overdue
    # entries of each (status, child or adult) range instead of reading all of them.
    Tab(
        "overdue",
        "Overdue",
        "No cases are overdue.",
        lambda user, now: Q(next_deadline_at__lt=now, is_child__in=[True, False]),
    ),
)
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}


class Sort(TextChoices):
    URGENCY = "urgency", "Most urgent first"
    DEADLINE = "deadline", "Nearest deadline first"
    NEWEST = "newest", "Newest first"
    OLDEST = "oldest", "Oldest first"


@dataclass(frozen=True)
class QueueFilters:
    """What the filter form asks for; empty values do not narrow. `status` is "" for open cases, ANY_STATUS for
    every case, or one status."""

    status: str = ""
    route: str = ""
    exploitation_type: str = ""
    age: str = ""  # "child" or "adult"
    nation: str = ""
    overdue: bool = False
    sort: str = Sort.URGENCY

    @property
    def narrowing(self) -> bool:
        return bool(self.status or self.route or self.exploitation_type or self.age or self.nation or self.overdue)

    @property
    def statuses(self) -> frozenset[str]:
        if not self.status:
            return Case.OPEN_STATUSES
        return frozenset(Case.Status) if self.status == ANY_STATUS else frozenset({self.status})

    def where(self, now: datetime) -> Q:
        condition = Q()
        if self.route:
            condition &= Q(route=self.route)
        if self.exploitation_type:
            condition &= Q(exploitation_types__contains=[self.exploitation_type])  # the GIN index
        if self.age:
            condition &= Q(is_child=self.age == "child")
        if self.nation:
            condition &= Q(nation=self.nation)
        if self.overdue:
            condition &= Q(next_deadline_at__lt=now)
        return condition

    def ages(self) -> tuple[bool, ...]:
        """The is_child values of the index walk's branches: the route decides the age of a referral
        (referrals.services.submission.typed_columns), so a route or age filter leaves one of the two."""
        if self.age or self.route:
            return ((self.age or self.route) == "child",)
        return (True, False)


@dataclass(frozen=True)
class TabCount:
    count: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


def capped_counts(querysets: dict[str, QuerySet], *, cap: int | None = None) -> dict[str, TabCount]:
    """Each queryset's count up to `cap` (COUNT_CAP), in one query."""
    cap = COUNT_CAP if cap is None else cap
    selects, params, counts = [], [], {}
    for name, queryset in querysets.items():
        try:
            counted = queryset.values("pk")  # a clone, its query changed in place (one clone, not three)
            counted.query.clear_ordering(force=True)
            counted.query.set_limits(high=cap + 1)
            sql, query_params = counted.query.sql_with_params()
        except EmptyResultSet:
            counts[name] = TabCount(0, False)
            continue
        # Django compiled `sql` with placeholders for `query_params`: nothing the user typed is in it.
        selects.append((name, f"(SELECT count(*) FROM ({sql}) AS counted)"))  # noqa: S608
        params.extend(query_params)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(sql for _, sql in selects), params)
            for (name, _), count in zip(selects, cursor.fetchone(), strict=True):
                counts[name] = TabCount(min(count, cap), count > cap)
    return {name: counts[name] for name in querysets}


def tab_statuses(tab: Tab, filters: QueueFilters) -> list[str]:
    """A tab about statuses holds them (served decisions included) unless the filter chose statuses."""
    if tab.statuses is None:
        return sorted(filters.statuses)
    return sorted(tab.statuses if not filters.status else filters.statuses & tab.statuses)


def tab_base(*, user: User, tab: Tab, filters: QueueFilters, now: datetime) -> QuerySet[Case]:
    """The list's conditions but its statuses: each branch of an index walk adds its own."""
    return case_list_for(user=user).filter(tab.where(user, now) & filters.where(now))


def _in_tab(cases: QuerySet[Case], *, user: User, tab: Tab, filters: QueueFilters, now: datetime) -> QuerySet[Case]:
    # One filter() of all the list's conditions: each filter() clones the query.
    return cases.filter(tab.where(user, now) & filters.where(now), status__in=tab_statuses(tab, filters))


def queue_cases(*, user: User, tab: Tab, filters: QueueFilters, now: datetime) -> QuerySet[Case]:
    """Every case of the list, in no order."""
    return _in_tab(case_list_for(user=user), user=user, tab=tab, filters=filters, now=now)


def tab_counts(*, user: User, now: datetime, also: dict[str, QuerySet] | None = None) -> dict[str, TabCount]:
    """The open cases in each tab, whatever the filters: the tabs describe the work waiting. `also`: other
    querysets counted in the same query (the queue page's "Waiting for you", casework.waiting)."""
    cases, filters = case_list_for(user=user).select_related(None).order_by(), QueueFilters()
    tabs = {tab.slug: _in_tab(cases, user=user, tab=tab, filters=filters, now=now) for tab in TABS}
    return capped_counts({**tabs, **(also or {})})

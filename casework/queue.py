"""The authority's queue (issue 4, section 1): its tabs and their counts, the filters and sort orders, and a page of
rows, every read through `case_list_for` so that nobody sees another authority's cases.

Built for a million cases (docs/performance.md):
- Counts stop at a cap (shown as "10,000+"): an exact count of a backlog of hundreds of thousands reads every one
  of its index entries, 40 to 80 ms each on the benchmark machine; a capped one reads at most the cap.
- A page is fetched by its keys first, then only its rows with their assignees: a fixed number of queries.
- The keys of a large list come from `_ordered_keys`, which walks case_queue_urgency_idx (or
  case_queue_opened_idx) one (status, child or adult) branch at a time and merges the branches' first rows,
  rather than sorting every matching case. A small list (SMALL_LIST cases or fewer) is simply sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, OuterRef, Q, QuerySet, Subquery, TextChoices, When
from django.db.models import Case as Condition
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework.models import Case, Reconsideration
from casework.selectors import case_list_for
from casework.services.assignment import URGENCY_SLICE_ORDER, urgency_order
from referrals.questions.definition import EXPLOITATION_GROUP_LABELS

PER_PAGE = 25
COUNT_CAP = 10_000  # the tabs' counts
FILTERED_COUNT_CAP = 1_000  # a filtered list's: finding the 10,000th case of a rare combination reads far more
SMALL_LIST = 2_000  # up to this many cases a list is sorted whole; beyond it the index is walked
S = Case.Status
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
        statuses=frozenset({S.AWAITING_RG}),
    ),
    Tab(
        "awaiting_cg",
        "Awaiting CG",
        "No cases are waiting for a conclusive grounds decision.",
        statuses=frozenset({S.RECOVERY, S.AWAITING_CG}),
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
        statuses=frozenset({S.RG_NEGATIVE_SERVED, S.CG_NEGATIVE_SERVED}),
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
        return frozenset(S) if self.status == ANY_STATUS else frozenset({self.status})

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
            sql, query_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
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


def _tab_base(*, user: User, tab: Tab, filters: QueueFilters, now: datetime) -> QuerySet[Case]:
    """The list's conditions but its statuses: each branch of an index walk adds its own."""
    return case_list_for(user=user).filter(tab.where(user, now)).filter(filters.where(now))


def queue_cases(*, user: User, tab: Tab, filters: QueueFilters, now: datetime) -> QuerySet[Case]:
    """Every case of the list, in no order."""
    return _tab_base(user=user, tab=tab, filters=filters, now=now).filter(status__in=tab_statuses(tab, filters))


def tab_counts(*, user: User, now: datetime) -> dict[str, TabCount]:
    """The open cases in each tab, whatever the filters: the tabs describe the work waiting."""
    return capped_counts({tab.slug: queue_cases(user=user, tab=tab, filters=QueueFilters(), now=now) for tab in TABS})


def _ordered_keys(base: QuerySet[Case], *, statuses, sort, ages, now, small: bool, start: int, stop: int) -> list:
    """The ids of rows start to stop of the list (`base` in `statuses`) in the chosen order."""
    if small:
        order = {
            Sort.URGENCY: urgency_order(now),
            Sort.DEADLINE: [F("next_deadline_at").asc(nulls_last=True), "opened_at", "pk"],
            Sort.NEWEST: ["-opened_at", "-pk"],
            Sort.OLDEST: ["opened_at", "pk"],
        }[sort]
        return list(base.filter(status__in=statuses).order_by(*order).values_list("pk", flat=True)[start:stop])
    # Each branch is one range of an index, already in the list's order within it: its first `stop` rows are
    # enough, and merging the branches' rows gives the list's (PostgreSQL merges them as it reads).
    if sort in (Sort.URGENCY, Sort.DEADLINE):
        branches = [base.filter(status=status, is_child=age) for status in statuses for age in ages]
        branch_order = URGENCY_SLICE_ORDER
        columns = {
            # Not `next_deadline_at < now`, which is null without a deadline, and nulls sort first descending.
            "overdue": Condition(When(next_deadline_at__lt=now, then=True), default=False, output_field=BooleanField()),
            "child": F("is_child"),
            "deadline": F("next_deadline_at"),
            "opened": F("opened_at"),
        }
        merged_order = [F("deadline").asc(nulls_last=True), "opened", "pk"]
        if sort == Sort.URGENCY:
            merged_order = ["-overdue", "-child", *merged_order]
    else:
        branches = [base.filter(status=status) for status in statuses]
        branch_order = ("-opened_at", "-pk") if sort == Sort.NEWEST else ("opened_at", "pk")
        columns = {"opened": F("opened_at")}
        merged_order = ["-opened", "-pk"] if sort == Sort.NEWEST else ["opened", "pk"]
    if len(branches) == 1:
        return list(branches[0].order_by(*branch_order).values_list("pk", flat=True)[start:stop])
    parts = [b.order_by(*branch_order).annotate(**columns).values_list("pk", *columns)[:stop] for b in branches]
    merged = parts[0].union(*parts[1:], all=True).order_by(*merged_order)
    return [row[0] for row in merged[start:stop]]


class _Keys:
    """What Paginator pages through: the list's capped count, and its keys fetched one page at a time."""

    def __init__(self, count: TabCount, **how):
        self.total, self.how = count, how

    def count(self) -> int:
        return self.total.count

    def __len__(self) -> int:
        return self.total.count

    def __getitem__(self, window: slice) -> list[int]:
        start = window.start or 0
        return _ordered_keys(start=start, stop=window.stop, **self.how) if window.stop > start else []


@dataclass
class QueuePage:
    page: Page  # its object_list: the page's rows (QueueRow)
    count: TabCount  # cases in the list (capped)
    page_numbers: list

    @property
    def rows(self) -> list[QueueRow]:
        return self.page.object_list


def queue_page(
    *, user: User, tab: Tab, filters: QueueFilters, page_number, now: datetime, tab_count: TabCount | None = None
) -> QueuePage:
    """One page of the list. `tab_count` (from `tab_counts`) saves counting again when nothing narrows the tab."""
    base = _tab_base(user=user, tab=tab, filters=filters, now=now)
    statuses = tab_statuses(tab, filters)
    if tab_count is not None and not filters.narrowing:
        count = tab_count
    else:
        count = capped_counts({"list": base.filter(status__in=statuses)}, cap=FILTERED_COUNT_CAP)["list"]
    # A caseworker's own cases are always few: sorting them whole keeps the planner off an index walk that would
    # read many other cases to find them.
    small = tab.slug == "mine" or (not count.capped and count.count <= SMALL_LIST)
    keys = _Keys(count, base=base, statuses=statuses, sort=filters.sort, ages=filters.ages(), now=now, small=small)
    paginator = Paginator(keys, PER_PAGE)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = case_list_for(user=user).select_related(None).select_related("assignee").only(*ROW_FIELDS)
    by_id = {case.pk: case for case in rows.filter(pk__in=ids)}
    page.object_list = [QueueRow.of(by_id[pk], now) for pk in ids if pk in by_id]
    numbers = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return QueuePage(page=page, count=count, page_numbers=numbers)


ROW_FIELDS = (
    "reference",
    "status",
    "is_child",
    "nation",
    "exploitation_types",
    "next_deadline_at",
    "next_deadline_kind",
    "opened_at",
    "assignee__full_name",
    "assignee__email",
)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    exploitation: list[str]
    deadline: datetime | None
    deadline_label: str
    days: int  # days left (negative: overdue); 0 when due today or there is no deadline
    overdue: bool

    @classmethod
    def of(cls, case: Case, now: datetime) -> QueueRow:
        deadline = case.next_deadline_at
        days = (timezone.localtime(deadline).date() - timezone.localtime(now).date()).days if deadline else 0
        return cls(
            case=case,
            exploitation=[EXPLOITATION_GROUP_LABELS.get(code, code) for code in case.exploitation_types],
            deadline=deadline,
            deadline_label=case.get_next_deadline_kind_display() if deadline else "",
            days=days,
            overdue=deadline is not None and deadline < now,
        )

    @property
    def days_label(self) -> str:
        if self.deadline is None:
            return ""
        if self.days == 0:
            return "Due today"
        if self.days > 0:
            return f"{self.days} day{'s' if self.days != 1 else ''} left"
        return f"{-self.days} day{'s' if self.days != -1 else ''} overdue"


# The team page ------------------------------------------------------------------------------------------------


def assignable_staff_for(*, user: User) -> QuerySet[User]:
    """Who a manager may give cases to: the active caseworkers and managers of their authority."""
    if user.role != Role.MANAGER or case_list_for(user=user).query.is_empty():
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]
    ).order_by("full_name", "email", "pk")


def caseloads_for(*, user: User) -> list[User]:
    """The authority's staff, each with `open_cases`: the open cases assigned to them. One query: a count per
    person from the (assignee, status) index, where a join would read every open case of the authority."""
    open_assigned = (
        Case.objects.filter(assignee_id=OuterRef("pk"), status__in=Case.OPEN_STATUSES)
        .order_by()
        .values("assignee_id")
        .annotate(count=Count("*"))
        .values("count")
    )
    return list(assignable_staff_for(user=user).annotate(open_cases=Coalesce(Subquery(open_assigned), 0)))

"""One page of a queue list: its capped count, and its keys fetched one page at a time, by an index walk when the
list is large (docs/performance.md), then only the page's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, QuerySet

from accounts.models import User
from casework.models import Case
from casework.panel_port import PanelWork, panels
from casework.queue.rows import ROW_FIELDS, QueueRow
from casework.queue.tabs import QueueFilters, Sort, Tab, TabCount, capped_counts, tab_base, tab_statuses
from casework.selectors import case_list_for
from casework.urgency import URGENCY_SLICE_ORDER, urgency_order

PER_PAGE = 25
FILTERED_COUNT_CAP = 1_000  # a filtered list's: finding the 10,000th case of a rare combination reads far more
SMALL_LIST = 2_000  # up to this many cases a list is sorted whole; beyond it the index is walked


def _row_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` with only the columns a row shows, and their assignees."""
    return cases.select_related(None).select_related("assignee").only(*ROW_FIELDS)


def _ordered_keys(
    base: QuerySet[Case], *, statuses, sort, ages, now, small: bool, own: bool, start: int, stop: int
) -> list:
    """The ids of rows start to stop of the list (`base` in `statuses`) in the chosen order. Of one person's own
    cases (`own`, a small list), the rows themselves (the cases with the columns a row shows, and their one
    assignee), sorted whole in the same query."""
    if small:
        order = {
            Sort.URGENCY: urgency_order(now),
            Sort.DEADLINE: [F("next_deadline_at").asc(nulls_last=True), "opened_at", "pk"],
            Sort.NEWEST: ["-opened_at", "-pk"],
            Sort.OLDEST: ["opened_at", "pk"],
        }[sort]
        listed = base.filter(status__in=statuses)
        if own:
            return list(_row_cases(listed).order_by(*order)[start:stop])
        return list(listed.order_by(*order).values_list("pk", flat=True)[start:stop])
    # Each branch is one range of an index, already in the list's order within it: its first `stop` rows are
    # enough, and merging the branches' rows gives the list's (PostgreSQL merges them as it reads).
    if sort in (Sort.URGENCY, Sort.DEADLINE):
        branches = [base.filter(status=status, is_child=age) for status in statuses for age in ages]
        branch_order = URGENCY_SLICE_ORDER
        columns = {
            # Not `next_deadline_at < now`, which is null without a deadline, and nulls sort first descending.
            "overdue": models.Case(
                models.When(next_deadline_at__lt=now, then=True), default=False, output_field=models.BooleanField()
            ),
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
    """What Paginator pages through: the list's capped count, and its keys (a small list's rows) fetched one page
    at a time."""

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


def _panel_reviews(case_ids: list[int]) -> dict[int, PanelWork]:
    """The newest panel review of each case of the page, in one query (casework.panel_port); a case under review
    without one is reviewed by a second reviewer in the authority."""
    reviews = {}
    for case_id, work in panels().work_for(case_ids=case_ids).items():
        review_work = [item for item in work if item.kind == "review"]
        review = next((item for item in review_work if item.is_open), review_work[0] if review_work else None)
        if review is not None:
            reviews[case_id] = review
    return reviews


def queue_page(
    *, user: User, tab: Tab, filters: QueueFilters, page_number, now: datetime, tab_count: TabCount | None = None
) -> QueuePage:
    """One page of the list. `tab_count` (from `tab_counts`) saves counting again when nothing narrows the tab."""
    base = tab_base(user=user, tab=tab, filters=filters, now=now)
    statuses = tab_statuses(tab, filters)
    if tab_count is not None and not filters.narrowing:
        count = tab_count
    else:
        count = capped_counts({"list": base.filter(status__in=statuses)}, cap=FILTERED_COUNT_CAP)["list"]
    # A caseworker's own cases are always few: sorting them whole keeps the planner off an index walk that would
    # read many other cases to find them.
    small = tab.slug == "mine" or (not count.capped and count.count <= SMALL_LIST)
    # And their rows are fetched as they are sorted, joined to their one assignee; another small list's keys come
    # first (a join to the assignees of up to SMALL_LIST cases, sorted after it, could cost more than a query).
    own = tab.slug == "mine"
    how = {"statuses": statuses, "sort": filters.sort, "ages": filters.ages(), "now": now}
    keys = _Keys(count, base=base, small=small, own=own, **how)
    paginator = Paginator(keys, PER_PAGE)
    page = paginator.get_page(page_number)
    if own:
        cases = list(page.object_list)
    else:
        keys = list(page.object_list)
        by_id = {case.pk: case for case in _row_cases(case_list_for(user=user)).filter(pk__in=keys)}
        cases = [by_id[pk] for pk in keys if pk in by_id]
    reviews = _panel_reviews([case.pk for case in cases]) if tab.slug == "under_review" and cases else {}
    page.object_list = [QueueRow.of(case, now, panel_review=reviews.get(case.pk)) for case in cases]
    numbers = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return QueuePage(page=page, count=count, page_numbers=numbers)

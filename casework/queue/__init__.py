"""The authority's queue (issue 4, section 1): its tabs and their counts, the filters and sort orders, a page of
rows, and the team page's caseloads, every read through `case_list_for` so that nobody sees another authority's
cases.

- `tabs`: the tabs, filters and sort orders, and the capped counts.
- `paging`: one page of a list, its keys found by an index walk at volume.
- `rows`: what a row of the list shows.
- `team`: who a manager may give cases to, and their caseloads.

Built for a million cases (docs/performance.md):
- Counts stop at a cap (shown as "10,000+"): an exact count of a backlog of hundreds of thousands reads every one
  of its index entries, 40 to 80 ms each on the benchmark machine; a capped one reads at most the cap.
- A page is fetched by its keys first, then only its rows with their assignees (a page of a caseworker's own
  cases, its rows with their one assignee in the query that sorts them): a fixed number of queries.
- The keys of a large list come from `paging._ordered_keys`, which walks case_queue_urgency_idx (or
  case_queue_opened_idx) one (status, child or adult) branch at a time and merges the branches' first rows,
  rather than sorting every matching case. A small list (SMALL_LIST cases or fewer) is simply sorted.
"""

from casework.queue.paging import FILTERED_COUNT_CAP, PER_PAGE, SMALL_LIST, QueuePage, queue_page
from casework.queue.rows import ROW_FIELDS, QueueRow
from casework.queue.tabs import (
    ANY_STATUS,
    COUNT_CAP,
    ROUTE_LABELS,
    TABS,
    TABS_BY_SLUG,
    QueueFilters,
    Sort,
    Tab,
    TabCount,
    capped_counts,
    queue_cases,
    tab_counts,
    tab_statuses,
)
from casework.queue.team import assignable_staff_for, caseloads_for

__all__ = [
    "ANY_STATUS",
    "COUNT_CAP",
    "FILTERED_COUNT_CAP",
    "PER_PAGE",
    "ROUTE_LABELS",
    "ROW_FIELDS",
    "SMALL_LIST",
    "TABS",
    "TABS_BY_SLUG",
    "QueueFilters",
    "QueuePage",
    "QueueRow",
    "Sort",
    "Tab",
    "TabCount",
    "assignable_staff_for",
    "capped_counts",
    "caseloads_for",
    "queue_cases",
    "queue_page",
    "tab_counts",
    "tab_statuses",
]

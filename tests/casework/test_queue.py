"""The queue's selector (casework.queue): tabs, counts, filters, sort orders, pages and scope. Orders and pages are
checked both ways a page can be fetched: sorting a small list whole, and walking the index branch by branch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case
from casework.queue import (
    TABS,
    TABS_BY_SLUG,
    QueueFilters,
    QueueRow,
    Sort,
    TabCount,
    capped_counts,
    paging,
    queue_cases,
    queue_page,
    tab_counts,
    tabs,
)
from casework.services import reconsideration_request
from casework.urgency import urgency_order
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    SubmittedReferralFactory,
    case_in_state,
    staff_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["sorted whole", "index walk"])
def fetch_mode(request, monkeypatch):
    """Every order and page is checked with both ways of fetching a page."""
    if request.param == "index walk":
        monkeypatch.setattr(paging, "SMALL_LIST", 0)
    return request.param


def queue_case(
    *,
    status=Case.Status.AWAITING_RG,
    child=False,
    deadline_in: timedelta | None = timedelta(days=5),
    opened_days_ago: float = 1,
    **fields,
) -> Case:
    """A case written straight to the row in the state the test needs (the SCA's unless authority=...)."""
    opened_at = timezone.now() - timedelta(days=opened_days_ago)
    referral_fields = {
        name: fields.pop(name) for name in ("nation", "exploitation_types") if name in fields
    }  # copied to the case when it opens
    referral = (ChildReferralFactory if child else SubmittedReferralFactory)(submitted_at=opened_at, **referral_fields)
    deadline = timezone.now() + deadline_in if deadline_in is not None else None
    kind = Case.DeadlineKind.RG_DUE if deadline else ""
    fields = {"next_deadline_at": deadline, "next_deadline_kind": kind, **fields}
    return AwaitingRgCaseFactory(referral=referral, status=status, opened_at=opened_at, **fields)


def references(rows) -> list[str]:
    return [row.case.reference for row in rows]


def listed(user, tab="unassigned", **filters) -> list[str]:
    """Every reference of the list, page after page."""
    now = timezone.now()
    found, number = [], 1
    while True:
        page = queue_page(
            user=user, tab=TABS_BY_SLUG[tab], filters=QueueFilters(**filters), page_number=number, now=now
        )
        found += references(page.rows)
        if not page.page.has_next():
            return found
        number += 1


# --- tabs and counts ----------------------------------------------------------------------------------------------
def test_each_tab_holds_its_open_cases(caseworker, sca):
    colleague = staff_of(sca)
    mine = queue_case(assignee=caseworker, status=Case.Status.AWAITING_CG, deadline_in=None)
    theirs = queue_case(
        assignee=colleague, status=Case.Status.RECOVERY, next_deadline_kind=Case.DeadlineKind.RECOVERY_ENDS
    )
    waiting_rg = queue_case()
    info = queue_case(status=Case.Status.AWAITING_CG, information_due_at=timezone.now() + timedelta(days=3))
    review = queue_case(status=Case.Status.CG_NEGATIVE_REVIEW, deadline_in=None, assignee=colleague)
    overdue = queue_case(deadline_in=-timedelta(hours=2), assignee=colleague)
    queue_case(status=Case.Status.CONFIRMED_VICTIM, assignee=caseworker)  # not open: in no tab
    queue_case(status=Case.Status.CLOSED, deadline_in=-timedelta(days=9))
    reconsider = case_in_state(Case.Status.RG_NEGATIVE_SERVED, manager=staff_of(sca, Role.MANAGER))
    reconsideration_request(
        case_id=reconsider.pk, actor=reconsider.referral.submitted_by, grounds=["new_evidence"], details="New report."
    )
    case_in_state(Case.Status.CG_NEGATIVE_SERVED, opened_days_ago=40)  # served, nobody has asked: in no tab
    expected = {
        "mine": {mine},
        "unassigned": {waiting_rg, info},
        "awaiting_rg": {waiting_rg, overdue},
        "awaiting_cg": {mine, theirs, info},
        "information_requested": {info},
        "under_review": {review},
        "reconsiderations": {reconsider},
        "overdue": {overdue},
    }
    assert [tab.slug for tab in TABS] == list(expected)
    counts = tab_counts(user=caseworker, now=timezone.now())
    for slug, cases in expected.items():
        assert set(listed(caseworker, slug)) == {case.reference for case in cases}, slug
        assert counts[slug] == TabCount(len(cases), capped=False), slug


def test_counts_stop_at_the_cap(caseworker):
    for _ in range(3):
        queue_case()
    open_cases = Case.objects.filter(status__in=Case.OPEN_STATUSES)
    counts = capped_counts({"all": open_cases, "none": open_cases.filter(status__in=[])}, cap=2)
    assert counts == {"all": TabCount(2, capped=True), "none": TabCount(0, capped=False)}
    assert str(counts["all"]) == "2+"
    assert str(TabCount(12345, capped=False)) == "12,345"


def test_the_list_of_a_capped_tab_pages_up_to_the_cap(caseworker, monkeypatch):
    monkeypatch.setattr(tabs, "COUNT_CAP", 30)
    for _ in range(32):
        queue_case()
    counts = tab_counts(user=caseworker, now=timezone.now())
    assert str(counts["unassigned"]) == "30+"
    page = queue_page(
        user=caseworker,
        tab=TABS_BY_SLUG["unassigned"],
        filters=QueueFilters(),
        page_number=2,
        now=timezone.now(),
        tab_count=counts["unassigned"],
    )
    assert (page.page.paginator.num_pages, len(page.rows), page.count.capped) == (2, 5, True)


# --- order -----------------------------------------------------------------------------------------------------
def test_urgency_order_overdue_then_children_then_nearest_deadline_then_age(caseworker, fetch_mode):
    adult_overdue_long_ago = queue_case(deadline_in=-timedelta(days=3))
    adult_overdue = queue_case(deadline_in=-timedelta(hours=1))
    child_overdue = queue_case(deadline_in=-timedelta(minutes=5), child=True)
    child_far = queue_case(deadline_in=timedelta(days=30), child=True)
    child_none = queue_case(status=Case.Status.AWAITING_CG, deadline_in=None, child=True)
    adult_near = queue_case(deadline_in=timedelta(days=1))
    same_deadline_older = queue_case(deadline_in=timedelta(days=4), opened_days_ago=9)
    same_deadline_newer = queue_case(deadline_in=timedelta(days=4), opened_days_ago=2)
    Case.objects.filter(pk=same_deadline_newer.pk).update(
        next_deadline_at=Case.objects.get(pk=same_deadline_older.pk).next_deadline_at
    )
    adult_none_older = queue_case(status=Case.Status.AWAITING_CG, deadline_in=None, opened_days_ago=400)
    adult_none_newer = queue_case(status=Case.Status.AWAITING_CG, deadline_in=None, opened_days_ago=100)
    expected = [
        child_overdue,
        adult_overdue_long_ago,
        adult_overdue,
        child_far,
        child_none,
        adult_near,
        same_deadline_older,
        same_deadline_newer,
        adult_none_older,
        adult_none_newer,
    ]
    assert listed(caseworker) == [case.reference for case in expected]
    # The order the services hand cases out in ("Get next case") is the same.
    assert [c.reference for c in Case.objects.order_by(*urgency_order())] == listed(caseworker)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.NEWEST, ["recent_child", "recent", "middle", "old_overdue"]),
        (Sort.OLDEST, ["old_overdue", "middle", "recent", "recent_child"]),
        (Sort.DEADLINE, ["old_overdue", "recent", "recent_child", "middle"]),
    ],
)
def test_other_orders(caseworker, fetch_mode, sort, expected):
    cases = {
        "old_overdue": queue_case(opened_days_ago=50, deadline_in=-timedelta(days=1), status=Case.Status.AWAITING_CG),
        "middle": queue_case(opened_days_ago=20, deadline_in=None, status=Case.Status.AWAITING_CG),
        "recent": queue_case(opened_days_ago=2, deadline_in=timedelta(days=3)),
        "recent_child": queue_case(
            opened_days_ago=1, deadline_in=timedelta(days=4), child=True, status=Case.Status.RECOVERY
        ),
    }
    assert listed(caseworker, sort=sort) == [cases[name].reference for name in expected]


def test_pages_follow_on_in_order(caseworker, fetch_mode):
    for number in range(60):
        queue_case(
            child=number % 3 == 0,
            deadline_in=timedelta(hours=number - 10) if number % 4 else None,
            opened_days_ago=number % 7 + 1,
            status=Case.Status.AWAITING_RG if number % 4 else Case.Status.AWAITING_CG,
        )
    whole = [c.reference for c in Case.objects.order_by(*urgency_order())]
    assert listed(caseworker) == whole
    page = queue_page(
        user=caseworker, tab=TABS_BY_SLUG["unassigned"], filters=QueueFilters(), page_number=3, now=timezone.now()
    )
    assert (page.page.number, page.page.paginator.num_pages, len(page.rows)) == (3, 3, 10)
    assert references(page.rows) == whole[50:]
    beyond = queue_page(
        user=caseworker, tab=TABS_BY_SLUG["unassigned"], filters=QueueFilters(), page_number="99", now=timezone.now()
    )
    assert beyond.page.number == 3  # past the end: the last page, as Django's paginator does
    nonsense = queue_page(
        user=caseworker, tab=TABS_BY_SLUG["unassigned"], filters=QueueFilters(), page_number="x", now=timezone.now()
    )
    assert nonsense.page.number == 1


# --- filters ---------------------------------------------------------------------------------------------------
def test_filters(caseworker, fetch_mode):
    wales_labour_child = queue_case(child=True, nation=Nation.WALES, exploitation_types=["labour", "criminal"])
    england_sexual = queue_case(nation=Nation.ENGLAND, exploitation_types=["sexual"])
    overdue = queue_case(deadline_in=-timedelta(days=1), exploitation_types=["criminal"])
    confirmed = queue_case(status=Case.Status.CONFIRMED_VICTIM, exploitation_types=["domestic"])
    closed = queue_case(status=Case.Status.CLOSED, deadline_in=None)

    def refs(*cases):
        return sorted(case.reference for case in cases)

    assert sorted(listed(caseworker)) == refs(wales_labour_child, england_sexual, overdue)
    assert sorted(listed(caseworker, status=Case.Status.CONFIRMED_VICTIM)) == refs(confirmed)
    assert sorted(listed(caseworker, status="all")) == refs(
        wales_labour_child, england_sexual, overdue, confirmed, closed
    )
    assert listed(caseworker, status=Case.Status.CLOSED, tab="awaiting_rg") == []
    assert sorted(listed(caseworker, route="child")) == refs(wales_labour_child)
    assert sorted(listed(caseworker, route="adult")) == refs(england_sexual, overdue)
    assert sorted(listed(caseworker, age="child")) == refs(wales_labour_child)
    assert sorted(listed(caseworker, age="adult")) == refs(england_sexual, overdue)
    assert sorted(listed(caseworker, exploitation_type="criminal")) == refs(wales_labour_child, overdue)
    assert sorted(listed(caseworker, nation=Nation.WALES)) == refs(wales_labour_child)
    assert sorted(listed(caseworker, overdue=True)) == refs(overdue)
    assert listed(caseworker, overdue=True, age="child") == []
    assert sorted(listed(caseworker, status="all", exploitation_type="domestic")) == refs(confirmed)


def test_a_filtered_list_counts_only_its_matches(caseworker):
    for _ in range(3):
        queue_case(nation=Nation.SCOTLAND)
    queue_case(nation=Nation.ENGLAND)
    counts = tab_counts(user=caseworker, now=timezone.now())
    page = queue_page(
        user=caseworker,
        tab=TABS_BY_SLUG["unassigned"],
        filters=QueueFilters(nation=Nation.SCOTLAND),
        page_number=1,
        now=timezone.now(),
        tab_count=counts["unassigned"],
    )
    assert (counts["unassigned"].count, page.count.count) == (4, 3)


# --- scope -----------------------------------------------------------------------------------------------------
def test_sca_staff_never_see_ieca_cases(caseworker, ieca, sca):
    ours = queue_case()
    theirs = queue_case(authority=ieca)
    queue_case(authority=ieca, assignee=staff_of(ieca), status=Case.Status.AWAITING_CG)
    for tab in TABS:
        assert theirs.reference not in listed(caseworker, tab.slug, status="all")
    assert listed(caseworker) == [ours.reference]
    assert tab_counts(user=caseworker, now=timezone.now())["unassigned"].count == 1
    ieca_worker = staff_of(ieca)
    assert listed(ieca_worker) == [theirs.reference]


@pytest.mark.parametrize("role", [Role.FIRST_RESPONDER, Role.PANEL_MEMBER, Role.SUPPORT_PROVIDER, Role.ANALYST])
def test_other_roles_see_no_cases(sca, role):
    queue_case()
    outsider = staff_of(sca, role)
    now = timezone.now()
    assert not queue_cases(user=outsider, tab=TABS_BY_SLUG["unassigned"], filters=QueueFilters(), now=now).exists()
    assert all(count.count == 0 for count in tab_counts(user=outsider, now=now).values())


# --- rows ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("deadline_in", "label", "overdue"),
    [
        (timedelta(days=3, hours=1), "3 days left", False),
        (timedelta(days=1, hours=1), "1 day left", False),
        (timedelta(minutes=1), "Due today", False),
        (-timedelta(days=2, hours=1), "2 days overdue", True),
        (-timedelta(days=1, hours=1), "1 day overdue", True),
    ],
)
def test_days_left(deadline_in, label, overdue):
    now = timezone.make_aware(timezone.datetime(2026, 6, 10, 12, 0))
    case = Case(next_deadline_at=now + deadline_in, next_deadline_kind=Case.DeadlineKind.RG_DUE, exploitation_types=[])
    row = QueueRow.of(case, now)
    assert (row.days_label, row.overdue, row.deadline_label) == (label, overdue, "Reasonable grounds decision due")


def test_a_row_without_a_deadline():
    case = Case(next_deadline_at=None, exploitation_types=["labour", "organ"])
    row = QueueRow.of(case, timezone.now())
    assert (row.days_label, row.overdue, row.exploitation) == ("", False, ["Labour", "Organ removal"])

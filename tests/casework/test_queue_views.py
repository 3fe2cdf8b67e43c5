"""The queue and team pages, "Get next case" and bulk assignment, as the caseworker and the manager use them."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, CaseEvent
from casework.queue import paging, tabs
from tests.casework.factories import staff_of
from tests.casework.test_queue import queue_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE_URL = reverse("casework:queue")
TEAM_URL = reverse("casework:team")
CLAIM_URL = reverse("casework:claim_next")
ASSIGN_URL = reverse("casework:bulk_assign")


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def signed_in(client, user):
    client.force_login(user)
    return client


def rows(response) -> list[str]:
    return [row.case.reference for row in response.context["listing"].rows]


# --- the queue page --------------------------------------------------------------------------------------------
# At midday, so that "2 days and an hour ago" is two calendar days ago whatever the hour the suite runs.
@time_machine.travel(timezone.localtime().replace(hour=12, minute=0, second=0), tick=True)
def test_the_queue_shows_tabs_with_counts_and_the_cases_of_the_tab(client, caseworker):
    child = queue_case(
        child=True,
        nation=Nation.WALES,
        exploitation_types=["criminal", "labour"],
        deadline_in=timedelta(days=3, hours=1),
    )
    overdue = queue_case(deadline_in=-timedelta(days=2, hours=1), assignee=caseworker)
    recovery = queue_case(
        status=Case.Status.RECOVERY, next_deadline_kind=Case.DeadlineKind.RECOVERY_ENDS, deadline_in=timedelta(days=20)
    )
    response = signed_in(client, caseworker).get(QUEUE_URL)
    assert response.status_code == 200
    page = response.text
    assert response.context["tab"].slug == "mine"  # a caseworker starts with their own cases
    assert rows(response) == [overdue.reference]
    assert "2 days overdue" in page
    assert "govuk-tag--red" in page
    for slug, count in {"mine": "1", "unassigned": "2", "awaiting_rg": "2", "awaiting_cg": "1", "overdue": "1"}.items():
        assert f'data-testid="count-{slug}">{count}</span>' in page, slug
    assert 'aria-current="page" data-testid="tab-mine"' in page

    page = client.get(QUEUE_URL, {"tab": "unassigned"}).text
    assert child.reference in page
    assert recovery.reference in page
    assert overdue.reference not in page
    assert reverse("casework:case", args=[child.reference]) in page
    assert "Criminal, Labour" in page
    assert "Wales" in page
    assert "Child" in page
    assert "3 days left" in page
    assert "Reasonable grounds decision due" in page
    assert "Recovery period ends" in page
    assert 'aria-current="page" data-testid="tab-unassigned"' in page

    page = client.get(QUEUE_URL, {"tab": "awaiting_cg"}).text
    assert 'data-testid="recovery-note"' in page
    assert recovery.reference in page


@pytest.mark.parametrize("tab", [tab.slug for tab in tabs.TABS])
def test_every_tab_has_its_empty_state(client, caseworker, tab):
    response = signed_in(client, caseworker).get(QUEUE_URL, {"tab": tab})
    assert tabs.TABS_BY_SLUG[tab].empty in response.text
    assert 'data-testid="empty-state"' in response.text


def test_filters_narrow_the_tab_and_say_so(client, caseworker):
    scottish = queue_case(nation=Nation.SCOTLAND)
    queue_case(nation=Nation.ENGLAND)
    response = signed_in(client, caseworker).get(QUEUE_URL, {"tab": "unassigned", "nation": "scotland"})
    assert rows(response) == [scottish.reference]
    assert "1 case matches your filters" in response.text
    assert "Clear filters" in response.text
    response = client.get(QUEUE_URL, {"tab": "unassigned", "nation": "scotland", "overdue": "on"})
    assert 'No cases in "Unassigned" match your filters.' in response.text


def test_a_filter_value_that_is_not_a_choice_is_reported_not_a_500(client, caseworker):
    queue_case()
    response = signed_in(client, caseworker).get(
        QUEUE_URL, {"tab": "nonsense", "status": "lost", "sort": "sideways", "page": "-3", "nation": "x" * 500}
    )
    assert response.status_code == 200
    page = response.text
    assert "<title>Error: Case queue" in page
    assert "There is a problem" in page
    for message in ("Select a status from the list", "Select an order from the list", "Select a nation from the list"):
        assert message in page
    assert response.context["tab"].slug == "mine"


def test_pages_keep_the_tab_and_filters(client, caseworker):
    for _ in range(27):
        queue_case(exploitation_types=["labour"])
    response = signed_in(client, caseworker).get(QUEUE_URL, {"tab": "unassigned", "exploitation_type": "labour"})
    assert len(rows(response)) == 25
    assert "?tab=unassigned&amp;exploitation_type=labour&amp;page=2#cases" in response.text
    response = client.get(QUEUE_URL, {"tab": "unassigned", "exploitation_type": "labour", "page": "2"})
    assert len(rows(response)) == 2
    assert "<title>Case queue (page 2 of 2)" in response.text


def test_managers_see_the_queue_too(client, manager):
    queue_case()
    assert signed_in(client, manager).get(QUEUE_URL, {"tab": "unassigned"}).status_code == 200


def test_staff_of_one_authority_never_see_the_other_authoritys_cases(client, ieca, caseworker):
    theirs = queue_case(authority=ieca)
    ours = queue_case()
    signed_in(client, caseworker)
    for tab in tabs.TABS:
        page = client.get(QUEUE_URL, {"tab": tab.slug, "status": "all"}).text
        assert theirs.reference not in page
    assert ours.reference in client.get(QUEUE_URL, {"tab": "unassigned"}).text
    client.force_login(staff_of(ieca, Role.MANAGER))
    page = client.get(TEAM_URL).text
    assert theirs.reference in page
    assert ours.reference not in page


@pytest.mark.parametrize(
    "role",
    [Role.FIRST_RESPONDER, Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.SUPPORT_PROVIDER, Role.ANALYST, Role.ADMIN],
)
def test_the_casework_pages_are_not_found_for_other_roles(client, role):
    queue_case()
    signed_in(client, UserFactory(role=role))
    assert client.get(QUEUE_URL).status_code == 404
    assert client.get(TEAM_URL).status_code == 404
    assert client.post(CLAIM_URL).status_code == 404
    assert client.post(ASSIGN_URL, {"cases": [1], "assignee": 1}).status_code == 404
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_the_team_page_is_for_managers_only(client, caseworker):
    assert signed_in(client, caseworker).get(TEAM_URL).status_code == 404
    assert client.post(ASSIGN_URL).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(QUEUE_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- queries do not grow with rows --------------------------------------------------------------------------------
def queries_for(client, url, params) -> int:
    client.get(url, params)  # warm: session and caches
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


@pytest.mark.parametrize("walk_the_index", [False, True])
@pytest.mark.parametrize(
    ("url", "params"),
    [
        (QUEUE_URL, {}),
        (QUEUE_URL, {"tab": "unassigned"}),
        (QUEUE_URL, {"tab": "awaiting_cg", "sort": "oldest", "age": "adult"}),
        (QUEUE_URL, {"tab": "overdue", "exploitation_type": "labour", "status": "all", "page": "2"}),
        (TEAM_URL, {}),
        (TEAM_URL, {"tab": "mine", "sort": "newest"}),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_cases(
    client, manager, caseworker, monkeypatch, url, params, walk_the_index
):
    if walk_the_index:
        monkeypatch.setattr(paging, "SMALL_LIST", 0)
    signed_in(client, manager)

    def add(count):
        for number in range(count):
            queue_case(
                status=[Case.Status.AWAITING_RG, Case.Status.RECOVERY, Case.Status.AWAITING_CG][number % 3],
                child=number % 2 == 0,
                deadline_in=timedelta(days=number % 9 - 4),
                exploitation_types=["labour"],
                assignee=[None, caseworker, manager][number % 3],
            )

    add(5)
    few = queries_for(client, url, params)
    add(45)
    assert queries_for(client, url, params) == few
    assert few <= 20


def case_queries(client, url, params) -> list[str]:
    client.get(url, params)  # warm: session and caches
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return [query["sql"] for query in context.captured_queries if "casework_case" in query["sql"]]


@pytest.mark.parametrize(
    ("params", "walk_the_index", "expected"),
    [
        ({}, False, 2),  # the counts; the caseworker's own cases, sorted with their columns
        ({"tab": "mine", "sort": "newest", "age": "child"}, False, 3),  # a narrowed list is counted on its own
        ({"tab": "unassigned"}, False, 3),  # the counts; the page's keys; its rows
        ({"tab": "unassigned"}, True, 3),  # the keys by the index walk
        ({"tab": "unassigned", "age": "adult"}, False, 4),
    ],
)
def test_the_queue_page_counts_its_tabs_and_what_is_waiting_in_one_query_and_fetches_your_own_cases_in_one(
    client, caseworker, monkeypatch, params, walk_the_index, expected
):
    if walk_the_index:
        monkeypatch.setattr(paging, "SMALL_LIST", 0)
    for number in range(4):
        queue_case(
            child=number % 2 == 0, assignee=caseworker if number < 2 else None, deadline_in=timedelta(days=number)
        )
    queries = case_queries(signed_in(client, caseworker), QUEUE_URL, params)
    assert len(queries) == expected
    assert queries[0].count("SELECT count(*)") == len(tabs.TABS) + 2  # the tabs, and two for "Waiting for you"


def test_the_team_page_counts_its_tabs_and_the_manager_s_waiting_work_in_one_query(client, manager, caseworker):
    for number in range(4):
        queue_case(child=number % 2 == 0, assignee=caseworker if number < 2 else None, deadline_in=timedelta(days=1))
    queries = case_queries(signed_in(client, manager), TEAM_URL, {})
    counting = [query for query in queries if "SELECT count(*)" in query]
    assert len(counting) == 1
    assert counting[0].count("SELECT count(*)") == len(tabs.TABS) + 3  # the tabs, and three for "Waiting for you"


# --- "Get next case" ----------------------------------------------------------------------------------------------
def test_get_next_case_assigns_the_most_urgent_case_and_opens_it(client, caseworker):
    queue_case(deadline_in=timedelta(days=4))
    overdue = queue_case(deadline_in=-timedelta(hours=3))
    response = signed_in(client, caseworker).post(CLAIM_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[overdue.reference])
    overdue.refresh_from_db()
    assert overdue.assignee == caseworker
    assert overdue.events.filter(kind=CaseEvent.Kind.ASSIGNED).count() == 1
    page = client.get(QUEUE_URL).text  # the message waits for the next page shown
    assert f"{overdue.reference} is now assigned to you" in page


def test_get_next_case_with_nothing_waiting_says_so(client, caseworker):
    queue_case(assignee=staff_of(caseworker.organisation))
    response = signed_in(client, caseworker).post(CLAIM_URL, follow=True)
    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "govuk-notification-banner" in response.text
    assert "There are no cases waiting" in response.text


def test_get_next_case_is_a_post(client, caseworker):
    assert signed_in(client, caseworker).get(CLAIM_URL).status_code == 405


def test_the_queue_posts_to_get_next_case_with_a_token(client, caseworker):
    page = signed_in(client, caseworker).get(QUEUE_URL).text
    assert f'action="{CLAIM_URL}"' in page
    assert "csrfmiddlewaretoken" in page


# --- the team page and bulk assignment -------------------------------------------------------------------------
def test_the_team_page_lists_cases_with_checkboxes_and_each_caseworkers_open_cases(client, manager, caseworker, sca):
    waiting = queue_case()
    queue_case(assignee=caseworker)
    queue_case(assignee=caseworker, status=Case.Status.AWAITING_CG)
    queue_case(assignee=caseworker, status=Case.Status.CLOSED)  # not open: not counted
    idle = staff_of(sca, full_name="Idle Colleague")
    staff_of(sca, full_name="Gone Colleague", is_active=False)
    response = signed_in(client, manager).get(TEAM_URL)
    page = response.text
    assert response.context["tab"].slug == "unassigned"
    assert f'name="cases" type="checkbox" value="{waiting.pk}"' in page
    loads = {member.full_name: member.open_cases for member in response.context["caseloads"]}
    assert loads == {"Casey Worker": 2, "Idle Colleague": 0, "Morgan Manager": 0}
    assert f'<option value="{idle.pk}">Idle Colleague (caseworker, 0)</option>' in page
    assert "Gone Colleague" not in page


def test_a_manager_assigns_several_cases_at_once(client, manager, caseworker):
    first, second, untouched = queue_case(), queue_case(), queue_case()
    query = "?tab=unassigned&sort=oldest&page=1"
    response = signed_in(client, manager).post(
        ASSIGN_URL + query, {"cases": [first.pk, second.pk], "assignee": caseworker.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == TEAM_URL + query
    assert set(Case.objects.filter(assignee=caseworker).values_list("pk", flat=True)) == {first.pk, second.pk}
    untouched.refresh_from_db()
    assert untouched.assignee is None
    assert "2 cases assigned to Casey Worker" in client.get(response["Location"]).text


def test_a_following_get_of_the_assignment_address_goes_back_to_the_team_page(client, manager):
    response = signed_in(client, manager).get(ASSIGN_URL, {"tab": "overdue", "page": "2", "evil": "x"})
    assert response["Location"] == TEAM_URL + "?tab=overdue&page=2"


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (lambda ours, other, outsider, worker: {"assignee": worker}, "Select the cases to assign"),
        (lambda ours, other, outsider, worker: {"cases": ["x"], "assignee": worker}, "Select cases from the list"),
        (lambda ours, other, outsider, worker: {"cases": [other], "assignee": worker}, "Select cases from the list"),
        (lambda ours, other, outsider, worker: {"cases": [ours], "assignee": outsider}, "Select a caseworker from"),
        (lambda ours, other, outsider, worker: {"cases": [ours]}, "Select who to assign the cases to"),
    ],
    ids=["nothing ticked", "not an id", "another authority's case", "another authority's caseworker", "nobody"],
)
def test_bad_assignments_are_explained_and_change_nothing(client, manager, caseworker, ieca, posted, message):
    data = posted(queue_case().pk, queue_case(authority=ieca).pk, staff_of(ieca).pk, caseworker.pk)
    response = signed_in(client, manager).post(ASSIGN_URL + "?tab=unassigned", data)
    assert response.status_code == 200
    assert "<title>Error: Team cases" in response.text
    assert message in response.text
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_ticked_cases_stay_ticked_when_the_assignment_is_refused(client, manager):
    ticked, other = queue_case(), queue_case()
    response = signed_in(client, manager).post(ASSIGN_URL + "?tab=unassigned", {"cases": [ticked.pk]})
    page = response.text
    assert (
        f'value="{ticked.pk}" checked' in page or f'value="{ticked.pk}" aria-describedby="cases-error" checked' in page
    )
    assert f'value="{other.pk}">' in page


def test_the_chosen_caseworker_stays_chosen_when_no_case_was_ticked(client, manager, caseworker):
    queue_case()
    response = signed_in(client, manager).post(ASSIGN_URL + "?tab=unassigned", {"assignee": caseworker.pk})
    assert "Select the cases to assign" in response.text
    assert f'<option value="{caseworker.pk}" selected>Casey Worker (caseworker, 0)</option>' in response.text


def test_a_case_that_cannot_be_assigned_is_refused_with_the_reason(client, manager, caseworker):
    closed = queue_case(status=Case.Status.CLOSED, deadline_in=None)
    response = signed_in(client, manager).post(
        ASSIGN_URL + "?tab=unassigned&status=closed", {"cases": [closed.pk], "assignee": caseworker.pk}
    )
    assert response.status_code == 200
    assert f"{closed.reference} is closed: it cannot be assigned" in response.text
    closed.refresh_from_db()
    assert closed.assignee is None


def test_too_many_cases_in_one_assignment_are_refused(client, manager, caseworker, monkeypatch):
    from casework.views import queue as queue_views

    monkeypatch.setattr(queue_views, "MAX_CASES_PER_ASSIGNMENT", 1)
    cases = [queue_case(), queue_case()]
    response = signed_in(client, manager).post(
        ASSIGN_URL, {"cases": [case.pk for case in cases], "assignee": caseworker.pk}
    )
    assert "Select 1 cases or fewer" in response.text
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_the_overdue_tab_counts_by_the_time_of_the_request(client, caseworker):
    queue_case(deadline_in=timedelta(minutes=1))
    response = signed_in(client, caseworker).get(QUEUE_URL, {"tab": "overdue"})
    assert response.context["listing"].count.count == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = client.get(QUEUE_URL, {"tab": "overdue"})
    assert response.context["listing"].count.count == 1

"""The statistics pages (insights.views.pages): the landing page's headline figures and table list, and a table's
page (filters, layouts, errors, suppression, definitions, downloads), from cases seeded through the real services
and counted again here from the live tables, not through the insights code."""

import re
from datetime import datetime
from html import escape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from casework.models import Case, Decision
from casework.services.reconsideration import reconsideration_request
from insights.models import Refresh, SuppressionPolicy
from insights.refresh import facts_refresh
from insights.tables import TABLES, TABLES_BY_KEY
from referrals.models import Referral, Route
from tests.casework.factories import DutyToNotifyReferralFactory, SubmittedReferralFactory, case_in_state, staff_of
from tests.factories import UserFactory

# Mid-May: every seeded referral (up to 70 days old) falls in this calendar year, in its first two quarters.
NOW = datetime(2026, 5, 20, 11, 0, tzinfo=ZoneInfo("Europe/London"))


class TableReader(HTMLParser):
    """The rows of the page's figures table: each a list of (tag, text, attributes) cells."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.rows: list[list[tuple[str, str, dict]]] = []
        self.cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("data-testid") == "figures-table":
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("th", "td"):
            self.cell = [tag, "", attributes]

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth = 0
        elif self.depth and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append((self.cell[0], self.cell[1].strip(), self.cell[2]))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def table_rows(response) -> list[list[tuple[str, str, dict]]]:
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader.rows


def body_rows(response) -> list[list[str]]:
    """The texts of the body rows (those with a row header)."""
    return [
        [text for _, text, _ in row]
        for row in table_rows(response)
        if any(tag == "th" and attrs.get("scope") == "row" for tag, _, attrs in row)
    ]


def text_of(response, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</(?:div|p|section|dd|a)>', response.text, re.S)
    assert match, f"no {testid} on the page"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()
    return re.sub(r" ([.,:])", r"\1", text)


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def sca(project_data):
    return Organisation.objects.get(name="Single Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)


@pytest.fixture
def ieca(project_data):
    return Organisation.objects.get(
        name="Immigration Enforcement Competent Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY
    )


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=True):
        yield NOW


@pytest.fixture
def cases(now, sca, ieca):
    """Cases in every kind of state across both authorities, a Duty to Notify report, then a refresh."""
    caseworker, manager = staff_of(sca), staff_of(sca, Role.MANAGER)
    made = {
        "waiting_adult": case_in_state(
            Case.Status.AWAITING_RG,
            authority=sca,
            caseworker=caseworker,
            manager=manager,
            gender="female",
            child_at_exploitation="no",
            nationalities=["Albanian"],
            exploitation_types=["labour"],
            exploited_in="overseas",
            answers={"uk_towns": ["Leeds"], "police_force": "West Yorkshire Police"},
        ),
        "waiting_child": case_in_state(
            Case.Status.AWAITING_RG,
            child=True,
            authority=sca,
            caseworker=caseworker,
            manager=manager,
            gender="male",
            nationalities=["UK"],
            exploitation_types=["sexual", "criminal"],
            exploited_in="uk",
        ),
        "confirmed": case_in_state(
            Case.Status.CONFIRMED_VICTIM,
            opened_days_ago=40,
            child=True,
            authority=sca,
            caseworker=caseworker,
            manager=manager,
            nationalities=["Vietnamese"],
            exploitation_types=["criminal"],
            exploited_in="uk",
        ),
        "awaiting_cg": case_in_state(
            Case.Status.AWAITING_CG,
            opened_days_ago=70,
            authority=sca,
            caseworker=caseworker,
            manager=manager,
            gender="male",
            child_at_exploitation="no",
            nationalities=["Eritrean", "Ethiopian"],
            exploitation_types=["labour", "domestic"],
        ),
        "refused": case_in_state(
            Case.Status.RG_NEGATIVE_SERVED,
            authority=sca,
            caseworker=caseworker,
            manager=manager,
            gender="female",
            child_at_exploitation="no",
        ),
        "disqualified": case_in_state(
            Case.Status.DISQUALIFIED, opened_days_ago=40, authority=sca, caseworker=caseworker, manager=manager
        ),
        "elsewhere": case_in_state(Case.Status.CONFIRMED_VICTIM, opened_days_ago=40, authority=ieca, gender="male"),
    }
    refused = made["refused"]
    reconsideration_request(
        case_id=refused.pk, actor=refused.referral.submitted_by, grounds=["new_evidence"], details="A new statement."
    )
    DutyToNotifyReferralFactory(nationalities=["Sudanese"], exploitation_types=["labour"])
    facts_refresh()
    return made


def expected_referrals(*, authority=None) -> int:
    """NRM referrals this calendar year, counted from the live tables."""
    referrals = Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).filter(submitted_at__year=NOW.year)
    if authority is not None:
        referrals = referrals.filter(case__authority=authority)
    return referrals.count()


def expected_decisions(stage: str, *, authority=None) -> tuple[int, int]:
    decisions = Decision.objects.filter(stage=stage, state="served", served_at__year=NOW.year)
    if authority is not None:
        decisions = decisions.filter(case__authority=authority)
    return decisions.count(), decisions.filter(outcome="positive").count()


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def sca_manager(sca):
    return staff_of(sca, Role.MANAGER)


def test_the_analysts_landing_page_shows_this_years_headline_figures(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(reverse("insights:statistics"))
    assert response.status_code == 200
    assert 'data-testid="statistics-index"' in response.text
    referrals = expected_referrals()
    assert referrals == 7
    assert text_of(response, "headline-referrals").startswith(f"NRM referrals {referrals}")
    assert text_of(response, "headline-duty-to-notify").startswith("Duty to Notify reports 1")
    rg, rg_positive = expected_decisions("rg")
    assert (rg, rg_positive) == (5, 4)
    assert f"Reasonable grounds decisions {rg} {round(100 * rg_positive / rg)}% positive" in text_of(
        response, "headline-rg-decisions"
    )
    cg, cg_positive = expected_decisions("cg")
    assert f"Conclusive grounds decisions {cg} {round(100 * cg_positive / cg)}% positive" in text_of(
        response, "headline-cg-decisions"
    )
    # Waiting now: the case awaiting CG only (the disqualified one is finished).
    assert text_of(response, "headline-awaiting-cg").startswith("Cases awaiting a conclusive grounds decision now 1")
    assert "January to December 2026" in response.text
    assert reverse("insights:extract") in response.text
    assert reverse("insights:service_performance") in response.text
    assert reverse("insights:operations") not in response.text


def test_a_managers_landing_page_shows_only_their_authoritys_figures_and_no_duty_to_notify(
    client, cases, sca, sca_manager
):
    client.force_login(sca_manager)
    response = client.get(reverse("insights:statistics"))
    assert response.status_code == 200
    assert text_of(response, "headline-referrals").startswith(f"NRM referrals {expected_referrals(authority=sca)}")
    assert expected_referrals(authority=sca) == 6
    rg, _ = expected_decisions("rg", authority=sca)
    assert text_of(response, "headline-rg-decisions").startswith(f"Reasonable grounds decisions {rg}")
    assert 'data-testid="headline-duty-to-notify"' not in response.text
    assert f"These are the figures of {sca.name}" in text_of(response, "authority-scope")
    assert reverse("insights:operations") in response.text
    assert reverse("insights:extract") not in response.text


def test_the_landing_page_lists_every_table_the_viewer_may_see_by_group(client, db, analyst, sca_manager):
    client.force_login(analyst)
    page = client.get(reverse("insights:statistics")).text
    for table in TABLES:
        assert f'data-testid="table-link-{table.key}"' in page
        assert reverse("insights:table", args=[table.key]) in page
        assert escape(table.summary) in page
    groups = [match for match in re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', page)]
    assert [g for g in groups if g in {"Referrals", "Decisions", "Duty to Notify", "Prevention"}] == [
        "Referrals",
        "Prevention",
        "Decisions",
        "Duty to Notify",
    ]
    client.force_login(sca_manager)
    page = client.get(reverse("insights:statistics")).text
    for table in TABLES:
        shown = f'data-testid="table-link-{table.key}"' in page
        assert shown == (table.group != "Duty to Notify"), table.key


def test_the_pages_say_the_figures_are_being_prepared_before_the_first_refresh(client, db, analyst):
    client.force_login(analyst)
    assert not Refresh.objects.exists()
    for url in (reverse("insights:statistics"), reverse("insights:table", args=["referrals-by-gender"])):
        assert "The figures are being prepared" in text_of(client.get(url), "freshness")


def test_the_freshness_line_gives_the_newest_refresh_in_uk_time(client, db, analyst):
    Refresh.objects.create(
        finished_at=datetime(2026, 12, 6, 14, 5, tzinfo=ZoneInfo("UTC")), seconds=1, referrals=0, decisions=0
    )
    Refresh.objects.create(
        finished_at=datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("UTC")), seconds=1, referrals=0, decisions=0
    )
    client.force_login(analyst)
    response = client.get(reverse("insights:statistics"))
    assert text_of(response, "freshness") == "Figures refreshed at 14:05 on 6 December 2026."
    Refresh.objects.create(  # British Summer Time: 09:30 UTC is 10:30 in London
        finished_at=datetime(2027, 7, 1, 9, 30, tzinfo=ZoneInfo("UTC")), seconds=1, referrals=0, decisions=0
    )
    response = client.get(reverse("insights:table", args=["referrals-by-gender"]))
    assert text_of(response, "freshness") == "Figures refreshed at 10:30 on 1 July 2027."


@pytest.mark.parametrize("key", [table.key for table in TABLES])
def test_every_table_shows_its_figures_to_an_analyst(client, cases, analyst, key):
    client.force_login(analyst)
    response = client.get(reverse("insights:table", args=[key]))
    assert response.status_code == 200
    table = TABLES_BY_KEY[key]
    page = response.text
    assert f'<h1 class="govuk-heading-l">{escape(table.title)}</h1>' in page
    assert 'data-testid="figures-table"' in page, "the seeded cases give every table some figures"
    assert 'data-testid="empty-state"' not in page
    assert 'data-testid="chart"' in page
    assert "<svg" in page
    assert escape(table.definition) in text_of(response, "definition")
    assert "past figures can change slightly as records are corrected" in page
    assert "These figures cover January to December 2026" in page
    assert "Apply filters" in page
    rows = body_rows(response)
    assert (rows and rows[-1][0] == "Total") or table.special
    for file_format in ("csv", "xlsx", "ods"):
        assert f'href="{reverse("insights:export", args=[key, file_format])}"' in page


def test_the_published_layout_shows_each_year_then_its_quarters_and_a_total(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(reverse("insights:table", args=["referrals-by-age-and-location"]), {"period": "y-2026"})
    rows = body_rows(response)
    assert [row[:2] for row in rows] == [["2026", ""], ["", "Q1"], ["", "Q2"], ["Total", ""]]
    header = table_rows(response)[0]
    assert [text for _, text, _ in header][:4] == ["Year", "Quarter", "Adult (18 or over)", "Child (17 or under)"]
    assert header[2][2].get("colspan")  # each age group spans its locations and its total
    in_q1 = Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).filter(submitted_at__month__lte=3).count()
    in_q2 = Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).filter(submitted_at__month__gt=3).count()
    year, q1, q2, total = rows
    assert (q1[-1], q2[-1], year[-1], total[-1]) == (str(in_q1), str(in_q2), str(in_q1 + in_q2), str(in_q1 + in_q2))
    assert 'class="govuk-table__row app-statistics-table__total"' in response.text
    assert "govuk-table__cell--numeric" in response.text


def test_the_tidy_layout_has_one_row_per_figure(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("insights:table", args=["referrals-by-gender"]), {"period": "y-2026", "layout": "tidy"}
    )
    rows = table_rows(response)
    assert [text for _, text, _ in rows[0]] == ["Gender", "Age at exploitation", "Count"]
    figures = {tuple(text for _, text, _ in row[:2]): int(row[2][1]) for row in rows[1:]}
    referrals = Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY)
    assert sum(figures.values()) == referrals.count()
    assert (
        figures[("Female", "Adult (18 or over)")]
        == referrals.filter(gender="female", is_child=False, child_at_exploitation="no").count()
    )
    assert figures[("Male", "Child (17 or under)")] == referrals.filter(gender="male", is_child=True).count()
    assert all(count > 0 for count in figures.values())


def test_invalid_custom_dates_give_the_error_summary_keep_what_was_typed_and_show_no_figures(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("insights:table", args=["referrals-by-gender"]),
        {"period": "custom", "start_0": "31", "start_1": "2", "start_2": "2026", "end_0": "", "end_1": "4"},
    )
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert '<a href="#id_start_0">Start date must be a real date</a>' in page
    assert '<a href="#id_end_0">' in page
    assert "End date must include a day" in page or "Enter the end date" in page
    assert 'name="start_0" value="31"' in page
    assert 'name="end_1" value="4"' in page
    assert '<option value="custom" selected>' in page
    assert 'data-testid="figures-table"' not in page
    assert 'data-testid="download-csv"' not in page
    assert response.context["grid"] is None
    assert "<title>Error: " in page


def test_an_end_before_the_start_is_an_error(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("insights:table", args=["referrals-by-gender"]),
        {
            "period": "custom",
            "start_0": "1",
            "start_1": "5",
            "start_2": "2026",
            "end_0": "1",
            "end_1": "4",
            "end_2": "2026",
        },
    )
    assert "End date must be the same as or after the start date" in response.text
    assert 'data-testid="figures-table"' not in response.text


def test_valid_custom_dates_count_only_that_range(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("insights:table", args=["referrals-by-gender"]),
        {
            "period": "custom",
            "start_0": "1",
            "start_1": "4",
            "start_2": "2026",
            "end_0": "20",
            "end_1": "5",
            "end_2": "2026",
        },
    )
    assert "1 April 2026 to 20 May 2026" in response.text
    total = body_rows(response)[-1]
    expected = Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).filter(submitted_at__month__gte=4).count()
    assert total[0] == "Total"
    assert total[-1] == str(expected)


def test_small_numbers_are_suppressed_on_screen_when_the_policy_says_so(client, cases, analyst):
    client.force_login(analyst)
    url = reverse("insights:table", args=["referrals-by-gender"])
    assert "[c]" not in client.get(url).text  # the published tables show small numbers
    SuppressionPolicy.objects.create(threshold=5, on_screen=True)
    response = client.get(url)
    rows = body_rows(response)
    assert "[c]" in [cell for row in rows[:-1] for cell in row]
    assert rows[-1][-1] == str(Referral.objects.exclude(route=Route.DUTY_TO_NOTIFY).count())  # totals stay true
    assert "Counts from 1 to 4 are shown as [c]" in response.text


def test_the_download_links_keep_the_filters(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("insights:table", args=["referrals-by-gender"]), {"period": "q-2026-2", "nation": "england"}
    )
    for file_format in ("csv", "xlsx", "ods"):
        href = reverse("insights:export", args=["referrals-by-gender", file_format])
        assert f'href="{href}?period=q-2026-2&amp;nation=england"' in response.text


def test_a_period_with_nothing_to_count_shows_the_empty_state(client, cases, analyst):
    client.force_login(analyst)
    response = client.get(reverse("insights:table", args=["referrals-by-gender"]), {"period": "y-2019"})
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.text
    assert 'data-testid="figures-table"' not in response.text


def test_the_table_page_does_a_fixed_number_of_queries_however_many_rows(
    client, cases, analyst, django_assert_max_num_queries
):
    def figures_queries(captured) -> int:
        # The table's own queries, not the signed-in user's (read with their organisation on every page).
        return sum(
            ("insights_" in query["sql"] or "accounts_organisation" in query["sql"])
            and not query["sql"].startswith('SELECT "accounts_user"')
            for query in captured
        )

    client.force_login(analyst)
    url = reverse("insights:table", args=["referrals-by-first-responder"])
    with django_assert_max_num_queries(21) as before:  # with the table's transaction: savepoint, SET LOCAL, release
        client.get(url)
    rows_before = len(body_rows(client.get(url)))
    for _ in range(6):
        SubmittedReferralFactory()  # each from an organisation of its own: six more rows
    facts_refresh()
    with django_assert_max_num_queries(21) as after:
        response = client.get(url)
    assert len(body_rows(response)) >= rows_before + 6
    assert figures_queries(after.captured_queries) == figures_queries(before.captured_queries) <= 5


def test_the_landing_page_does_a_fixed_number_of_queries(client, cases, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    client.get(reverse("insights:statistics"))  # the first request of a session records it
    # 16, and a table's own transaction: its savepoint, SET LOCAL work_mem and the release.
    with django_assert_max_num_queries(19) as captured:
        client.get(reverse("insights:statistics"))
    figures = [query for query in captured.captured_queries if "insights_" in query["sql"]]
    assert len(figures) <= 6  # this year's referrals, reports, decisions, cases awaiting CG, and the freshness

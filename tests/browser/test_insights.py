"""Insights in a real browser (issue 11, section 6): the analyst finds real figures on the statistics page, opens a
table, filters it, sees its chart and its table, switches to the tidy layout and downloads the table in each
format, whose files hold the page's totals; bad custom dates come back with the GOV.UK error summary; the
research extract downloads. A manager of a competent authority sees their operational dashboard, whose figures
open the queue, and their authority's statistics only, and is told the research extract is not found. No
insights page scrolls sideways at 320 px, and axe-core finds no serious or critical violation on any of them.

The world (referrals, cases and decisions across the quarters of last year, and today's) is seeded by
tests/browser/insights_world.py, which also counts what each page should show from its own plan.
Screenshots of every page, at desktop width and at 320 px, go to /tmp/h/shots/insights/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import openpyxl
import pytest
import tablib
from django.urls import reverse
from playwright.sync_api import Page, expect

from insights.models import ExportLogEntry
from insights.tables import TABLES
from tests.browser.helpers import assert_accessible, sign_in
from tests.browser.insights_world import DTN_NATIONALITY, InsightsWorld, insights_world
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h/shots/insights")  # noqa: S108 - where the brief asks for them, to look at by hand
NARROW = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
FORMATS = ("csv", "xlsx", "ods")
TABLE = "referrals-by-gender"
NOT_FOUND = "Page not found"


@pytest.fixture
def world(live_server, settings) -> InsightsWorld:
    # Staff sign in with a password alone here: signing in with an authenticator is the sign-in tests' business.
    settings.NRM_REQUIRE_STAFF_MFA = False
    return insights_world()


# --- reading the pages -----------------------------------------------------------------------------------------


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot at the current width, and one at 320 px, where nothing may scroll sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or DESKTOP
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(NARROW)
    try:
        page.screenshot(path=str(SHOTS / f"{name}-320.png"), full_page=True)
        assert_fits_320(page, name)
    finally:
        page.set_viewport_size(viewport)


def assert_fits_320(page: Page, name: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter((e) => e.getBoundingClientRect().right > 321)
                .filter((e) => {
                    if (getComputedStyle(e).position === 'absolute') return true;  // not clipped by a scroll region
                    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== 'visible') return false;
                    }
                    return true;
                })
                .slice(0, 5)
                .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
        )
        raise AssertionError(f"{name} scrolls sideways at 320 px: {width} px wide; widest: {wide}")


def number(text: str) -> int | float | None:
    cleaned = text.strip().replace(",", "").rstrip("%")
    if re.fullmatch(r"-?\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"-?\d+\.\d+", cleaned):
        return float(cleaned)
    return None


def table_rows(page: Page) -> list[list[str]]:
    """The figures table's body rows, each a list of its header and data cells' text."""
    table = page.get_by_test_id("figures-table")
    expect(table).to_be_visible()
    return table.evaluate(
        """t => Array.from(t.tBodies).flatMap((b) => Array.from(b.rows)).map(
            (r) => Array.from(r.cells).map((c) => c.innerText.trim()))"""
    )


def header_cells(page: Page) -> list[str]:
    return page.get_by_test_id("figures-table").evaluate(
        """t => t.tHead
            ? Array.from(t.tHead.rows).flatMap((r) => Array.from(r.cells).map((c) => c.innerText.trim()))
            : []"""
    )


def published_total(rows: list[list]) -> int | float:
    """The grand total of a published layout: the "Total" row's last figure."""
    for row in rows:
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        labels = [cell for cell in cells if cell]
        if labels and labels[0] == "Total":
            figures = [number(cell) for cell in cells[1:] if number(cell) is not None]
            assert figures, f"the Total row has no figures: {row}"
            return figures[-1]
    raise AssertionError(f"no Total row in {rows[:30]}")


def row_total(rows: list[list[str]], label: str) -> int | float:
    for row in rows:
        if row and row[0] == label:
            return [number(cell) for cell in row[1:] if number(cell) is not None][-1]
    raise AssertionError(f"no row {label!r} in {rows}")


def tidy_total(rows: list[list]) -> int | float:
    """The sum of a tidy layout's "Count" column (the header row may sit below a title and notes)."""
    for index, row in enumerate(rows):
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        if "Count" in cells:
            column = cells.index("Count")
            values = [number(str(r[column])) for r in rows[index + 1 :] if len(r) > column and r[column] is not None]
            return sum(value for value in values if value is not None)
    raise AssertionError(f"no Count column in {rows[:30]}")


def file_totals(sheets: list[list[list]]) -> list[int | float]:
    """Every total a downloaded table holds: each sheet's "Total" row (the published layout) and the sum of each
    sheet's "Count" column (the tidy layout). A notes sheet holds neither."""
    totals = []
    for rows in sheets:
        for layout_total in (published_total, tidy_total):
            try:
                totals.append(layout_total(rows))
            except AssertionError:
                continue
    assert totals, f"no table in the file: {[rows[:10] for rows in sheets]}"
    return totals


def read_sheets(path: Path, file_format: str) -> list[list[list]]:
    """Every sheet of a downloaded file as rows of cells, read with a library of its own format."""
    if file_format == "csv":
        text = path.read_text(encoding="utf-8-sig")
        return [list(csv.reader(io.StringIO(text)))]
    if file_format == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]
    book = tablib.Databook()
    book.load(path.read_bytes(), format="ods")
    return [[list(dataset.headers or [])] + [list(row) for row in dataset] for dataset in book.sheets()]


def download(page: Page, test_id: str, file_format: str, world: InsightsWorld) -> tuple[Path, str]:
    """The file behind a download link, through the browser's download; never naming a person."""
    link = page.get_by_test_id(test_id)
    expect(link).to_have_count(1)
    with page.expect_download() as info:
        link.click()
    file = info.value
    assert file.failure() is None, file.failure()
    name = file.suggested_filename
    assert name.endswith(f".{file_format}"), name
    assert re.fullmatch(r"[a-z0-9-]+\.(csv|xlsx|ods)", name), f"an odd file name: {name}"
    path = SHOTS / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    file.save_as(path)  # kept beside the screenshots, to open by hand
    content = path.read_bytes()
    assert content, f"{name} is empty"
    if file_format == "csv":
        text = content.decode("utf-8-sig")
        for reference in world.references:
            assert reference not in text, f"{name} names the referral {reference}"
    return path, name


def select_filters(page: Page, **values: str) -> None:
    """Sets the filter form's fields by their labels and presses "Apply filters"."""
    form = page.get_by_test_id("filters")
    expect(form).to_be_visible()
    if "period" in values:
        form.get_by_label("Period", exact=True).select_option(values["period"])
    if "nation" in values:
        form.get_by_label("Nation", exact=True).select_option(label=values["nation"])
    if "layout" in values:
        form.get_by_label(values["layout"], exact=True).check()
    for date_name in ("Start date", "End date"):
        if date_name in values:
            group = form.get_by_role("group", name=date_name)
            if not group.is_visible():  # the custom dates sit in a "Custom dates" details element
                form.locator("summary").filter(has_text="Custom dates").click()
            expect(group).to_be_visible()
            for part, typed in zip(("Day", "Month", "Year"), values[date_name].split(" "), strict=True):
                group.get_by_label(part, exact=True).fill(typed)
    with page.expect_navigation():
        form.get_by_role("button", name="Apply filters").click()


def table_path(key: str, **query) -> str:
    path = reverse("insights:table", args=[key])
    return f"{path}?{urlencode(query)}" if query else path


# --- the analyst ------------------------------------------------------------------------------------------------


def test_the_analyst_filters_a_table_sees_its_chart_and_downloads_each_format_holding_the_pages_totals(
    page, world, failed_requests
):
    expected = world.expected
    year = world.last_year
    page.set_viewport_size(DESKTOP)

    # Signing in lands on the statistics page, with this year's headline figures as the seeding counted them.
    sign_in(page, world.analyst.email, TEST_PASSWORD)
    assert path_of(page) == reverse("insights:statistics"), page.url
    expect(page.get_by_test_id("statistics-index")).to_be_visible()
    this_year = year + 1
    headlines = {
        "referrals": len(expected.referrals(year=this_year)),
        "duty-to-notify": expected.duty_to_notify_in(this_year),
        "rg-decisions": expected.rg_decisions(year=this_year),
        "cg-decisions": expected.cg_decisions(year=this_year),
        "awaiting-cg": expected.awaiting_cg_now(),
    }
    for name, count in headlines.items():
        expect(page.get_by_test_id(f"headline-{name}")).to_contain_text(f"{count:,}")
    assert headlines["referrals"] > 0, "the world seeds this year's referrals"
    assert headlines["awaiting-cg"] > 0, "the world seeds cases awaiting a CG"
    positive = expected.rg_decisions(year=this_year, positive=True)
    expect(page.get_by_test_id("headline-rg-decisions")).to_contain_text(
        f"{round(100 * positive / headlines['rg-decisions'])}% positive"
    )
    expect(page.get_by_test_id("freshness")).to_contain_text("refreshed")

    # A table, from its link.
    with page.expect_navigation():
        page.get_by_test_id(f"table-link-{TABLE}").click()
    assert path_of(page) == reverse("insights:table", args=[TABLE])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Referrals by gender")
    expect(page.get_by_test_id("definition")).to_contain_text("referral date")
    expect(page.get_by_test_id("freshness")).to_contain_text("Figures refreshed at")

    # Filtered to last year in Wales: the figures the seeding planned for Wales.
    select_filters(page, period=f"y-{year}", nation="Wales")
    assert query_of(page)["period"] == [f"y-{year}"], page.url
    assert query_of(page)["nation"] == ["wales"], page.url
    expect(page.get_by_label("Period", exact=True)).to_have_value(f"y-{year}")
    wales = expected.referrals(year=year, nation="wales")
    by_gender = expected.by_gender(wales)
    rows = table_rows(page)
    page_total = published_total(rows)
    assert page_total == len(wales), rows
    assert row_total(rows, "Female") == by_gender["female"], rows
    assert row_total(rows, "Male") == by_gender["male"], rows
    assert "Other" not in [row[0] for row in rows], "only the categories that occur are shown"

    # The chart, with the table as its accessible alternative.
    chart = page.get_by_test_id("chart")
    expect(chart).to_be_visible()
    svg = chart.locator("svg")
    expect(svg.first).to_be_visible()
    assert svg.first.get_attribute("role") == "img"
    shoot(page, "table-published")
    assert_accessible(page)

    # Each download holds the page's total.
    for file_format in FORMATS:
        link = page.get_by_test_id(f"download-{file_format}")
        href_query = parse_qs(urlparse(link.get_attribute("href")).query)
        assert href_query.get("period") == [f"y-{year}"], href_query
        assert href_query.get("nation") == ["wales"], href_query
        path, name = download(page, f"download-{file_format}", file_format, world)
        totals = file_totals(read_sheets(path, file_format))
        assert set(totals) == {page_total}, f"{name} holds the totals {totals}, the page {page_total}"

    # The tidy layout: one row per figure, adding up to the same total; its downloads agree.
    select_filters(page, layout="One row per figure (tidy data)")
    assert query_of(page)["layout"] == ["tidy"], page.url
    assert query_of(page)["nation"] == ["wales"], "the filters are kept when the layout changes"
    headers = header_cells(page)
    assert headers[-1] == "Count", headers
    tidy_rows = table_rows(page)
    assert sum(number(row[-1]) for row in tidy_rows) == page_total, tidy_rows
    assert ["Female", "Child (17 or under)", str(by_gender["female"])] in tidy_rows, tidy_rows
    shoot(page, "table-tidy")
    assert_accessible(page)
    for file_format in FORMATS:
        path, name = download(page, f"download-{file_format}", file_format, world)
        totals = file_totals(read_sheets(path, file_format))
        assert set(totals) == {page_total}, f"{name} (tidy) holds the totals {totals}, the page {page_total}"

    # Every download is in the export log: who, which table, which format and filters.
    logged = ExportLogEntry.objects.filter(user=world.analyst, what=TABLE)
    assert sorted(logged.values_list("file_format", flat=True)) == sorted(FORMATS * 2)
    assert {entry.filters["nation"] for entry in logged} == {"wales"}
    assert not failed_requests, failed_requests


def test_custom_dates_that_are_wrong_show_the_error_summary_and_keep_what_was_typed(page, world):
    page.set_viewport_size(DESKTOP)
    sign_in(page, world.analyst.email, TEST_PASSWORD)
    page.goto(table_path(TABLE))

    select_filters(page, period="custom", **{"Start date": "31 2 2025", "End date": "1 13 2025"})

    assert page.title().startswith("Error: "), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Start date must be a real date")
    expect(summary).to_contain_text("End date must be a real date")
    expect(page.get_by_test_id("figures-table")).to_have_count(0)
    expect(page.get_by_test_id("download-csv")).to_have_count(0)
    start = page.get_by_test_id("filters").get_by_role("group", name="Start date")
    end = page.get_by_test_id("filters").get_by_role("group", name="End date")
    assert [start.get_by_label(part, exact=True).input_value() for part in ("Day", "Month", "Year")] == [
        "31",
        "2",
        "2025",
    ]
    assert [end.get_by_label(part, exact=True).input_value() for part in ("Day", "Month", "Year")] == [
        "1",
        "13",
        "2025",
    ]
    expect(page.get_by_label("Period", exact=True)).to_have_value("custom")
    # The summary's link takes the user to the field.
    summary.get_by_role("link", name="Start date must be a real date").click()
    expect(start.get_by_label("Day", exact=True)).to_be_focused()
    shoot(page, "table-error")
    assert_accessible(page)

    # An end before the start, and a start still to come.
    select_filters(page, period="custom", **{"Start date": "1 6 2025", "End date": "1 3 2025"})
    expect(summary).to_contain_text("End date must be the same as or after the start date")
    select_filters(page, period="custom", **{"Start date": f"1 1 {world.last_year + 3}", "End date": "1 3 2025"})
    expect(summary).to_contain_text("Start date must be today or in the past")

    # Right dates: the figures of those dates (all of last year, as custom dates).
    year = world.last_year
    select_filters(page, period="custom", **{"Start date": f"1 1 {year}", "End date": f"31 12 {year}"})
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert published_total(table_rows(page)) == len(world.expected.referrals(year=year))


def test_the_analyst_downloads_the_research_extract_in_each_format(page, world):
    page.set_viewport_size(DESKTOP)
    sign_in(page, world.analyst.email, TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("link-extract").click()
    assert path_of(page) == reverse("insights:extract")
    expect(page.get_by_test_id("extract")).to_be_visible()
    select_filters(page, period=f"y-{world.last_year}")
    expect(page.get_by_test_id("period")).to_have_text(f"January to December {world.last_year}")
    shoot(page, "extract")
    assert_accessible(page)

    expected_rows = world.expected.extract_rows(year=world.last_year)
    assert expected_rows > 0, "the world has a combination common enough to be kept"
    for file_format in FORMATS:
        path, name = download(page, f"extract-{file_format}", file_format, world)
        sheets = read_sheets(path, file_format)
        data = [rows for rows in sheets if rows and "Referral month" in [str(cell) for cell in rows[0]]]
        assert len(data) == 1, f"{name}: no sheet starts with the extract's columns"
        header, *rows = data[0]
        header = [str(cell) for cell in header]
        assert not [h for h in header if re.search(r"name|reference|birth|email|phone|address|\bid\b", h, re.I)]
        rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
        assert len(rows) == expected_rows, f"{name} has {len(rows)} rows, the disclosure control keeps {expected_rows}"
        nationality = header.index("Nationality")
        assert {row[nationality] for row in rows} == {DTN_NATIONALITY}, rows
    # Each download is in the export log, with who and what.
    logged = ExportLogEntry.objects.filter(user=world.analyst, what="research-extract")
    assert sorted(logged.values_list("file_format", flat=True)) == sorted(FORMATS)
    assert {entry.rows for entry in logged} == {expected_rows}


def test_the_analysts_other_pages_are_accessible_and_fit_a_phone(page, world):
    """axe-core on the landing page, every table page in both layouts (last year's figures), the extract and the
    service performance page; none scrolls sideways at 320 px."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, world.analyst.email, TEST_PASSWORD)
    shoot(page, "analyst-statistics")
    assert_accessible(page)
    for table in TABLES:
        for layout in ("published", "tidy"):
            response = page.goto(table_path(table.key, period=f"y-{world.last_year}", layout=layout))
            assert response.status == 200, f"{table.key} answered {response.status}"
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shoot(page, f"table-{table.key}-{layout}")
            assert_accessible(page)
    response = page.goto(reverse("insights:service_performance"))
    assert response.status == 200
    expect(page.get_by_test_id("service-performance")).to_be_visible()
    shoot(page, "service-performance")
    assert_accessible(page)


# --- the manager ------------------------------------------------------------------------------------------------


def test_a_manager_sees_their_operations_whose_figures_open_the_queue_and_their_authoritys_statistics_only(page, world):
    expected = world.expected
    year = world.last_year
    page.set_viewport_size(DESKTOP)
    sign_in(page, world.manager.email, TEST_PASSWORD)

    # The operational dashboard, from the header's navigation.
    menu = page.get_by_role("navigation", name="Menu")
    with page.expect_navigation():
        menu.get_by_role("link", name="Performance", exact=True).click()
    assert path_of(page) == reverse("insights:operations"), page.url
    operations = page.get_by_test_id("operations")
    expect(operations).to_be_visible()
    figures = page.locator('[data-testid^="figure-"]')
    assert figures.count() >= 5, f"only {figures.count()} figures on the dashboard"
    shoot(page, "operations")
    assert_accessible(page)
    linked = page.locator('[data-testid^="figure-"] a[href], a[data-testid^="figure-"][href]')
    assert linked.count() >= 1, "no figure links to the queue"
    first = linked.first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert path_of(page).startswith("/casework/") or path_of(page) == urlparse(href).path, page.url
    assert page.get_by_role("heading", level=1).is_visible()
    assert NOT_FOUND not in page.get_by_role("heading", level=1).inner_text()

    # Their authority's statistics: this year's headlines of the IECA, and no Duty to Notify.
    page.goto(reverse("casework:team"))
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Statistics", exact=True).click()
    assert path_of(page) == reverse("insights:statistics")
    expect(page.get_by_test_id("headline-referrals")).to_contain_text(
        f"{len(expected.referrals(year=year + 1, authority='ieca')):,}"
    )
    expect(page.get_by_test_id("headline-awaiting-cg")).to_contain_text(
        f"{expected.awaiting_cg_now(authority='ieca'):,}"
    )
    expect(page.get_by_test_id("headline-duty-to-notify")).to_have_count(0)
    expect(page.locator('[data-testid^="table-link-duty-to-notify"]')).to_have_count(0)
    shoot(page, "manager-statistics")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_test_id(f"table-link-{TABLE}").click()
    expect(page.get_by_test_id("filters").get_by_label("Competent authority")).to_have_count(0)
    select_filters(page, period=f"y-{year}")
    ieca = expected.referrals(year=year, authority="ieca")
    assert len(ieca) < len(expected.referrals(year=year)), "the world gives the other authority referrals too"
    rows = table_rows(page)
    assert published_total(rows) == len(ieca), rows
    assert row_total(rows, "Female") == expected.by_gender(ieca)["female"], rows
    shoot(page, "manager-table")
    assert_accessible(page)

    # Not for managers: the research extract, its downloads, the service's own measures, Duty to Notify tables.
    for path in (
        reverse("insights:extract"),
        reverse("insights:extract_download", args=["csv"]),
        reverse("insights:service_performance"),
        reverse("insights:table", args=["duty-to-notify-by-quarter"]),
    ):
        response = page.goto(path)
        assert response.status == 404, f"{path} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    assert_accessible(page)

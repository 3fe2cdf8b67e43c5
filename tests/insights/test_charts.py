"""Charts: one inline SVG image per table (named by its title and period, no script, no inline styles that our
CSP would block, GOV.UK colours), suppressed cells drawn as gaps, labels escaped, ranked bars largest first with
the rest as "Others", and quick to draw."""

import time
import xml.etree.ElementTree as ET

import pytest

from insights import periods
from insights.charts import COLOURS, chart_svg, ranked_chart_svg
from insights.figures import Filters, table_grid
from insights.grid import build
from insights.tables import AGE, LOCATION, NATIONALITY, QUARTER, TABLES, TABLES_BY_KEY, YEAR

HOSTILE = '<script>alert("x")</script> & =HYPERLINK("evil")'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check its shape
    assert root.tag.endswith("svg")
    return root


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def elements(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if local(element.tag) == name]


def quarterly_grid(values=None):
    counts = [
        {"year": 2025, "quarter": q, "age_group": age, "location": "uk", "n": n}
        for (q, age), n in (values or {(1, "adult"): 40, (2, "adult"): 3, (3, "adult"): 55, (1, "child"): 20}).items()
    ]
    return build(counts, rows=(YEAR, QUARTER), columns=(AGE, LOCATION))


def assert_accessible_image(svg: str, *names: str) -> ET.Element:
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = next(e for e in elements(root, "title") if e.get("id") == title_id)
    desc = next(e for e in elements(root, "desc") if e.get("id") == desc_id)
    for name in names:
        assert name in title.text
    assert desc.text
    assert not elements(root, "script")
    assert not elements(root, "style")  # CSP: style-src 'self' blocks inline stylesheets
    assert not any(element.get("style") for element in root.iter())  # and style attributes
    assert "<script" not in svg
    assert not svg.startswith("<?xml")
    return root


def test_a_trend_table_is_a_line_chart_by_quarter_named_by_its_title_and_period():
    table = TABLES_BY_KEY["referrals-by-age-and-location"]
    svg = chart_svg(table, quarterly_grid(), period="January to December 2025")
    root = assert_accessible_image(svg, table.title, "January to December 2025")
    texts = [element.text for element in elements(root, "text")]
    assert {"2025 Q1", "2025 Q2", "2025 Q3"} <= set(texts)
    # One line per age group's total, and the grand total, in GOV.UK colours.
    assert {"Adult (18 or over)", "Child (17 or under)", "Total"} <= set(texts)
    fills = {element.get("fill") for element in root.iter()} | {element.get("stroke") for element in root.iter()}
    assert COLOURS[0] in fills
    assert COLOURS[1] in fills
    assert root.get("font-family") == "Arial, Helvetica, sans-serif"


def test_a_suppressed_cell_is_a_gap_in_the_line_never_its_value():
    values = {(1, "adult"): 40, (2, "adult"): 3, (3, "adult"): 55, (1, "child"): 20, (2, "child"): 9, (3, "child"): 30}
    counts = [{"year": 2025, "quarter": q, "age_group": age, "n": n} for (q, age), n in values.items()]
    grid = build(counts, rows=(YEAR, QUARTER), columns=(AGE,))
    # 3 is hidden, and with it 9 (its row) and 40 and 20 (their columns); the totals stay.
    grid.suppress(5)
    svg = chart_svg(TABLES_BY_KEY["public-order-disqualifications"], grid)
    root = parse(svg)
    plotted = [element.text for element in elements(root, "desc") if element.get("class") == "value"]
    assert sorted(plotted) == sorted(["55", "30", "60", "12", "85"])


def test_a_breakdown_is_a_ranked_bar_chart_largest_first_with_the_rest_as_others():
    counts = [{"nationalities": [f"Nationality {i:02d}"], "age_group": "adult", "n": 100 + i} for i in range(25)]
    grid = build(counts, rows=(NATIONALITY,), columns=(AGE,))
    table = TABLES_BY_KEY["referrals-by-nationality"]
    root = assert_accessible_image(chart_svg(table, grid, period="2025"), table.title, "2025")
    labels = {e.text: float(e.get("y")) for e in elements(root, "text") if (e.text or "").startswith(("Nat", "Oth"))}
    # 20 bars, then the other 5 added up (100 + ... + 104 = 510), with no bar to dwarf the rest.
    assert len(labels) == 21
    assert "Others (5 more, 510 in all)" in labels
    ranked = sorted(labels, key=labels.get)
    assert ranked[0] == "Nationality 24"
    assert ranked[19] == "Nationality 05"
    assert ranked[-1].startswith("Others")


def test_labels_are_escaped():
    svg = ranked_chart_svg("Towns <b>", [(HOSTILE, 10), ("Leeds", 5)])
    root = assert_accessible_image(svg, "Towns <b>")
    assert HOSTILE in [element.text for element in elements(root, "text")]
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_ranked_chart_for_prevention_draws_a_gap_for_a_hidden_count():
    svg = ranked_chart_svg("Referrals by police force area", [("Kent", 12), ("Essex", None), ("Devon", 30)])
    root = parse(svg)
    bars = [element for element in elements(root, "rect") if "rect" in (element.get("class") or "")]
    assert len(bars) == 2
    assert ranked_chart_svg("Nothing", []) == ""


def test_two_charts_on_one_page_have_their_own_ids():
    first = parse(ranked_chart_svg("One", [("A", 1)]))
    second = parse(ranked_chart_svg("Two", [("A", 1)]))
    assert first.get("id") != second.get("id")
    ids = [element.get("id") for element in [*first.iter(), *second.iter()] if element.get("id")]
    assert len(ids) == len(set(ids))


def test_a_hundred_row_table_is_drawn_in_under_a_tenth_of_a_second():
    counts = [{"nationalities": [f"Nationality {i:03d}"], "age_group": "adult", "n": i + 1} for i in range(100)]
    grid = build(counts, rows=(NATIONALITY,), columns=(AGE,))
    table = TABLES_BY_KEY["referrals-by-nationality"]
    chart_svg(table, grid)  # the first draw loads pygal's templates
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        chart_svg(table, grid)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.1, timings


@pytest.mark.django_db
def test_every_table_of_the_seeded_world_has_a_chart(world):
    filters = Filters(period=periods.calendar_year(2025))
    drawn = 0
    for table in TABLES:
        grid = table_grid(table, filters)
        svg = chart_svg(table, grid, period="2025")
        if grid.is_empty:
            continue
        assert svg, table.key
        assert_accessible_image(svg, table.title)
        drawn += 1
    assert drawn >= len(TABLES) - 3

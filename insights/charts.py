"""Charts of the statistics tables: server-rendered SVG drawn by pygal, in GOV.UK colours, with no JavaScript.

A table with `chart == "line"` is drawn as a trend by quarter (one line per top-level column block, or per column
when there is one level), any other as a ranked horizontal bar chart of its rows' totals. The table on the page is
the chart's accessible alternative: the SVG is one image (`role="img"`) named by its title and description.

Our Content-Security-Policy allows neither inline `<style>` nor `style=""` (style-src 'self'), and inline
`<script>` never. pygal styles its SVG with an inline stylesheet and always adds a config `<script>`, so the
rendered tree is rewritten before it is serialised: the script goes, and pygal's stylesheet is applied to the
elements as SVG presentation attributes (which CSP does not govern). Labels are escaped by the XML serialiser.

Suppressed cells ([c]) are plotted as gaps, never as their value."""

import functools
import itertools
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import cssselect2
import pygal
import tinycss2
from pygal.style import Style

from insights.grid import Cell, Column, Grid
from insights.tables import Table

BLUE, ORANGE, GREEN, RED, PURPLE, TURQUOISE, PINK, BROWN = (
    "#1d70b8",
    "#f47738",
    "#00703c",
    "#d4351c",
    "#4c2c92",
    "#28a197",
    "#f499be",
    "#b58840",
)
COLOURS = (BLUE, ORANGE, GREEN, RED, PURPLE, TURQUOISE, PINK, BROWN)
TEXT, SECONDARY_TEXT, BORDER = "#0b0c0c", "#505a5f", "#b1b4b6"
FONT = "Arial, Helvetica, sans-serif"

# Bars shown before the rest are added up as "Others".
RANKED = 20
WIDTH = 800

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle=SECONDARY_TEXT,
    guide_stroke_color=BORDER,
    major_guide_stroke_color=BORDER,
    colors=COLOURS,
    font_family=FONT,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=16,
    value_font_size=14,
    title_font_size=19,
    opacity="1",
    opacity_hover="1",
    stroke_opacity="1",
    stroke_opacity_hover="1",
    stroke_width="3",
    stroke_width_hover="3",
    transition="0s",
)

# What pygal's stylesheet may set, as SVG presentation attributes (the properties CSS would have applied).
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "opacity",
        "font-family",
        "font-size",
        "text-anchor",
        "visibility",
        "display",
    }
)
_ids = itertools.count(1)


def chart_svg(table: Table, grid: Grid, period: str = "") -> str:
    """The chart of a drawn table as an inline `<svg>`, or "" when there is nothing to plot."""
    if table.chart == "line":
        x_labels, series, unit = _trend(table, grid)
        if not x_labels or not series:
            return ""
        names = ", ".join(name for name, _ in series)
        description = f"Line chart of {unit} by quarter{_during(period)}: {names}. The table gives the figures."
        return _line(_name(table.title, period), description, x_labels, series, unit)
    items = _breakdown(grid)
    if not items:
        return ""
    return ranked_chart_svg(_name(table.title, period), items, what=grid.row_titles[-1] if grid.row_titles else "")


def ranked_chart_svg(title: str, items: Sequence[tuple[str, int | None]], *, what: str = "") -> str:
    """A horizontal bar chart of (label, count), largest first; past the first 20 the rest are one bar, "Others".
    A count of None (suppressed) is a gap. "" when there is nothing to plot."""
    ranked = sorted(
        ((label, value) for label, value in items), key=lambda item: (item[1] is None, -(item[1] or 0), item[0])
    )
    if not ranked:
        return ""
    if len(ranked) > RANKED:
        # The rest, added up, would dwarf the bars that matter: its label says how many and how much, with no bar.
        rest = ranked[RANKED:]
        total = sum(value for _, value in rest if value is not None)
        ranked = [*ranked[:RANKED], (f"Others ({len(rest)} more, {total:,} in all)", None)]
    labels = [label for label, _ in ranked]
    values = [value for _, value in ranked]
    known = [value for value in values if value is not None]
    chart = pygal.HorizontalBar(
        **_config(title),
        height=90 + 34 * len(ranked),
        show_legend=False,
        show_y_guides=False,
        show_x_guides=True,
        truncate_label=45,
        y_labels=_ticks(max(known, default=0)),
    )
    # pygal draws a horizontal chart's first bar at the bottom: reversed, the largest is on top.
    chart.x_labels = list(reversed(labels))
    chart.add(what or "Count", list(reversed(values)))
    top = ", ".join(f"{label} {value:,}" for label, value in ranked[:3] if value is not None)
    description = f"Bar chart{f' of {what.lower()}' if what else ''}, largest first" + (f": {top}" if top else "")
    description += ". The table gives the figures."
    return _render(chart, title, description)


def _name(title: str, period: str) -> str:
    return f"{title}, {period}" if period else title


def _during(period: str) -> str:
    return f", {period}" if period else ""


def _value(cell: Cell):
    """What a cell plots: nothing when suppressed or empty; a rate as a percentage."""
    if cell.suppressed or cell.value is None:
        return None
    if cell.kind == "rate":
        return round(cell.value * 100)
    return cell.value


def _trend(table: Table, grid: Grid) -> tuple[list[str], list[tuple[str, list]], str]:
    """The quarters (x) and the lines to draw: (name, values) each, and what the values are."""
    if table.special == "awaiting_cg":
        rows = [row for row in grid.rows if not row.is_total]
        x_labels = [row.labels[0] for row in rows]
    else:
        rows = [row for row in grid.rows if len(row.values) == 2]
        x_labels = [f"{row.values[0]} Q{row.values[1]}" for row in rows]
    indexes, unit = _trend_columns(table, grid.columns)
    series = [(name, [_value(row.cells[index]) for row in rows]) for name, index in indexes]
    return x_labels, series, unit


def _trend_columns(table: Table, columns: list[Column]) -> tuple[list[tuple[str, int]], str]:
    if table.special == "decision_times":
        wanted = [
            (index, column)
            for index, column in enumerate(columns)
            if column.kind == "days" and column.labels[-1] == "Median days from referral"
        ]
        return [(f"{column.labels[0]}: median days", index) for index, column in wanted], "median days from referral"
    unit = "decisions" if table.rate_of else "cases" if table.special else "referrals"
    if table.source.model.__name__ == "ReferralFact" and table.source.has_authority is False:
        unit = "reports"
    grand = [index for index, column in enumerate(columns) if column.title == "Total" and column.is_total]
    depth = max((len(column.labels) for column in columns), default=0)
    if depth >= 2:
        blocks = [
            (column.labels[0], index)
            for index, column in enumerate(columns)
            if column.is_total and column.kind == "count" and len(column.labels) >= 2 and column.labels[1] == "Total"
        ]
    else:
        blocks = [
            (column.title, index)
            for index, column in enumerate(columns)
            if column.kind == "count" and not column.is_total
        ]
    blocks = blocks[: len(COLOURS) - 1]
    if len(blocks) != 1 and grand:
        blocks.append(("Total", grand[-1]))
    if not blocks and grand:
        blocks = [("Total", grand[-1])]
    return blocks, unit


def _breakdown(grid: Grid) -> list[tuple[str, int | None]]:
    """Each leaf row's total, labelled with its full path ("Police: Sexual") where rows nest."""
    total = next((index for index, column in reversed(list(enumerate(grid.columns))) if column.title == "Total"), None)
    if total is None:
        return []
    path: list[str] = []
    items = []
    for row in grid.rows:
        if row.block == ("total",):
            continue
        path = [*path[: row.level], row.labels[row.level]]
        if not row.is_total:
            items.append((": ".join(path), _value(row.cells[total])))
    return items


def _ticks(top: float) -> list[float]:
    """Whole-number axis labels from 0, about 5 of them, at 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _config(title: str) -> dict:
    return {
        "style": STYLE,
        "width": WIDTH,
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "explicit_size": False,
        "value_formatter": lambda value: f"{value:,.0f}" if value is not None else "",
        "print_values": False,
        "margin": 16,
        "spacing": 12,
        "no_data_text": "No figures",
    }


def _line(title: str, description: str, x_labels: list[str], series: list[tuple[str, list]], unit: str) -> str:
    known = [value for _, values in series for value in values if value is not None]
    chart = pygal.Line(
        **_config(title),
        height=440,
        # Room for the last x label (a quarter's end date) and the legend's last row.
        margin_right=72,
        margin_bottom=28,
        allow_interruptions=True,
        show_dots=True,
        dots_size=4,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 2),
        truncate_legend=-1,
        x_label_rotation=-45 if len(x_labels) > 8 else 0,
        show_minor_x_labels=len(x_labels) <= 16,
        x_labels_major_every=4 if len(x_labels) > 16 else None,
        y_title=unit[:1].upper() + unit[1:],
        y_labels=_ticks(max(known, default=0)),
    )
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, values)
    return _render(chart, title, description)


def _render(chart, title: str, description: str) -> str:
    number = next(_ids)
    chart.xml_filters = [lambda root: _for_the_page(root, f"chart-{number}", title, description)]
    return chart.render(is_unicode=True)


def _for_the_page(root: ET.Element, chart_id: str, title: str, description: str) -> ET.Element:
    """pygal's tree made fit for an inline SVG under our CSP, and named for assistive technology."""
    defs = _child(root, "defs")
    stylesheet = ""
    if defs is not None:
        for child in list(defs):
            if _local(child.tag) == "style":
                stylesheet += child.text or ""
            if _local(child.tag) in ("style", "script"):
                defs.remove(child)
    _apply_stylesheet(root, stylesheet)
    _remove(root, lambda element: "tooltip-overlay" in element.get("class", ""))
    for element in root.iter():
        # pygal's own ids repeat in every chart (two charts on a page would clash); nothing refers to them.
        element.attrib.pop("id", None)
        for declaration in element.attrib.pop("style", "").split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() in PRESENTATION and value.strip():
                element.set(name.strip(), value.strip())
    for comment in [child for child in root if child.tag is ET.Comment]:
        root.remove(comment)
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("font-family", FONT)
    root.set("class", "app-chart__svg")
    heading = _child(root, "title")
    if heading is None:
        heading = ET.SubElement(root, "title")
    heading.text = title
    heading.set("id", f"{chart_id}-title")
    desc = ET.Element("desc", id=f"{chart_id}-desc")
    desc.text = description
    root.remove(heading)
    root.insert(0, desc)
    root.insert(0, heading)
    return root


def _child(root: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in root if _local(child.tag) == name), None)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _remove(root: ET.Element, condition) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if condition(child):
                parent.remove(child)


def _apply_stylesheet(root: ET.Element, stylesheet: str) -> None:
    """Sets each element's presentation attributes from the rules that match it (specificity, then order)."""
    matcher = _matcher(stylesheet)
    for element in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        matches = matcher.match(element)
        if not matches:
            continue
        chosen: dict[str, tuple] = {}
        for specificity, order, _pseudo, declarations in sorted(matches, key=lambda match: (match[0], match[1])):
            for name, value, important in declarations:
                rank = (important, specificity, order)
                if name not in chosen or rank >= chosen[name][0]:
                    chosen[name] = (rank, value)
        for name, (_rank, value) in chosen.items():
            element.etree_element.set(name, value)


@functools.lru_cache(maxsize=32)
def _matcher(stylesheet: str) -> cssselect2.Matcher:
    """pygal's stylesheet compiled once (it differs only by the number of series)."""
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        prelude = tinycss2.serialize(rule.prelude).strip()
        if not prelude or ":hover" in prelude or ".active" in prelude:
            continue
        declarations = [
            (item.lower_name, tinycss2.serialize(item.value).strip(), item.important)
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if item.type == "declaration" and item.lower_name in PRESENTATION
        ]
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        for selector in selectors:
            matcher.add_selector(selector, declarations)
    return matcher

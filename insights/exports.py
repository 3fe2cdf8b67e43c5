"""A statistics table as a file (CSV, XLSX or ODS, through tablib): the published layout, the tidy layout (one row
per figure) and notes saying what the figures are (title, period, filters, definition, suppression, freshness).

Spreadsheets (XLSX, ODS) hold three sheets: "Notes", "Table" (the published layout, with one header row of full
column names, as the GSS guidance on accessible spreadsheets asks) and "Tidy data". A CSV holds one layout: the
published one after the notes' lines and a blank line, or with `layout="tidy"` the tidy one alone (a header row
and data, for reading straight into analysis software).

Numbers stay numbers. A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is written with a leading single quote, so an organisation or town named "=HYPERLINK(...)" is
read as text. Hidden small counts are written as [c], in the tidy sheet exactly where the table hides them."""

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from xml.sax.saxutils import escape

import tablib
from django.utils import timezone

from accounts.models import Nation, Organisation
from insights.figures import Filters
from insights.grid import SUPPRESSED, Cell, Grid
from insights.models import Refresh
from insights.periods import Period
from insights.tables import Table

FORMATS = ("csv", "xlsx", "ods")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# What a spreadsheet may take for the start of a formula (OWASP's "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIVE_DATA_NOTE = (
    "Figures are extracted from live data each time, so past figures can change slightly as records are corrected."
)


def neutralise(value):
    """A text cell a spreadsheet could run as a formula, prefixed with a single quote; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def period_slug(period: Period) -> str:
    """The period as it appears in a file name: 2025, 2025-q1, 2025-26 or 2025-01-01-to-2025-03-31."""
    if period.kind == "year":
        return str(period.start.year)
    if period.kind == "quarter":
        return f"{period.start.year}-q{(period.start.month - 1) // 3 + 1}"
    if period.kind == "financial_year":
        return f"{period.start.year}-{str(period.end.year)[-2:]}"
    return f"{period.start.isoformat()}-to-{period.end.isoformat()}"


def file_name(what: str, period: Period, file_format: str, *, suffix: str = "") -> str:
    return f"nrm-statistics-{what}-{period_slug(period)}{suffix}.{file_format}"


def filter_lines(filters: Filters) -> list[tuple[str, str]]:
    """The filters in words (never a person): the period, the nation and the competent authority."""
    nation = dict(Nation.choices).get(filters.nation, "") if filters.nation else "All of the UK"
    authority = "All competent authorities"
    if filters.authority_id is not None:
        authority = (
            Organisation.objects.filter(pk=filters.authority_id).values_list("name", flat=True).first() or "Unknown"
        )
    period = filters.period
    return [
        ("Period", f"{period.label} ({period.start:%-d %B %Y} to {period.end:%-d %B %Y})"),
        ("Nation", nation),
        ("Competent authority", authority),
    ]


def suppression_line(threshold: int | None) -> str:
    if threshold is None or threshold <= 1:
        return "No small-number suppression was applied to this file."
    return (
        f"Counts from 1 to {threshold - 1} are shown as {SUPPRESSED}, with the next smallest count in the same block "
        "where one could otherwise be worked out from the total. Totals are the true totals."
    )


def refreshed_line(refresh: Refresh | None) -> str:
    if refresh is None:
        return "The figures have not been refreshed yet."
    return f"Figures refreshed at {timezone.localtime(refresh.finished_at):%-d %B %Y %H:%M} (UK time)."


def table_notes(
    table: Table, filters: Filters, *, threshold: int | None, refresh: Refresh | None
) -> list[tuple[str, str]]:
    notes = [("Title", table.title), ("About", table.summary), *filter_lines(filters)]
    notes.append(("Definition", table.definition))
    notes += [("Note", note) for note in table.notes]
    notes += [
        ("Suppression", suppression_line(threshold)),
        ("Refreshed", refreshed_line(refresh)),
        ("Produced", f"{timezone.localtime():%-d %B %Y %H:%M} (UK time), from the NRM case management service."),
        ("Revisions", LIVE_DATA_NOTE),
        ("Layout", "Table: the published layout. Tidy data: one row per figure. Rates are whole-number percentages."),
    ]
    return notes


def published_rows(grid: Grid) -> tuple[list[str], list[list]]:
    """One header row (row titles, then each column's full name) and the rows as published."""
    headers = list(grid.row_titles) + [
        f"{column.title} (%)" if column.kind == "rate" else column.title for column in grid.columns
    ]
    rows = [list(row.labels) + [cell.export_value for cell in row.cells] for row in grid.rows]
    return headers, rows


def tidy_rows(grid: Grid, threshold: int | None) -> tuple[list[str], list[list]]:
    """The tidy layout; when suppressing, each figure hidden exactly where its cell in the table is hidden."""
    if grid.tidy_cells and len(grid.tidy_cells) == len(grid.tidy):
        return list(grid.tidy_headers), grid.tidy_rows(export=True)
    # A grid drawn without its tidy rows' cells: each figure is matched to its cell by their labels.
    rows = [list(row) for row in grid.tidy]
    if threshold is None or threshold <= 1:
        return list(grid.tidy_headers), rows
    cells = _leaf_cells(grid)
    depth = len(grid.row_titles)
    for row in rows:
        value = row[-1]
        key = (tuple(str(label) for label in row[:depth]), tuple(str(label) for label in row[depth:-1]))
        cell = cells.get(key)
        hidden = cell.suppressed if cell is not None else isinstance(value, int | float) and 0 < value < threshold
        if hidden:
            row[-1] = SUPPRESSED
    return list(grid.tidy_headers), rows


def _leaf_cells(grid: Grid) -> dict[tuple, Cell]:
    """Each cell by its row's full labels and its column's labels, as the tidy rows name them."""
    cells: dict[tuple, Cell] = {}
    path: list[str] = []
    for row in grid.rows:
        path = [*path[: row.level], row.labels[row.level]]
        full = tuple(path)
        if len(row.values) == 1 and isinstance(row.values[0], date):
            full = (row.values[0].isoformat(),)  # cases awaiting a decision: the tidy rows name the day
        for column, cell in zip(grid.columns, row.cells, strict=True):
            cells.setdefault((full, tuple(column.labels)), cell)
    return cells


def dataset(title: str, headers: Sequence[str] | None, rows: Iterable[Sequence], width: int | None = None):
    dataset = tablib.Dataset(title=title)
    if headers is not None:
        dataset.headers = [neutralise(header) for header in headers]
    for row in rows:
        row = [neutralise(value) for value in row]
        if width is not None:
            row += [""] * (width - len(row))
        dataset.append(row)
    return dataset


def notes_dataset(notes: Sequence[tuple[str, str]]) -> tablib.Dataset:
    return dataset("Notes", ["Item", "Detail"], notes)


def spreadsheet(datasets: Sequence[tablib.Dataset], file_format: str) -> bytes:
    """An XLSX or ODS workbook of the datasets, one sheet each, written by tablib (openpyxl, odfpy): a table's
    few hundred cells take milliseconds. (The record-level extract, tens of thousands of rows, is written by
    `plain_xlsx` and `plain_ods` below.)"""
    sheets = []
    for original in datasets:
        sheet = tablib.Dataset(*original, headers=original.headers, title=_sheet_title(original.title or "Sheet"))
        sheets.append(sheet)
    return tablib.Databook(sheets).export(file_format)


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    # With a byte order mark, Excel opens UTF-8 (a town such as "Ynys Môn") as UTF-8.
    return ("\ufeff" + dataset.export("csv")).encode("utf-8")


def table_file(
    table: Table,
    grid: Grid,
    filters: Filters,
    file_format: str,
    *,
    layout: str = "published",
    threshold: int | None = None,
    refresh: Refresh | None = None,
) -> tuple[bytes, str, str]:
    """The file of a drawn table: (content, content type, file name). `grid` is suppressed already when
    `threshold` is given (the caller applies the policy); `layout` chooses a CSV's layout."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown file format {file_format!r}")
    if refresh is None:
        refresh = Refresh.objects.first()
    notes = table_notes(table, filters, threshold=threshold, refresh=refresh)
    headers, rows = published_rows(grid)
    tidy_headers, tidy = tidy_rows(grid, threshold)
    if file_format == "csv":
        if layout == "tidy":
            content = csv_bytes(dataset("Tidy data", tidy_headers, tidy))
            return content, CONTENT_TYPES["csv"], file_name(table.key, filters.period, "csv", suffix="-tidy")
        width = max(len(headers), 2)
        lines = [*notes, ("",), headers, *rows]
        return (
            csv_bytes(dataset(table.title, None, lines, width=width)),
            CONTENT_TYPES["csv"],
            file_name(table.key, filters.period, "csv"),
        )
    content = spreadsheet(
        [notes_dataset(notes), dataset("Table", headers, rows), dataset("Tidy data", tidy_headers, tidy)],
        file_format,
    )
    return content, CONTENT_TYPES[file_format], file_name(table.key, filters.period, file_format)


# The research extract's workbooks ------------------------------------------------------------------------------------
# tablib's own XLSX and ODS writers (openpyxl, odfpy) build a tree of objects per cell: a year's research extract
# (23,000 rows of 16 columns) took 10 s as XLSX and 50 s as ODS on the benchmark machine, and the streaming writers
# on PyPI measured 2 s (xlsxwriter) and 8 s (odswriter, a DOM). These write the same plain sheets (text, numbers, a
# bold header row) as XML straight into the zip, in a fraction of a second; the tests read every file back with
# openpyxl, odfpy and tablib. The statistics tables, a few hundred cells, go through tablib (`spreadsheet`).

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
Sheet = tuple[str, list, list[list]]


def _text(value) -> str:
    return escape(_INVALID_XML.sub("", str(value)), {'"': "&quot;"})


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def plain_xlsx(sheets: Sequence[Sheet]) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: dict[str, int] = {}
    strings_cells: dict[str, str] = {}  # a text's cell, made once

    def cell(value, bold: bool = False) -> str:
        style = ' s="1"' if bold else ""
        if value is None or value == "":
            return f"<c{style}/>"
        if _is_number(value):
            return f"<c{style}><v>{value}</v></c>"
        index = strings.setdefault(str(value), len(strings))
        shown = f'<c t="s"{style}><v>{index}</v></c>'
        if not bold and isinstance(value, str):
            strings_cells[value] = shown
        return shown

    parts = {}
    for number, (_title, headers, rows) in enumerate(sheets, start=1):
        width = max([len(headers), *(len(row) for row in rows[:200])], default=1)
        body = [
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}">',
            '<sheetViews><sheetView workbookViewId="0">',
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' if headers else "",
            f'</sheetView></sheetViews><cols><col min="1" max="{width}" width="24" customWidth="1"/></cols>',
            "<sheetData>",
        ]
        if headers:
            body.append("<row>" + "".join(cell(value, bold=True) for value in headers) + "</row>")
        cached = strings_cells.get
        body += ["<row>" + "".join([cached(value) or cell(value) for value in row]) + "</row>" for row in rows]
        body.append("</sheetData></worksheet>")
        parts[f"xl/worksheets/sheet{number}.xml"] = "".join(body)
    count = len(sheets)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{main}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{_text(value)}</t></si>' for value in strings)
        + "</sst>"
    )
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{main}">'
        '<fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/>'
        '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
        'patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf '
        'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf fontId="0" fillId="0" '
        'borderId="0" xfId="0"/><xf fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{main}" '
        f'xmlns:r="{relationships}"><sheets>'
        + "".join(
            f'<sheet name="{_text(_sheet_title(title))}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (title, _, _) in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{package}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{relationships}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{relationships}/sharedStrings" Target="sharedStrings.xml"/>'
        + f'<Relationship Id="rId{count + 2}" Type="{relationships}/styles" Target="styles.xml"/>'
        + "</Relationships>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{package}">'
        f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}.worksheet+xml"/>'
            for n in range(1, count + 1)
        )
        + f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sheet_type}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{sheet_type}.styles+xml"/>'
        "</Types>"
    )
    order = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    return _zip([(name, parts[name]) for name in order] + [(n, p) for n, p in parts.items() if n not in order])


def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet's name: at most 31 characters, none of \\ / ? * [ ] :."""
    return re.sub(r"[\\/?*\[\]:]", "-", title)[:31] or "Sheet"


END_CELL = "</table:table-cell>"


def plain_ods(sheets: Sequence[Sheet]) -> bytes:
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"'
    )
    texts: dict[str, str] = {}

    def cell(value, bold: bool = False) -> str:
        style = ' table:style-name="bold"' if bold else ""
        if value is None or value == "":
            return f"<table:table-cell{style}/>"
        if _is_number(value):
            return (
                f'<table:table-cell{style} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if bold:
            return f'<table:table-cell{style} office:value-type="string"><text:p>{_text(value)}</text:p>{END_CELL}'
        shown = texts.get(value)
        if shown is None:
            shown = texts[value] = (
                f'<table:table-cell office:value-type="string"><text:p>{_text(value)}</text:p></table:table-cell>'
            )
        return shown

    body = [
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces}><office:automatic-styles>'
        '<style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/>'
        '</style:style><style:style style:name="wide" style:family="table-column"><style:table-column-properties '
        'style:column-width="5cm"/></style:style></office:automatic-styles><office:body><office:spreadsheet>'
    ]
    for title, headers, rows in sheets:
        width = max([len(headers), *(len(row) for row in rows[:200])], default=1)
        body.append(
            f'<table:table table:name="{_text(title)}"><table:table-column table:style-name="wide" '
            f'table:number-columns-repeated="{width}"/>'
        )
        if headers:
            body.append("<table:table-row>" + "".join(cell(value, True) for value in headers) + "</table:table-row>")
        cached = texts.get
        body += [
            "<table:table-row>" + "".join([cached(value) or cell(value) for value in row]) + "</table:table-row>"
            for row in rows
        ]
        body.append("</table:table>")
    body.append("</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        f'manifest:media-type="{CONTENT_TYPES["ods"]}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _zip([("content.xml", "".join(body)), ("META-INF/manifest.xml", manifest)], mimetype=CONTENT_TYPES["ods"])


def _zip(parts: Sequence[tuple[str, str]], *, mimetype: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        if mimetype:
            # ODF: the "mimetype" entry first and stored uncompressed, so a reader can tell the type from its bytes.
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, content in parts:
            archive.writestr(name, content.encode("utf-8"))
    return buffer.getvalue()

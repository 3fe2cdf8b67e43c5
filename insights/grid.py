"""A table of figures laid out as published: nested row blocks with each block's total first (a year row, then
its quarters; first responder > exploitation type > age > gender), nested column blocks each followed by its
total, then a grand total; only the categories that occur. And the same counts in a tidy layout (one row per
cell) for analysis.

Small-number suppression works on the laid-out grid: a count from 1 up to one below the threshold is shown as
[c], subtotals included (only the table's overall total is always shown); where one cell of a block is hidden,
the next smallest in the same block is hidden too, so that it cannot be worked out from the block's total.
Totals shown are always the true totals, the same on screen and in exports."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SUPPRESSED = "[c]"


@dataclass(frozen=True)
class Dimension:
    """A category a table is broken down by: its key in the query, its heading, how a value is labelled and
    where it sorts."""

    key: str
    title: str
    label: Callable[[object], str] = str
    order: Callable[[object], object] | None = None


@dataclass
class Cell:
    value: float | int | None
    kind: str = "count"  # count, rate (0..1) or days
    suppressed: bool = False
    is_total: bool = False
    # The count the value rests on (rates and days), for suppressing them with it.
    base: int | None = None
    # A rate's own counts (part of base), so it rounds half up as the bulletins do, without float error.
    part: int | None = None
    # The count cells a rate's part comes from: a rate is hidden with any of them (rate x total gives it away).
    part_cells: list["Cell"] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        if self.part is None or not self.base:
            if self.value is None:
                return None
            return int(Decimal(repr(round(self.value * 100, 9))).quantize(Decimal(1), ROUND_HALF_UP))
        return (200 * self.part + self.base) // (2 * self.base)

    @property
    def shown(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return ""
        if self.kind == "rate":
            return f"{self.percent}%"
        if self.kind == "days":
            return f"{self.value:,.0f}"
        return f"{self.value:,}"

    @property
    def export_value(self):
        """What a download holds: numbers as numbers, a rate as a whole-number percentage, [c] when hidden."""
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return ""
        if self.kind == "rate":
            return self.percent
        if self.kind == "days":
            return round(self.value, 1)
        return self.value


@dataclass
class Column:
    labels: tuple[str, ...]  # one per column dimension ("" under a total)
    title: str
    kind: str = "count"
    is_total: bool = False
    block: tuple = ()
    # The column's place in the column tree: a leaf's key is its values, a block total's its block's values,
    # the grand total's (). The column summing this one has key[:-1]. None: not part of a sum (rates, days).
    key: tuple | None = None


@dataclass
class Row:
    labels: tuple[str, ...]  # one per row dimension, blank beneath a block's total
    level: int
    cells: list[Cell]
    is_total: bool = False
    block: tuple = ()
    values: tuple = ()  # the dimension values (codes), for links and charts


@dataclass
class Grid:
    row_titles: tuple[str, ...]
    columns: list[Column]
    rows: list[Row]
    tidy_headers: list[str] = field(default_factory=list)
    tidy: list[list] = field(default_factory=list)
    # The grid cell behind each tidy row's figure (the same object), so suppression applies to both layouts.
    tidy_cells: list[Cell] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(not row.is_total for row in self.rows)

    def tidy_rows(self, *, export: bool = False) -> list[list]:
        """The tidy layout with the grid's suppression applied: each row's labels, then its figure as shown on
        screen (or as a file holds it)."""
        rows = []
        for labels, cell in zip(self.tidy, self.tidy_cells, strict=True):
            rows.append([*labels[:-1], cell.export_value if export else cell.shown])
        return rows

    @property
    def header_levels(self) -> list[list[tuple[str, int]]]:
        """The column headings as spanning rows: [(label, span), ...] per level above the last."""
        depth = max((len(column.labels) for column in self.columns), default=0)
        levels = []
        for level in range(depth - 1):
            spans: list[tuple[str, int]] = []
            for column in self.columns:
                label = column.labels[level] if level < len(column.labels) else ""
                if spans and spans[-1][0] == label and label and label != "Total":
                    spans[-1] = (label, spans[-1][1] + 1)
                else:
                    spans.append((label, 1))
            levels.append(spans)
        return levels

    def suppress(self, threshold: int) -> "Grid":
        """Hides small counts in place (see the module's docstring) and returns the grid."""
        if threshold <= 1:
            return self
        count_columns = [index for index, column in enumerate(self.columns) if column.kind == "count"]
        has_overall = self.rows and count_columns and self.rows[-1].block == ("total",)
        overall = self.rows[-1].cells[count_columns[-1]] if has_overall else None
        for row in self.rows:
            for cell in row.cells:
                # Subtotals too (a year row of 1 is a person); only the table's overall total is always shown.
                if cell.kind == "count" and cell is not overall and cell.value and 0 < cell.value < threshold:
                    cell.suppressed = True
        lines = self._lines()
        changed = True
        while changed:
            changed = False
            for cells, total in lines:
                if total.suppressed or sum(cell.suppressed for cell in cells) != 1:
                    continue
                # One hidden cell in a line whose total is shown could be worked out: hide another (the
                # smallest), or when every other cell is zero, the line's total (a new hidden cell in the lines
                # it crosses, which the loop then protects in turn).
                shown = [cell for cell in cells if not cell.suppressed and cell.value]
                if shown:
                    min(shown, key=lambda cell: cell.value).suppressed = True
                elif total is not overall:
                    total.suppressed = True
                else:
                    continue
                changed = True
        for row in self.rows:
            for cell in row.cells:
                if cell.kind == "count":
                    continue
                if (cell.base is not None and 0 < cell.base < threshold) or any(
                    part.suppressed for part in cell.part_cells
                ):
                    cell.suppressed = True
        return self

    def _lines(self) -> list[tuple[list[Cell], Cell]]:
        """Every set of cells that adds up to a shown total: along each row, the columns of a column block and
        their block's total column; down each column, the rows of a row block and their block's total row."""
        columns = {
            column.key: index
            for index, column in enumerate(self.columns)
            if column.kind == "count" and column.key is not None
        }
        column_children: dict[int, list[int]] = defaultdict(list)
        for key, index in columns.items():
            if key and key[:-1] in columns:
                column_children[columns[key[:-1]]].append(index)
        lines = [
            ([row.cells[i] for i in children], row.cells[parent])
            for row in self.rows
            for parent, children in column_children.items()
        ]
        rows = {row.values: row for row in self.rows if row.values or row.block == ("total",)}
        row_children: dict[tuple, list[Row]] = defaultdict(list)
        for row in self.rows:
            if row.values and row.values[:-1] in rows:
                row_children[row.values[:-1]].append(row)
        for parent_values, children in row_children.items():
            parent = rows[parent_values]
            lines += [([row.cells[i] for row in children], parent.cells[i]) for i in columns.values()]
        return lines


def _ordered(values, dimension: Dimension) -> list:
    if dimension.order is not None:
        return sorted(values, key=dimension.order)
    return sorted(values, key=lambda value: dimension.label(value))


def _freeze(value):
    return tuple(value) if isinstance(value, list) else value


def build(
    counts: Sequence[dict],
    *,
    rows: Sequence[Dimension],
    columns: Sequence[Dimension] = (),
    rate_of: str | None = None,
    rate_title: str = "Positive rate",
    measure: str = "n",
) -> Grid:
    """Lays out aggregated counts ({dimension key: value, ..., "n": count}) as the published table.

    `rate_of`: the value of the last column dimension whose share of its block's total is shown after the block
    (the positive rate)."""
    totals: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    leaves: list[tuple[tuple, tuple, int]] = []
    for item in counts:
        row_key = tuple(_freeze(item[d.key]) for d in rows)
        col_key = tuple(_freeze(item[d.key]) for d in columns)
        n = item[measure] or 0
        leaves.append((row_key, col_key, n))
        for r in range(len(rows) + 1):
            for c in range(len(columns) + 1):
                totals[row_key[:r]][col_key[:c]] += n

    column_specs = _column_layout(totals, columns, rate_of, rate_title)
    grid_rows: list[Row] = []
    _row_layout(grid_rows, totals, rows, (), column_specs)
    grand = [_cell(totals[()], spec) for spec in column_specs]
    for cell in grand:
        cell.is_total = True
    grid_rows.append(
        Row(labels=("Total",) + ("",) * (len(rows) - 1), level=0, cells=grand, is_total=True, block=("total",))
    )
    for row in grid_rows:
        for spec, cell in zip(column_specs, row.cells, strict=True):
            if spec[2] != "count":
                cell.part_cells = [
                    row.cells[index]
                    for index, other in enumerate(column_specs)
                    if other[2] == "count" and _is_part(other[1], spec)
                ]
    grid = Grid(
        row_titles=tuple(d.title for d in rows),
        columns=[spec[0] for spec in column_specs],
        rows=grid_rows,
    )
    grid.tidy_headers = [d.title for d in (*rows, *columns)] + ["Count"]
    dims = (*rows, *columns)
    ordered = sorted(
        leaves,
        key=lambda leaf: [
            _sort_key(dimension, value) for dimension, value in zip(dims, (*leaf[0], *leaf[1]), strict=True)
        ],
    )
    leaf_rows = {row.values: row for row in grid_rows if not row.is_total}
    leaf_columns = {spec[1]: index for index, spec in enumerate(column_specs) if spec[2] == "count"}
    for r, c, n in ordered:
        if not n:
            continue
        grid.tidy.append([d.label(v) for d, v in zip(dims, (*r, *c), strict=True)] + [n])
        grid.tidy_cells.append(leaf_rows[r].cells[leaf_columns[c]])
    return grid


def _sort_key(dimension: Dimension, value):
    return dimension.order(value) if dimension.order is not None else dimension.label(value)


# A column spec: (Column, the column-key prefix it sums, how: "count", or for a rate ("block" | "overall", the
# value counted, the number of column dimensions))
def _column_layout(totals, columns: Sequence[Dimension], rate_of: str | None, rate_title: str) -> list[tuple]:
    specs: list[tuple] = []
    if not columns:
        # The only figure of each row: its leaf rows' cells are counts like any other (suppressible).
        return [(Column(labels=("Total",), title="Total", key=()), (), "count")]
    _columns_under(specs, totals, columns, (), rate_of, rate_title)
    specs.append(
        (Column(labels=("Total",) + ("",) * (len(columns) - 1), title="Total", is_total=True, key=()), (), "count")
    )
    if rate_of is not None:
        labels = (rate_title,) + ("",) * (len(columns) - 1)
        how = ("block", rate_of, 1) if len(columns) == 1 else ("overall", rate_of, len(columns))
        specs.append((Column(labels=labels, title=rate_title, kind="rate", is_total=True), (), how))
    return specs


def _columns_under(specs, totals, columns, prefix: tuple, rate_of, rate_title) -> None:
    level = len(prefix)
    dimension = columns[level]
    values = {key[level] for key in totals[()] if len(key) > level and key[:level] == prefix}
    for value in _ordered(values, dimension):
        key = (*prefix, value)
        labels = tuple(columns[i].label(key[i]) for i in range(level + 1))
        if level + 1 == len(columns):
            padded = labels
            specs.append((Column(labels=padded, title=" ".join(labels), block=prefix, key=key), key, "count"))
        else:
            _columns_under(specs, totals, columns, key, rate_of, rate_title)
            padded = labels + ("Total",) + ("",) * (len(columns) - level - 2)
            specs.append(
                (
                    Column(labels=padded, title=f"{' '.join(labels)} Total", is_total=True, block=prefix, key=key),
                    key,
                    "count",
                )
            )
            if rate_of is not None and level + 2 == len(columns):
                rate_labels = (*labels, rate_title)
                specs.append(
                    (
                        Column(
                            labels=rate_labels,
                            title=f"{' '.join(labels)} {rate_title}",
                            kind="rate",
                            is_total=True,
                            block=prefix,
                        ),
                        key,
                        ("block", rate_of, len(columns)),
                    )
                )


def _is_part(key: tuple, rate_spec: tuple) -> bool:
    """Whether the count column with this key is part of the rate's numerator."""
    _column, block, (how, value, depth) = rate_spec
    if how == "overall":
        return len(key) == depth and key[-1] == value
    return key == (*block, value)


def _cell(row_totals: dict[tuple, int], spec: tuple) -> Cell:
    column, key, how = spec
    if how == "count":
        return Cell(value=row_totals.get(key, 0), is_total=column.is_total)
    # A rate: the share of the block's total (the whole row for a single column dimension) with that value, or
    # over every block (the overall rate after the grand total).
    kind, value, depth = how
    whole = row_totals.get(key, 0)
    if kind == "overall":
        part = sum(n for k, n in row_totals.items() if len(k) == depth and k[-1] == value)
    else:
        part = row_totals.get((*key, value), 0)
    return Cell(value=(part / whole) if whole else None, kind="rate", base=whole, part=part, is_total=True)


def _row_layout(out: list[Row], totals, rows: Sequence[Dimension], prefix: tuple, column_specs) -> None:
    level = len(prefix)
    dimension = rows[level]
    values = {key[level] for key in totals if len(key) == level + 1 and key[:level] == prefix}
    for value in _ordered(values, dimension):
        key = (*prefix, value)
        labels = tuple(rows[i].label(key[i]) for i in range(level + 1)) + ("",) * (len(rows) - level - 1)
        shown = ("",) * level + labels[level:]
        is_leaf = level + 1 == len(rows)
        cells = [_cell(totals[key], spec) for spec in column_specs]
        if not is_leaf:
            for cell in cells:
                cell.is_total = True
        out.append(Row(labels=shown, level=level, cells=cells, is_total=not is_leaf, block=prefix, values=key))
        if not is_leaf:
            _row_layout(out, totals, rows, key, column_specs)

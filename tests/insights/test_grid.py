"""The published layout and small-number suppression of `insights.grid`, on counts made by hand."""

import random
from itertools import product

import pytest

from insights.grid import SUPPRESSED, Cell, Dimension, build

ROW = Dimension("row", "Row")
GROUP = Dimension("group", "Group")
COL = Dimension("col", "Column")
OUTCOME = Dimension("outcome", "Outcome", order=lambda value: ["negative", "positive"].index(value))


def counts(table: dict) -> list[dict]:
    """{(row, col): n} as the aggregated rows `build` takes."""
    return [{"row": r, "col": c, "n": n} for (r, c), n in table.items()]


def values(grid) -> list[list]:
    return [[cell.value for cell in row.cells] for row in grid.rows]


def shown(grid) -> list[list[str]]:
    return [[cell.shown for cell in row.cells] for row in grid.rows]


# Layout -----------------------------------------------------------------------------------------------------------


def test_rows_and_columns_hold_only_the_categories_that_occur_with_the_totals_last():
    grid = build(counts({("a", "x"): 3, ("b", "y"): 4, ("b", "x"): 0}), rows=(ROW,), columns=(COL,))
    assert [row.labels for row in grid.rows] == [("a",), ("b",), ("Total",)]
    assert [column.labels for column in grid.columns] == [("x",), ("y",), ("Total",)]
    assert values(grid) == [[3, 0, 3], [0, 4, 4], [3, 4, 7]]
    assert grid.rows[-1].is_total
    assert grid.columns[-1].is_total


def test_nested_rows_show_each_blocks_total_first_with_the_lower_levels_blank_beneath():
    items = [
        {"group": "g1", "row": "a", "n": 2},
        {"group": "g1", "row": "b", "n": 5},
        {"group": "g2", "row": "a", "n": 1},
    ]
    grid = build(items, rows=(GROUP, ROW))
    assert [(row.labels, row.level, row.is_total) for row in grid.rows] == [
        (("g1", ""), 0, True),
        (("", "a"), 1, False),
        (("", "b"), 1, False),
        (("g2", ""), 0, True),
        (("", "a"), 1, False),
        (("Total", ""), 0, True),
    ]
    assert values(grid) == [[7], [2], [5], [1], [1], [8]]


def test_nested_columns_close_each_block_with_its_total_and_the_rate_of_the_block():
    items = [
        {"row": "2025", "col": "adult", "outcome": "positive", "n": 3},
        {"row": "2025", "col": "adult", "outcome": "negative", "n": 1},
        {"row": "2025", "col": "child", "outcome": "positive", "n": 2},
    ]
    grid = build(items, rows=(ROW,), columns=(COL, OUTCOME), rate_of="positive")
    assert [column.labels for column in grid.columns] == [
        ("adult", "negative"),
        ("adult", "positive"),
        ("adult", "Total"),
        ("adult", "Positive rate"),
        ("child", "positive"),
        ("child", "Total"),
        ("child", "Positive rate"),
        ("Total", ""),
        ("Positive rate", ""),  # the overall rate, the figure the bulletins quote
    ]
    assert values(grid)[0] == [1, 3, 4, 0.75, 2, 2, 1.0, 6, 5 / 6]
    assert shown(grid)[0] == ["1", "3", "4", "75%", "2", "2", "100%", "6", "83%"]
    assert grid.header_levels == [[("adult", 4), ("child", 3), ("Total", 1), ("Positive rate", 1)]]


def test_a_single_column_dimension_has_a_rate_after_the_total():
    grid = build(
        [{"row": "rg", "outcome": "positive", "n": 62}, {"row": "rg", "outcome": "negative", "n": 38}],
        rows=(ROW,),
        columns=(OUTCOME,),
        rate_of="positive",
    )
    assert [column.title for column in grid.columns] == ["negative", "positive", "Total", "Positive rate"]
    assert shown(grid)[0] == ["38", "62", "100", "62%"]


def test_the_tidy_layout_has_one_row_per_non_zero_cell_in_order():
    grid = build(counts({("b", "x"): 2, ("a", "y"): 1, ("a", "x"): 0}), rows=(ROW,), columns=(COL,))
    assert grid.tidy_headers == ["Row", "Column", "Count"]
    assert grid.tidy == [["a", "y", 1], ["b", "x", 2]]


def test_an_empty_table_is_empty_and_its_total_is_zero():
    grid = build([], rows=(ROW,), columns=(COL,))
    assert grid.is_empty
    assert values(grid) == [[0]]


def test_cells_show_counts_with_thousands_separators_rates_as_whole_percentages_and_days_rounded():
    assert Cell(1234).shown == "1,234"
    assert Cell(0.4, kind="rate").shown == "40%"
    assert Cell(12.4, kind="days").shown == "12"
    assert Cell(None, kind="rate").shown == ""
    assert Cell(3, suppressed=True).shown == SUPPRESSED == "[c]"
    assert Cell(0.4, kind="rate").export_value == 40
    assert Cell(12.46, kind="days").export_value == 12.5
    assert Cell(3, suppressed=True).export_value == "[c]"


def test_a_rate_exactly_half_way_rounds_up_as_the_bulletins_do():
    """5 of 8 is 62.5%, published as 63%; 23 of 40 is 57.5%, published as 58% (Python's round() gives 62 and 57:
    it rounds half to even, and 23 / 40 * 100 is 57.49999... in floating point). See /tmp/h/requests.md (G)."""
    assert Cell(5 / 8, kind="rate", part=5, base=8).shown == "63%", "round half up, from the integers"
    assert Cell(23 / 40, kind="rate", part=23, base=40).shown == "58%", "round half up, from the integers"
    assert Cell(5 / 8, kind="rate", part=5, base=8).export_value == 63
    assert Cell(23 / 40, kind="rate").shown == "58%", "without the integers: half up, past the float error"


# Suppression ------------------------------------------------------------------------------------------------------


def hidden_cells_are_not_derivable(grid) -> list[str]:
    """No line of cells (a row within a column block, a column within a row block, the total column included)
    has exactly one hidden cell while the line's total is shown: that cell would be the total less the others.
    In the published layout a column block's total follows its last column, a row block's total row comes just
    before its first row (the overall total row last)."""
    problems = []
    count_columns = [index for index, column in enumerate(grid.columns) if column.kind == "count"]
    # The table's overall total is always shown: a line of one cell adding up to it cannot be protected.
    overall = grid.rows[-1].cells[count_columns[-1]]
    blocks: dict = {}
    for index, column in enumerate(grid.columns):
        if column.kind == "count" and not column.is_total:
            blocks.setdefault(column.block, []).append(index)
    for row in grid.rows:
        for indexes in blocks.values():
            if max(indexes) + 1 >= len(row.cells):
                continue  # a table without column dimensions: its one column has no total beside it
            total = row.cells[max(indexes) + 1]
            if total is overall and len(indexes) == 1:
                continue
            if sum(row.cells[i].suppressed for i in indexes) == 1 and not total.suppressed:
                problems.append(f"row {row.labels} in column block {indexes}")
    # Rows adding up to a total row: a block's members (its block total rows too) and the rows above its first.
    row_blocks: dict = {}
    for row in grid.rows[:-1]:
        row_blocks.setdefault(row.block, []).append(row)
    for index in count_columns:
        for block, rows in row_blocks.items():
            total_row = grid.rows[-1] if block == () else grid.rows[grid.rows.index(rows[0]) - 1]
            if total_row.cells[index] is overall and len(rows) == 1:
                continue
            if sum(row.cells[index].suppressed for row in rows) == 1 and not total_row.cells[index].suppressed:
                problems.append(f"column {grid.columns[index].labels} in row block {block}")
    return problems


def test_counts_below_the_threshold_are_hidden_and_zero_and_the_threshold_itself_are_shown():
    grid = build(
        counts({("a", "x"): 1, ("a", "y"): 4, ("a", "z"): 5, ("b", "x"): 0, ("b", "y"): 9, ("b", "z"): 30}),
        rows=(ROW,),
        columns=(COL,),
    ).suppress(5)
    assert shown(grid)[0][:2] == ["[c]", "[c]"]
    assert shown(grid)[1][0] == "0"
    assert grid.rows[0].cells[2].value == 5


def test_one_hidden_cell_in_a_row_hides_the_next_smallest_so_the_row_total_reveals_neither():
    grid = build(counts({("a", "x"): 2, ("a", "y"): 40, ("a", "z"): 9}), rows=(ROW,), columns=(COL,)).suppress(5)
    assert shown(grid)[0] == ["[c]", "40", "[c]", "51"]


def test_one_hidden_cell_in_a_column_hides_the_next_smallest_in_the_column():
    grid = build(counts({("a", "x"): 3, ("b", "x"): 20, ("c", "x"): 8}), rows=(ROW,), columns=(COL,)).suppress(5)
    assert [row[0] for row in shown(grid)] == ["[c]", "20", "[c]", "31"]


def test_a_hidden_row_total_cannot_be_worked_out_from_the_overall_total():
    """Row a's total (2) is hidden as a small count; shown beside rows b and c and the overall total, it would be
    72 - 30 - 40. Another row total must be hidden with it. See /tmp/h/requests.md (G)."""
    table = {("a", "x"): 2, ("a", "y"): 0, ("b", "x"): 10, ("b", "y"): 20, ("c", "x"): 15, ("c", "y"): 25}
    grid = build(counts(table), rows=(ROW,), columns=(COL,)).suppress(5)
    totals = [row.cells[-1] for row in grid.rows[:-1]]
    assert totals[0].suppressed
    assert sum(cell.suppressed for cell in totals) >= 2, "a lone hidden row total is the overall total less the rest"
    assert hidden_cells_are_not_derivable(grid) == []


def test_totals_shown_are_the_true_totals_and_the_overall_total_is_always_shown():
    table = {(r, c): n for (r, c), n in zip(product("abc", "xyz"), [1, 2, 30, 4, 50, 6, 70, 8, 9], strict=True)}
    before = values(build(counts(table), rows=(ROW,), columns=(COL,)))
    grid = build(counts(table), rows=(ROW,), columns=(COL,)).suppress(5)
    assert values(grid) == before
    for row in grid.rows:
        for column, cell in zip(grid.columns, row.cells, strict=True):
            if (row.is_total or column.is_total) and cell.value >= 5:
                assert not cell.suppressed
    assert not grid.rows[-1].cells[-1].suppressed
    small = build(counts({("a", "x"): 1, ("a", "y"): 2}), rows=(ROW,), columns=(COL,)).suppress(5)
    assert shown(small)[-1][-1] == "3"


@pytest.mark.parametrize("seed", range(30))
def test_no_hidden_cell_can_be_worked_out_from_its_row_or_column_total(seed):
    rng = random.Random(seed)
    table = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40]) for r, c in product("abcde", "vwxyz")}
    grid = build(counts(table), rows=(ROW,), columns=(COL,)).suppress(5)
    assert hidden_cells_are_not_derivable(grid) == []
    for row in grid.rows:
        for cell in row.cells:
            assert not (cell.value == 0 and cell.suppressed)
            if 0 < cell.value < 5 and cell is not grid.rows[-1].cells[-1]:
                assert cell.suppressed


@pytest.mark.parametrize("seed", range(20))
def test_no_hidden_cell_of_a_nested_table_can_be_worked_out_from_its_block_totals(seed):
    rng = random.Random(seed)
    items = [
        {"group": g, "row": r, "col": c, "outcome": o, "n": rng.choice([0, 0, 1, 2, 3, 6, 12, 30])}
        for g, r, c, o in product("gh", "abc", "xy", ["negative", "positive"])
    ]
    before = values(build(items, rows=(GROUP, ROW), columns=(COL, OUTCOME), rate_of="positive"))
    grid = build(items, rows=(GROUP, ROW), columns=(COL, OUTCOME), rate_of="positive").suppress(5)
    assert values(grid) == before
    assert hidden_cells_are_not_derivable(grid) == []
    for row in grid.rows:
        for column, cell in zip(grid.columns, row.cells, strict=True):
            if column.kind == "count":
                assert not (cell.value == 0 and cell.suppressed)
            elif cell.base is not None and 0 < cell.base < 5:
                assert cell.suppressed


def test_a_small_count_alone_in_its_row_is_not_revealed_by_the_rows_total():
    """Row a is [2, 0, 0]: hiding the 2 alone would be undone by the row's total (2). Nothing else in the row can
    be hidden (zeros are never hidden), so the small total is hidden too."""
    grid = build(counts({("a", "x"): 2, ("a", "y"): 0, ("b", "x"): 30, ("b", "y"): 40}), rows=(ROW,), columns=(COL,))
    grid.suppress(5)
    row = grid.rows[0]
    assert row.cells[0].suppressed
    revealed = [cell for cell in row.cells if cell.is_total and not cell.suppressed and cell.value == 2]
    assert revealed == [], "the hidden 2 is shown as row a's total: suppress a total below the threshold too"


def test_a_rate_or_days_resting_on_a_small_count_is_hidden():
    grid = build(
        [
            {"row": "q1", "outcome": "positive", "n": 3},
            {"row": "q2", "outcome": "positive", "n": 30},
            {"row": "q2", "outcome": "negative", "n": 10},
            # The hidden 3 makes the positive column hide one more, the smallest: q3's 20 (not q2's 30).
            {"row": "q3", "outcome": "positive", "n": 20},
        ],
        rows=(ROW,),
        columns=(OUTCOME,),
        rate_of="positive",
    ).suppress(5)
    assert shown(grid)[0][-1] == "[c]"
    assert shown(grid)[1][-1] == "75%"
    assert shown(grid)[2][-1] == "[c]"  # its part (20) is hidden, and rate x total would give it away
    days = Cell(12.0, kind="days", base=2)
    from insights.grid import Column, Grid, Row

    grid = Grid(row_titles=("Row",), columns=[Column(("Mean",), "Mean", "days")], rows=[Row(("a",), 0, [days])])
    grid.suppress(5)
    assert days.suppressed


def test_a_threshold_of_one_or_less_hides_nothing():
    grid = build(counts({("a", "x"): 1, ("a", "y"): 2}), rows=(ROW,), columns=(COL,)).suppress(1)
    assert not any(SUPPRESSED in line for line in shown(grid))

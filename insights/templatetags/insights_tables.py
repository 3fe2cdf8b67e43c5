"""How a statistics grid is drawn as an HTML table: the nested column headings (each block's heading spanning
its columns, a heading with nothing beneath it spanning down to the last heading row)."""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1
    is_group: bool = False  # a heading over several columns (scope="colgroup")


def _labels(column, depth: int) -> tuple[str, ...]:
    labels = tuple(column.labels) or (column.title,)
    return labels + ("",) * (depth - len(labels))


def _last_level(labels: tuple[str, ...]) -> int:
    return max((i for i, label in enumerate(labels) if label), default=0)


@register.simple_tag
def column_header_rows(grid) -> list[list[HeaderCell]]:
    """The heading rows above the figures' columns (the row headings' own cells are the template's)."""
    depth = max((len(column.labels) for column in grid.columns), default=0) or 1
    labelled = [_labels(column, depth) for column in grid.columns]
    rows: list[list[HeaderCell]] = []
    for level in range(depth):
        cells: list[HeaderCell] = []
        index = 0
        while index < len(labelled):
            labels = labelled[index]
            last = _last_level(labels)
            if level > last:  # covered by the heading above, which spans down
                index += 1
                continue
            if level == last:
                cells.append(HeaderCell(labels[level], rowspan=depth - level))
                index += 1
                continue
            span = 1
            while (
                index + span < len(labelled)
                and labelled[index + span][: level + 1] == labels[: level + 1]
                and _last_level(labelled[index + span]) > level
            ):
                span += 1
            cells.append(HeaderCell(labels[level], colspan=span, is_group=True))
            index += span
        rows.append(cells)
    return rows


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def header_depth(grid) -> int:
    return max((len(column.labels) for column in grid.columns), default=0) or 1

"""Draws a declared table (`insights.tables`) from the fact tables for a period, a nation and a competent
authority: one GROUP BY (three for decision times), laid out by `insights.grid`."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Func, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from accounts.models import Organisation
from insights import categories as c
from insights.grid import Cell, Column, Grid, Row, build
from insights.models import AwaitingChange, ReferralFact
from insights.periods import Period, quarter_ends
from insights.tables import AGE, Table


@dataclass(frozen=True)
class Area:
    """A local area (a partnership's, issue 14): referrals recording one of its local authorities or police forces
    (by name, as the fact table holds them), and the decisions of those referrals."""

    local_authorities: tuple[str, ...] = ()
    police_forces: tuple[str, ...] = ()

    def referrals(self) -> QuerySet:
        return ReferralFact.objects.filter(
            Q(local_authority__in=self.local_authorities) | Q(police_force__in=self.police_forces)
        )


@dataclass(frozen=True)
class Filters:
    period: Period
    nation: str = ""
    authority_id: int | None = None
    area: Area | None = None

    def as_dict(self) -> dict:
        """For the export log and the tidy download's notes (never a person)."""
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "nation": self.nation,
            "authority": self.authority_id,
        }


def facts(table: Table, filters: Filters) -> QuerySet:
    source = table.source
    date_range = {f"{source.date_field}__gte": filters.period.start, f"{source.date_field}__lte": filters.period.end}
    rows = source.model.objects.filter(source.condition, **date_range)
    if filters.nation:
        rows = rows.filter(nation=filters.nation)
    if filters.authority_id is not None and source.has_authority:
        rows = rows.filter(authority_id=filters.authority_id)
    if filters.area is not None:
        in_area = filters.area.referrals()
        if source.model is ReferralFact:
            rows = rows.filter(pk__in=in_area.values("pk"))
        else:
            rows = rows.filter(referral_id__in=in_area.values("pk"))
    return rows


def _organisation_names(ids) -> dict:
    return dict(Organisation.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "name"))


# The statistics' GROUP BYs hash hundreds of thousands of rows at national scale: with PostgreSQL's default 4 MB
# they sort on disk instead (measured: decision times for a year 1.1 s, 0.39 s with this).
STATISTICS_WORK_MEM = "64MB"


def table_grid(table: Table, filters: Filters) -> Grid:
    """The table drawn for the filters, its queries in one transaction with room to hash in memory."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{STATISTICS_WORK_MEM}'")
        return _table_grid(table, filters)


def _table_grid(table: Table, filters: Filters) -> Grid:
    if table.special == "decision_times":
        return _decision_times(table, filters)
    if table.special == "awaiting_cg":
        return _awaiting_cg(table, filters)
    rows = facts(table, filters)
    if table.special == "towns":
        counts = list(
            rows.annotate(town=Func(F("towns"), function="unnest", output_field=CharField()))
            .values("town")
            .annotate(n=Count("pk"))
        )
        ranking = {item["town"]: -item["n"] for item in counts}
        town = replace(table.rows[0], order=lambda value: (ranking[value], value))
        return build(counts, rows=(town,))
    source = table.source
    keys = [d.key for d in (*table.rows, *table.columns)]
    expressions = {}
    if "year" in keys:
        expressions["year"] = ExtractYear(source.date_field)
        expressions["quarter"] = ExtractQuarter(source.date_field)
    counts = list(
        rows.values(*[k for k in keys if k not in expressions], **expressions).annotate(n=Count("pk")).order_by()
    )
    dimensions = {d.key: d for d in (*table.rows, *table.columns)}
    for key in table.lookups:
        names = _organisation_names({item[key] for item in counts})
        dimensions[key] = replace(dimensions[key], label=lambda value, names=names: names.get(value, "Not recorded"))
    return build(
        counts,
        rows=[dimensions[d.key] for d in table.rows],
        columns=[dimensions[d.key] for d in table.columns],
        rate_of=table.rate_of,
        rate_title=table.rate_title,
    )


def _where_nation_and_authority(filters: Filters, *, alias: str, params: dict) -> str:
    """The raw queries' share of `facts()`'s filters: the nation and authority conditions (values as parameters)."""
    extra = ""
    if filters.nation:
        extra += f" AND {alias}.nation = %(nation)s"
        params["nation"] = filters.nation
    if filters.authority_id is not None:
        extra += f" AND {alias}.authority_id = %(authority)s"
        params["authority"] = filters.authority_id
    if filters.area is not None:
        # Decisions only (the awaiting counts hold no referral, so they cannot be drawn for an area).
        extra += (
            # The table's name is the model's; the area's names are parameters.
            f" AND {alias}.referral_id IN (SELECT r.referral_id FROM {ReferralFact._meta.db_table} r"  # noqa: S608
            " WHERE r.local_authority = ANY(%(area_councils)s) OR r.police_force = ANY(%(area_forces)s))"
        )
        params["area_councils"] = list(filters.area.local_authorities)
        params["area_forces"] = list(filters.area.police_forces)
    return extra


def _histogram_median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many} (the mean of the two middle values for an even count, as
    PostgreSQL's percentile_cont(0.5))."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in sorted(wanted) if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


DECISION_DAYS_SQL = """
    SELECT date_trunc('quarter', f.decided_on)::date, f.stage, f.days_from_referral, f.days_from_rg,
           GROUPING(f.days_from_rg), COUNT(*)
    FROM {table} f
    WHERE f.decided_on BETWEEN %(start)s AND %(end)s {extra}
    GROUP BY GROUPING SETS ((1, f.stage, f.days_from_referral), (1, f.stage, f.days_from_rg))
"""


def _decision_times(table: Table, filters: Filters) -> Grid:
    """Days as exact histograms (days are whole numbers: one row per quarter, stage and number of days, both
    measures from one pass over the decisions), so the means and medians of every quarter, year and the whole
    period come from hash aggregates and no sort."""
    params = {"start": filters.period.start, "end": filters.period.end}
    extra = _where_nation_and_authority(filters, alias="f", params=params)
    with connection.cursor() as cursor:
        cursor.execute(DECISION_DAYS_SQL.format(table=table.source.model._meta.db_table, extra=extra), params)
        counts = cursor.fetchall()
    histograms: dict[tuple, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for quarter_start, stage, from_referral, from_rg, by_rg, n in counts:
        measure, days = ("rg", from_rg) if by_rg == 0 else ("referral", from_referral)
        if days is None:
            continue
        year, quarter = quarter_start.year, (quarter_start.month - 1) // 3 + 1
        for key in ((year, quarter), (year,), ()):
            histograms[(key, stage)][measure][days] += n
    found: dict[tuple, dict] = {}
    for group, measures in histograms.items():
        referral = measures["referral"]
        n = sum(referral.values())
        found[group] = {
            "n": n,
            "mean_referral": sum(d * c for d, c in referral.items()) / n if n else None,
            "median_referral": _histogram_median(referral),
            "mean_rg": (
                sum(d * c for d, c in measures["rg"].items()) / sum(measures["rg"].values()) if measures["rg"] else None
            ),
            "median_rg": _histogram_median(measures["rg"]),
        }
    columns = [
        Column(labels=("Reasonable grounds", "Decisions"), title="Reasonable grounds decisions", key=("rg",)),
        Column(("Reasonable grounds", "Mean days from referral"), "RG mean days from referral", "days"),
        Column(("Reasonable grounds", "Median days from referral"), "RG median days from referral", "days"),
        Column(("Conclusive grounds", "Decisions"), "Conclusive grounds decisions", key=("cg",)),
        Column(("Conclusive grounds", "Mean days from referral"), "CG mean days from referral", "days"),
        Column(("Conclusive grounds", "Median days from referral"), "CG median days from referral", "days"),
        Column(("Conclusive grounds", "Mean days from the RG decision"), "CG mean days from RG", "days"),
        Column(("Conclusive grounds", "Median days from the RG decision"), "CG median days from RG", "days"),
    ]
    fields = [
        ("rg", "n"),
        ("rg", "mean_referral"),
        ("rg", "median_referral"),
        ("cg", "n"),
        ("cg", "mean_referral"),
        ("cg", "median_referral"),
        ("cg", "mean_rg"),
        ("cg", "median_rg"),
    ]

    def cells(key: tuple) -> list[Cell]:
        out: list[Cell] = []
        counts: dict[str, Cell] = {}
        for stage, measure in fields:
            item = found.get((key, stage), {})
            n = item.get("n", 0)
            if measure == "n":
                counts[stage] = Cell(value=n, is_total=len(key) < 2)
                out.append(counts[stage])
            else:
                out.append(Cell(value=item.get(measure), kind="days", base=n, part_cells=[counts[stage]]))
        return out

    grid_rows: list[Row] = []
    years = sorted({key[0] for key, _ in found if len(key) == 1})
    for year in years:
        grid_rows.append(Row((str(year), ""), 0, cells((year,)), is_total=True, block=(), values=(year,)))
        quarters = sorted({key[1] for key, _ in found if len(key) == 2 and key[0] == year})
        for number in quarters:
            grid_rows.append(Row(("", f"Q{number}"), 1, cells((year, number)), block=(year,), values=(year, number)))
    grid_rows.append(Row(("Total", ""), 0, cells(()), is_total=True, block=("total",)))
    for cell in grid_rows[-1].cells:
        cell.is_total = True
    grid = Grid(row_titles=("Year", "Quarter"), columns=columns, rows=grid_rows)
    grid.tidy_headers = ["Year", "Quarter", "Stage", "Measure", "Value"]
    for row in grid_rows:
        if len(row.values) != 2:
            continue
        for (stage, measure), column, cell in zip(fields, columns, row.cells, strict=True):
            if cell.value is None or (measure == "n" and not cell.value):
                continue
            measure_title = column.labels[1]
            grid.tidy.append([str(row.values[0]), f"Q{row.values[1]}", c.STAGES[stage], measure_title, cell.value])
            grid.tidy_cells.append(cell)
    return grid


# The cases awaiting a conclusive grounds decision at each quarter end: the running sums of the refresh's daily
# changes (insights.models.AwaitingChange) up to that day.
AWAITING_SQL = """
    SELECT a.day, a.age_group, SUM(a.cases), SUM(a.referred_days)
    FROM {table} a
    WHERE a.day <= %(last)s {extra}
    GROUP BY a.day, a.age_group
    ORDER BY a.day
"""
EPOCH = date(2000, 1, 1)


def _awaiting_cg(table: Table, filters: Filters) -> Grid:
    if filters.area is not None:
        raise ValueError("The cases awaiting a decision are counted without their referrals: not by area")
    today = timezone.localdate()
    # A snapshot is taken at each quarter's end that has come, and today for the quarter still running.
    ends = sorted({min(end, today) for end in quarter_ends(filters.period) if filters.period.start <= today})
    params = {"last": ends[-1] if ends else filters.period.end}
    extra = _where_nation_and_authority(filters, alias="a", params=params)
    with connection.cursor() as cursor:
        cursor.execute(AWAITING_SQL.format(table=AwaitingChange._meta.db_table, extra=extra), params)
        events = cursor.fetchall()
    running: dict[str, list[int]] = {}
    by_age: dict[tuple, int] = {}
    overall: dict[date, tuple[int, float | None]] = {}
    position = 0
    for end in ends:
        while position < len(events) and events[position][0] <= end:
            _day, age, delta, referred = events[position]
            counts = running.setdefault(age, [0, 0])
            counts[0] += int(delta)
            counts[1] += int(referred)
            position += 1
        n = sum(counts[0] for counts in running.values())
        referred_sum = sum(counts[1] for counts in running.values())
        for age, counts in running.items():
            by_age[(end, age)] = counts[0]
        overall[end] = (n, ((end - EPOCH).days - referred_sum / n) if n else None)
    ages = [age for age in c.AGE_GROUPS if any(by_age.get((end, age)) for end in ends)]
    columns = [Column((AGE.label(age),), AGE.label(age), key=(age,)) for age in ages]
    columns += [
        Column(("Total",), "Total", is_total=True, key=()),
        Column(("Average age (days)",), "Average age (days)", "days"),
    ]
    grid_rows = []
    for day in ends:
        n, mean = overall.get(day, (0, None))
        cells = [Cell(value=by_age.get((day, age), 0)) for age in ages]
        total = Cell(value=n, is_total=True)
        cells += [
            total,
            Cell(value=mean, kind="days", base=n, part_cells=[total]),
        ]
        label = f"{day:%-d %B %Y}"
        grid_rows.append(Row((label,), 0, cells, block=(), values=(day,)))
    grid = Grid(row_titles=("End of quarter",), columns=columns, rows=grid_rows)
    grid.tidy_headers = ["End of quarter", "Age at exploitation", "Cases awaiting a conclusive grounds decision"]
    for row in grid_rows:
        for age, cell in zip(ages, row.cells, strict=False):
            if cell.value:
                grid.tidy.append([row.values[0].isoformat(), AGE.label(age), cell.value])
                grid.tidy_cells.append(cell)
    return grid

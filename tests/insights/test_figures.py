"""Every statistics table checked against counts computed here, independently, from the live objects (Referral,
Case, Decision, Reconsideration, CaseEvent) with plain Python: never through insights.figures, the fact tables or
insights.categories. The labels below are the published ones (../shared/statistics.md), written out again."""

import statistics
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casework.models import Case, CaseEvent, Decision, Reconsideration
from insights.figures import Filters, table_grid
from insights.periods import calendar_year, custom, financial_year, quarter
from insights.tables import TABLES, TABLES_BY_KEY
from referrals.models import Referral

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

AGES = {"adult": "Adult (18 or over)", "child": "Child (17 or under)", "unknown": "Not specified or unknown"}
GENDERS = {"female": "Female", "male": "Male", "other": "Other", "": "Not Recorded"}
LOCATIONS = {"overseas": "Overseas", "uk": "UK", "both": "UK and Overseas", "": "Not specified or unknown"}
TYPES = [
    ("sexual", "Sexual"),
    ("labour", "Labour"),
    ("domestic", "Domestic"),
    ("organ", "Organ Harvesting"),
    ("criminal", "Criminal"),
]
RESPONDERS = {
    "government_agency": "Government agency",
    "ngo": "NGO and third sector",
    "police": "Police",
    "local_authority": "Local Authority",
}
STAGES = {"rg": "Reasonable grounds", "cg": "Conclusive grounds"}
OUTCOMES = {"negative": "Negative", "positive": "Positive"}
NEGATIVE_REASONS = {**{r.value: r.label for r in Decision.NegativeReason}, "": "Not recorded"}
RECONSIDERATION_STATES = {s.value: s.label for s in Reconsideration.State}
ENDED = {CaseEvent.Kind.WITHDRAWN, CaseEvent.Kind.CLOSED, CaseEvent.Kind.MERGED, CaseEvent.Kind.DISQUALIFIED}


def uk(moment) -> date:
    return moment.astimezone(LONDON).date()


def age_of(referral: Referral) -> str:
    if referral.is_child or referral.child_at_exploitation == "yes":
        return AGES["child"]
    if referral.child_at_exploitation == "no":
        return AGES["adult"]
    return AGES["unknown"]


def exploitation_of(codes) -> str:
    labels = [label for code, label in TYPES if code in codes]
    if not labels:
        return "Not specified or unknown"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " & " + labels[-1]


def nationality_of(nationalities) -> str:
    return " ".join(nationalities) or "Unknown"


def _quarter(day: date) -> tuple[str, str]:
    return (str(day.year), f"Q{(day.month - 1) // 3 + 1}")


_RECORDS: dict = {}


def _cached(function):
    """The records are read once per seeded world (the tests never write)."""

    def cached():
        if function.__name__ not in _RECORDS:
            _RECORDS[function.__name__] = function()
        return _RECORDS[function.__name__]

    return cached


@pytest.fixture(scope="module", autouse=True)
def _fresh_records(world):
    _RECORDS.clear()
    yield
    _RECORDS.clear()


# Records: one dict per counted object, with the date it is counted by, its nation and authority, and its labels.


@_cached
def referral_records() -> list[dict]:
    records = []
    for referral in Referral.objects.select_related("organisation").all():
        case = Case.objects.filter(referral=referral).first()
        organisation = referral.organisation
        answers = referral.answers or {}
        police = answers.get("police_force") or (organisation.name if organisation.kind == "police" else "")
        council = answers.get("la_name") or (organisation.name if organisation.kind == "local_authority" else "")
        records.append(
            {
                "date": uk(referral.submitted_at),
                "dtn": referral.route == "duty_to_notify",
                "nation": referral.nation,
                "authority": case.authority_id if case else None,
                "authority_name": case.authority.name if case else None,
                "age": age_of(referral),
                "gender": GENDERS[referral.gender],
                "location": LOCATIONS[referral.exploited_in],
                "nationality": nationality_of(referral.nationalities),
                "exploitation": exploitation_of(referral.exploitation_types),
                "responder": RESPONDERS[organisation.kind],
                "organisation": organisation.name,
                "police_force": police or "Not recorded",
                "local_authority": council or "Not recorded",
                "towns": list(answers.get("uk_towns") or []),
            }
        )
    return records


@_cached
def decision_records() -> list[dict]:
    records = []
    for decision in Decision.objects.select_related("case__referral", "case__authority").all():
        if decision.state != "served" or decision.served_at is None:
            continue
        case = decision.case
        served = uk(decision.served_at)
        from_rg = None
        if decision.stage == "cg":
            rg = [
                d
                for d in Decision.objects.filter(case=case).all()
                if d.stage == "rg" and d.outcome == "positive" and d.state == "served"
            ]
            from_rg = (served - uk(max(d.served_at for d in rg))).days
        records.append(
            {
                "date": served,
                "nation": case.nation,
                "authority": case.authority_id,
                "authority_name": case.authority.name,
                "age": age_of(case.referral),
                "stage": STAGES[decision.stage],
                "stage_code": decision.stage,
                "outcome": OUTCOMES[decision.outcome],
                "reason": NEGATIVE_REASONS[decision.negative_reason],
                "from_referral": (served - uk(case.referral.submitted_at)).days,
                "from_rg": from_rg,
            }
        )
    return records


@_cached
def reconsideration_records() -> list[dict]:
    records = []
    for request in Reconsideration.objects.select_related("decision", "case").all():
        grounds = set(request.grounds)
        if {"new_evidence", "guidance_not_followed"} <= grounds:
            label = "Both"
        elif "new_evidence" in grounds:
            label = "Additional evidence"
        else:
            label = "Not in line with guidance"
        records.append(
            {
                "date": uk(request.requested_at),
                "nation": request.case.nation,
                "authority": request.case.authority_id,
                "stage": STAGES[request.decision.stage],
                "grounds": label,
                "state": RECONSIDERATION_STATES[request.state],
            }
        )
    return records


@_cached
def disqualification_records() -> list[dict]:
    return [
        {
            "date": uk(event.created_at),
            "nation": event.case.nation,
            "authority": event.case.authority_id,
            "age": age_of(event.case.referral),
        }
        for event in CaseEvent.objects.select_related("case__referral").all()
        if event.kind == CaseEvent.Kind.DISQUALIFIED
    ]


def in_filters(record: dict, filters: Filters, *, by_authority=True) -> bool:
    if not filters.period.start <= record["date"] <= filters.period.end:
        return False
    if filters.nation and record["nation"] != filters.nation:
        return False
    return not (by_authority and filters.authority_id is not None and record["authority"] != filters.authority_id)


def year_quarter(record) -> tuple:
    return _quarter(record["date"])


# What each table counts: (records, row labels, column labels, the rate's column value or None).
def expectation(key: str, filters: Filters):
    referrals = [r for r in referral_records() if not r["dtn"] and in_filters(r, filters)]
    reports = [r for r in referral_records() if r["dtn"] and in_filters(r, filters, by_authority=False)]
    decisions = [d for d in decision_records() if in_filters(d, filters)]
    age = lambda r: (r["age"],)  # noqa: E731
    return {
        "referrals-by-age-and-location": (referrals, year_quarter, lambda r: (r["age"], r["location"]), None),
        "referrals-by-competent-authority": (referrals, year_quarter, lambda r: (r["authority_name"],), None),
        "referrals-by-gender": (referrals, lambda r: (r["gender"],), age, None),
        "referrals-by-nationality": (referrals, lambda r: (r["nationality"],), age, None),
        "referrals-by-exploitation-type": (referrals, lambda r: (r["exploitation"],), age, None),
        "referrals-by-first-responder": (referrals, lambda r: (r["responder"], r["organisation"]), age, None),
        "referrals-by-first-responder-detail": (
            referrals,
            lambda r: (r["responder"], r["exploitation"], r["age"], r["gender"]),
            lambda r: (r["nationality"],),
            None,
        ),
        "referrals-by-police-force-area": (referrals, lambda r: (r["police_force"],), age, None),
        "referrals-by-local-authority": (referrals, lambda r: (r["local_authority"],), age, None),
        "reasonable-grounds-decisions": (
            [d for d in decisions if d["stage_code"] == "rg"],
            year_quarter,
            lambda d: (d["age"], d["outcome"]),
            "Positive",
        ),
        "conclusive-grounds-decisions": (
            [d for d in decisions if d["stage_code"] == "cg"],
            year_quarter,
            lambda d: (d["age"], d["outcome"]),
            "Positive",
        ),
        "decisions-by-competent-authority": (
            decisions,
            lambda d: (d["stage"], d["authority_name"]),
            lambda d: (d["outcome"],),
            "Positive",
        ),
        "negative-decision-reasons": (
            [d for d in decisions if d["outcome"] == "Negative"],
            lambda d: (d["reason"],),
            lambda d: (d["stage"],),
            None,
        ),
        "reconsiderations": (
            [x for x in reconsideration_records() if in_filters(x, filters)],
            lambda x: (x["stage"], x["grounds"]),
            lambda x: (x["state"],),
            "Accepted",
        ),
        "public-order-disqualifications": (
            [x for x in disqualification_records() if in_filters(x, filters)],
            year_quarter,
            age,
            None,
        ),
        "duty-to-notify-by-quarter": (reports, year_quarter, lambda r: (), None),
        "duty-to-notify-by-nationality": (reports, lambda r: (r["nationality"],), lambda r: (), None),
        "duty-to-notify-by-exploitation-type": (reports, lambda r: (r["exploitation"],), lambda r: (), None),
    }[key]


# Reading a grid back: each row's full path of labels (blank beneath a block's total), each column's labels.

RATE_TITLES = {"Positive rate", "Acceptance rate"}


def row_paths(grid) -> list[tuple]:
    paths, path = [], []
    for row in grid.rows:
        if row.block == ("total",):
            paths.append(("Total",))
            continue
        path = [*path[: row.level], row.labels[row.level]]
        paths.append(tuple(path))
    return paths


def column_prefix(column) -> tuple:
    labels = []
    for label in column.labels:
        if label in ("Total", "") or label in RATE_TITLES:
            break
        labels.append(label)
    return tuple(labels)


def assert_grid_counts(grid, records, row_of, column_of, rate_of) -> None:
    """Every cell is the count of matching records (totals by prefix), the rows and columns are exactly the
    categories that occur (each block's total, then its members), and the grand total row is last."""
    counts = Counter((row_of(r), column_of(r)) for r in records)

    def count(row_prefix, column_prefix):
        return sum(
            n
            for (r, c), n in counts.items()
            if r[: len(row_prefix)] == row_prefix and c[: len(column_prefix)] == column_prefix
        )

    paths = row_paths(grid)
    expected_rows = {r[:i] for r, _ in counts for i in range(1, len(r) + 1)}
    assert set(paths[:-1]) == expected_rows
    assert len(paths) == len(set(paths))
    assert paths[-1] == ("Total",)
    assert grid.rows[-1].is_total
    expected_columns = {c[:i] for _, c in counts for i in range(1, len(c) + 1)}
    count_columns = [column for column in grid.columns if column.kind == "count"]
    assert {column_prefix(column) for column in count_columns} - {()} == expected_columns
    assert count_columns[-1].is_total or len(grid.columns) == 1  # a table without column dimensions: one count
    assert column_prefix(count_columns[-1]) == ()
    for path, row in zip(paths, grid.rows, strict=True):
        prefix = () if path == ("Total",) else path
        for column, cell in zip(grid.columns, row.cells, strict=True):
            where = (path, column.labels)
            if column.kind == "count":
                assert cell.value == count(prefix, column_prefix(column)), where
            else:
                assert column.kind == "rate", where
                assert rate_of is not None, where
                block = column_prefix(column)
                whole = count(prefix, block)
                depth = max(len(c) for _, c in counts) if counts else 1
                if block == () and depth > 1:  # the overall rate after the grand total: every block's part
                    part = sum(n for (r, c), n in counts.items() if r[: len(prefix)] == prefix and c[-1] == rate_of)
                else:
                    part = count(prefix, (*block, rate_of))
                if whole:
                    assert cell.value == pytest.approx(part / whole), where
                else:
                    assert cell.value is None, where


def filter_sets(world) -> dict[str, Filters]:
    everything = custom(date(2025, 1, 1), date(2026, 12, 31))
    return {
        "everything": Filters(everything),
        "a quarter": Filters(quarter(2026, 2)),
        "the first quarter of 2026": Filters(quarter(2026, 1)),
        "a calendar year": Filters(calendar_year(2025)),
        "a financial year": Filters(financial_year(2025)),
        "custom dates across the year end": Filters(custom(date(2025, 6, 30), date(2026, 1, 1))),
        "a nation": Filters(everything, nation="wales"),
        "another nation in one year": Filters(calendar_year(2026), nation="england"),
        "the IECA": Filters(everything, authority_id=world.ieca.pk),
        "the SCA in one year": Filters(calendar_year(2025), authority_id=world.sca.pk),
    }


FILTER_NAMES = [
    "everything",
    "a quarter",
    "the first quarter of 2026",
    "a calendar year",
    "a financial year",
    "custom dates across the year end",
    "a nation",
    "another nation in one year",
    "the IECA",
    "the SCA in one year",
]
COUNTED = [t.key for t in TABLES if not t.special]


def test_every_table_is_checked_by_this_module():
    specials = {t.key for t in TABLES if t.special}
    assert specials == {"referrals-by-town", "decision-times", "awaiting-conclusive-grounds"}
    assert len(COUNTED) + len(specials) == len(TABLES)


@pytest.mark.parametrize("filter_name", FILTER_NAMES)
@pytest.mark.parametrize("key", COUNTED)
def test_each_tables_counts_match_the_live_records(world, key, filter_name):
    filters = filter_sets(world)[filter_name]
    records, row_of, column_of, rate_of = expectation(key, filters)
    grid = table_grid(TABLES_BY_KEY[key], filters)
    if not records:
        assert grid.is_empty
        assert [cell.value for cell in grid.rows[-1].cells if cell.kind == "count"] == [0] * len(
            [c for c in grid.columns if c.kind == "count"]
        )
        return
    assert_grid_counts(grid, records, row_of, column_of, rate_of)


@pytest.mark.parametrize("filter_name", FILTER_NAMES)
def test_towns_count_each_referral_once_in_each_town_it_names_ranked(world, filter_name):
    filters = filter_sets(world)[filter_name]
    towns = Counter(town for r in referral_records() if not r["dtn"] and in_filters(r, filters) for town in r["towns"])
    grid = table_grid(TABLES_BY_KEY["referrals-by-town"], filters)
    shown = [(row.labels[0], row.cells[0].value) for row in grid.rows if not row.is_total]
    assert shown == sorted(towns.items(), key=lambda item: (-item[1], item[0]))
    assert grid.rows[-1].cells[0].value == sum(towns.values())


def _mean(values):
    return statistics.mean(values) if values else None


def _median(values):
    return statistics.median(values) if values else None


@pytest.mark.parametrize("filter_name", FILTER_NAMES)
def test_decision_times_are_the_mean_and_median_days_from_referral_and_from_rg(world, filter_name):
    filters = filter_sets(world)[filter_name]
    decisions = [d for d in decision_records() if in_filters(d, filters)]
    grid = table_grid(TABLES_BY_KEY["decision-times"], filters)
    keys = sorted({_quarter(d["date"]) for d in decisions})
    expected_rows = []
    for year in sorted({y for y, _ in keys}):
        expected_rows.append((year,))
        expected_rows += [(year, q) for y, q in keys if y == year]
    assert row_paths(grid) == [*expected_rows, ("Total",)]
    for path, row in zip(row_paths(grid), grid.rows, strict=True):
        chosen = [d for d in decisions if path == ("Total",) or _quarter(d["date"])[: len(path)] == path]
        rg = [d for d in chosen if d["stage_code"] == "rg"]
        cg = [d for d in chosen if d["stage_code"] == "cg"]
        expected = [
            len(rg),
            _mean([d["from_referral"] for d in rg]),
            _median([d["from_referral"] for d in rg]),
            len(cg),
            _mean([d["from_referral"] for d in cg]),
            _median([d["from_referral"] for d in cg]),
            _mean([d["from_rg"] for d in cg]),
            _median([d["from_rg"] for d in cg]),
        ]
        actual = [cell.value for cell in row.cells]
        for got, want in zip(actual, expected, strict=True):
            assert got == (pytest.approx(want) if want is not None else None), (path, actual, expected)


def awaiting_ends(filters: Filters) -> list[date]:
    today = timezone.localdate()
    if filters.period.start > today:
        return []
    ends, day = set(), filters.period.start
    while day <= filters.period.end:
        next_quarter = date(day.year + (day.month > 9), (day.month - 1) // 3 * 3 + 4 if day.month <= 9 else 1, 1)
        ends.add(min(next_quarter - timedelta(days=1), filters.period.end, today))
        day = next_quarter
    return sorted(ends)


@pytest.mark.parametrize("filter_name", FILTER_NAMES)
def test_cases_awaiting_cg_are_counted_at_each_quarter_end_with_their_age(world, filter_name):
    filters = filter_sets(world)[filter_name]
    waiting = []
    for case in Case.objects.select_related("referral").all():
        if filters.nation and case.nation != filters.nation:
            continue
        if filters.authority_id is not None and case.authority_id != filters.authority_id:
            continue
        served = [d for d in case.decisions.all() if d.state == "served" and d.served_at]
        rg = [uk(d.served_at) for d in served if d.stage == "rg" and d.outcome == "positive"]
        if not rg:
            continue
        cg = [uk(d.served_at) for d in served if d.stage == "cg"]
        ended = [uk(e.created_at) for e in case.events.all() if e.kind in ENDED]
        waiting.append((max(rg), min(cg, default=None), min(ended, default=None), case))
    grid = table_grid(TABLES_BY_KEY["awaiting-conclusive-grounds"], filters)
    ends = awaiting_ends(filters)
    assert [row.labels[0] for row in grid.rows] == [f"{end:%-d %B %Y}" for end in ends]
    titles = [column.title for column in grid.columns]
    seen_ages = set()
    for end, row in zip(ends, grid.rows, strict=True):
        cases = [
            case
            for rg, cg, ended, case in waiting
            if rg <= end and (cg is None or cg > end) and (ended is None or ended > end)
        ]
        ages = [(end - uk(case.referral.submitted_at)).days for case in cases]
        by_age = Counter(age_of(case.referral) for case in cases)
        cells = dict(zip(titles, row.cells, strict=True))
        assert cells["Total"].value == len(cases), end
        for label in AGES.values():
            if label in cells:
                assert cells[label].value == by_age[label], (end, label)
            else:
                assert by_age[label] == 0, (end, label)
        seen_ages.update(label for label, n in by_age.items() if n)
        # The published "average age" is the mean.
        assert cells["Average age (days)"].value == (pytest.approx(_mean(ages)) if ages else None), end
    assert [t for t in titles if t in AGES.values()] == [label for label in AGES.values() if label in seen_ages]


# The definitions and the layout, stated one by one ---------------------------------------------------------------


def _everything():
    return Filters(custom(date(2025, 1, 1), date(2026, 12, 31)))


def test_duty_to_notify_reports_are_never_in_the_nrm_totals(world):
    records = referral_records()
    nrm = sum(1 for r in records if not r["dtn"])
    reports = sum(1 for r in records if r["dtn"])
    assert reports == 4
    for key in ("referrals-by-age-and-location", "referrals-by-gender", "referrals-by-nationality"):
        grid = table_grid(TABLES_BY_KEY[key], _everything())
        assert grid.rows[-1].cells[[c.title for c in grid.columns].index("Total")].value == nrm
    grid = table_grid(TABLES_BY_KEY["duty-to-notify-by-quarter"], _everything())
    assert grid.rows[-1].cells[0].value == reports


def test_referrals_are_counted_by_their_uk_date(world):
    """23:30 UTC on 30 June 2025 is 00:30 on 1 July in British Summer Time: the third quarter."""
    grid = table_grid(TABLES_BY_KEY["referrals-by-age-and-location"], Filters(quarter(2025, 3)))
    assert grid.rows[-1].cells[-1].value == 3
    grid = table_grid(TABLES_BY_KEY["referrals-by-age-and-location"], Filters(quarter(2025, 2)))
    assert grid.rows[-1].cells[-1].value == 2
    grid = table_grid(
        TABLES_BY_KEY["referrals-by-age-and-location"], Filters(custom(date(2025, 6, 30), date(2025, 6, 30)))
    )
    assert grid.is_empty


def test_year_rows_come_before_their_quarters_and_the_grand_total_is_last(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-age-and-location"], _everything())
    assert [row.labels for row in grid.rows] == [
        ("2025", ""),
        ("", "Q2"),
        ("", "Q3"),
        ("", "Q4"),
        ("2026", ""),
        ("", "Q1"),
        ("", "Q2"),
        ("", "Q3"),
        ("", "Q4"),
        ("Total", ""),
    ]
    assert [row.is_total for row in grid.rows] == [True, False, False, False, True, False, False, False, False, True]


def test_columns_are_age_blocks_each_with_its_locations_in_published_order_then_its_total(world):
    records = [r for r in referral_records() if not r["dtn"]]
    expected = []
    for age in AGES.values():
        locations = [
            loc for loc in LOCATIONS.values() if any(r["age"] == age and r["location"] == loc for r in records)
        ]
        if locations:
            expected += [(age, location) for location in locations] + [(age, "Total")]
    expected.append(("Total", ""))
    grid = table_grid(TABLES_BY_KEY["referrals-by-age-and-location"], _everything())
    assert [column.labels for column in grid.columns] == expected
    assert len(expected) == 15
    assert [column.is_total for column in grid.columns] == [label[1] in ("Total", "") for label in expected]


def test_exploitation_combinations_are_labelled_in_the_published_order(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-exploitation-type"], _everything())
    assert [row.labels[0] for row in grid.rows] == [
        "Sexual",
        "Labour",
        "Domestic",
        "Organ Harvesting",
        "Criminal",
        "Sexual & Labour",
        "Sexual & Criminal",
        "Labour, Domestic & Criminal",
        "Sexual, Labour, Domestic & Criminal",
        "Not specified or unknown",
        "Total",
    ]


def test_an_other_exploitation_alone_is_not_specified_and_other_with_a_type_is_that_type(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-exploitation-type"], Filters(quarter(2025, 3)))
    assert [row.labels[0] for row in grid.rows] == [
        "Sexual & Labour",
        "Labour, Domestic & Criminal",
        "Not specified or unknown",
        "Total",
    ]
    grid = table_grid(TABLES_BY_KEY["referrals-by-exploitation-type"], Filters(quarter(2026, 4)))
    assert [row.labels[0] for row in grid.rows] == ["Sexual", "Labour", "Criminal", "Total"]


def test_nationalities_are_labelled_as_published_with_dual_nationals_together_and_unknown_last(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-nationality"], _everything())
    labels = [row.labels[0] for row in grid.rows]
    assert labels == [
        "Albanian",
        "British",
        "Eritrean Ethiopian",
        "Nigerian",
        "Polish",
        "Sudanese",
        "Vietnamese",
        "Vietnamese Chinese",
        "Unknown",
        "Total",
    ]


def test_genders_are_in_the_published_order_with_not_recorded_last(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-gender"], _everything())
    assert [row.labels[0] for row in grid.rows] == ["Female", "Male", "Other", "Not Recorded", "Total"]


def test_only_categories_that_occur_are_shown(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-gender"], Filters(quarter(2026, 3)))
    assert [row.labels[0] for row in grid.rows] == ["Female", "Male", "Other", "Total"]
    assert [column.labels for column in grid.columns] == [
        ("Adult (18 or over)",),
        ("Child (17 or under)",),
        ("Total",),
    ]


def test_the_first_responder_detail_nests_blocks_with_each_total_first(world):
    grid = table_grid(TABLES_BY_KEY["referrals-by-first-responder-detail"], Filters(quarter(2026, 2)))
    assert [(row.labels, row.is_total) for row in grid.rows] == [
        (("Government agency", "", "", ""), True),
        (("", "Domestic", "", ""), True),
        (("", "", "Adult (18 or over)", ""), True),
        (("", "", "", "Not Recorded"), False),
        (("Local Authority", "", "", ""), True),
        (("", "Labour", "", ""), True),
        (("", "", "Not specified or unknown", ""), True),
        (("", "", "", "Male"), False),
        (("Total", "", "", ""), True),
    ]
    assert [column.labels for column in grid.columns] == [("Albanian",), ("Polish",), ("Total",)]


def test_positive_rate_is_positive_over_all_decisions_issued_in_the_period(world):
    """Counted by the date the decision was served, not by when the case was referred."""
    decisions = [
        d for d in decision_records() if d["stage_code"] == "cg" and date(2026, 1, 1) <= d["date"] <= date(2026, 12, 31)
    ]
    positive = sum(1 for d in decisions if d["outcome"] == "Positive")
    assert len(decisions) >= 4
    assert 0 < positive < len(decisions)
    grid = table_grid(TABLES_BY_KEY["decisions-by-competent-authority"], Filters(calendar_year(2026)))
    stage_row = next(row for row in grid.rows if row.labels[0] == "Conclusive grounds")
    rate = stage_row.cells[[column.title for column in grid.columns].index("Positive rate")]
    assert rate.value == pytest.approx(positive / len(decisions))
    assert rate.shown == f"{round(100 * positive / len(decisions))}%"
    # The CG table's rate for each age group is that group's positive decisions over its decisions.
    grid = table_grid(TABLES_BY_KEY["conclusive-grounds-decisions"], Filters(calendar_year(2026)))
    adult = [d for d in decisions if d["age"] == AGES["adult"]]
    cells = dict(zip([column.labels for column in grid.columns], grid.rows[-1].cells, strict=True))
    assert cells[(AGES["adult"], "Positive rate")].value == pytest.approx(
        sum(1 for d in adult if d["outcome"] == "Positive") / len(adult)
    )


def test_a_competent_authoritys_figures_leave_out_the_other_authoritys(world):
    both = table_grid(TABLES_BY_KEY["referrals-by-gender"], _everything()).rows[-1].cells[-1].value
    sca = table_grid(TABLES_BY_KEY["referrals-by-gender"], Filters(_everything().period, authority_id=world.sca.pk))
    ieca = table_grid(TABLES_BY_KEY["referrals-by-gender"], Filters(_everything().period, authority_id=world.ieca.pk))
    assert sca.rows[-1].cells[-1].value + ieca.rows[-1].cells[-1].value == both
    assert ieca.rows[-1].cells[-1].value == 6


def test_the_seeded_world_covers_every_category(world):
    records = [r for r in referral_records() if not r["dtn"]]
    assert {r["age"] for r in records} == set(AGES.values())
    assert {r["gender"] for r in records} == set(GENDERS.values())
    assert {r["location"] for r in records} == set(LOCATIONS.values())
    assert {r["responder"] for r in records} == set(RESPONDERS.values())
    assert {r["nation"] for r in records} == {"england", "wales", "scotland", "northern_ireland"}
    assert {label for _, label in TYPES} <= {r["exploitation"] for r in records}
    assert {r["authority"] for r in records} == {world.sca.pk, world.ieca.pk}
    assert len({_quarter(r["date"]) for r in records}) >= 5
    decisions = decision_records()
    assert {(d["stage"], d["outcome"]) for d in decisions} == {
        (stage, outcome) for stage in STAGES.values() for outcome in OUTCOMES.values()
    }
    assert {x["state"] for x in reconsideration_records()} == {"Accepted", "Declined"}
    assert len(disqualification_records()) == 1


@pytest.mark.parametrize("key", COUNTED)
def test_suppressing_a_real_table_leaves_its_figures_and_hides_no_derivable_cell(world, key):
    from tests.insights.test_grid import hidden_cells_are_not_derivable

    filters = _everything()
    before = [[cell.value for cell in row.cells] for row in table_grid(TABLES_BY_KEY[key], filters).rows]
    grid = table_grid(TABLES_BY_KEY[key], filters).suppress(5)
    assert [[cell.value for cell in row.cells] for row in grid.rows] == before
    assert hidden_cells_are_not_derivable(grid) == []
    overall = [cell for column, cell in zip(grid.columns, grid.rows[-1].cells, strict=True) if column.kind == "count"]
    assert not overall[-1].suppressed
    for row in grid.rows:
        for column, cell in zip(grid.columns, row.cells, strict=True):
            if column.kind == "count" and 0 < cell.value < 5 and cell is not overall[-1]:
                assert cell.suppressed, (key, row.labels, column.labels)
            if column.kind == "count" and cell.value == 0:
                assert not cell.suppressed

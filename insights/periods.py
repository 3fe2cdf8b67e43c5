"""Periods the statistics are filtered by: a calendar quarter, a calendar year, a financial year (April to March)
or custom dates. Each is a closed range of dates in UK time."""

from dataclasses import dataclass
from datetime import date, timedelta

QUARTER_MONTHS = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    kind: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter(year: int, number: int) -> Period:
    start = date(year, 3 * number - 2, 1)
    end = (date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)) - timedelta(days=1)
    return Period(start, end, f"{QUARTER_MONTHS[number]} {year}", "quarter")


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"January to December {year}", "year")


def financial_year(starting: int) -> Period:
    return Period(
        date(starting, 4, 1),
        date(starting + 1, 3, 31),
        f"Financial year {starting} to {starting + 1}",
        "financial_year",
    )


def custom(start: date, end: date) -> Period:
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}", "custom")


def quarter_ends(period: Period) -> list[date]:
    """The last day of each calendar quarter that ends inside the period, and the period's own end."""
    ends = []
    day = period.start
    while day <= period.end:
        end = quarter(day.year, quarter_of(day)).end
        ends.append(min(end, period.end))
        day = end + timedelta(days=1)
    return ends

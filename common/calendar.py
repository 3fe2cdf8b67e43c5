"""Working days in England & Wales: weekdays that are not bank holidays (the `holidays` package's list).

Deadlines such as the Reasonable Grounds target (5 working days after referral) and the default due date of
an information request (10 working days) are computed here, once, and stored on the rows they belong to.
"""

from datetime import date, datetime, timedelta
from functools import cache
from typing import TypeVar

import holidays

Moment = TypeVar("Moment", date, datetime)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: Moment, days: int) -> Moment:
    """The moment `days` working days after `start`, at the same time of day.

    Day one is the first working day after the start's date, whatever day the start falls on: a referral
    made on Saturday or on Good Friday is due on the same day as one made on the Thursday before.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    moment = start
    remaining = days
    while remaining:
        moment += timedelta(days=1)
        if is_working_day(moment.date() if isinstance(moment, datetime) else moment):
            remaining -= 1
    return moment


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))

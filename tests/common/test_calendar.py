from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.calendar import add_working_days, is_working_day, working_days_between

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("holiday", "name"),
    [
        (date(2026, 4, 3), "Good Friday 2026"),
        (date(2026, 4, 6), "Easter Monday 2026"),
        (date(2026, 12, 25), "Christmas Day 2026"),
        (date(2026, 12, 28), "Boxing Day 2026, moved to Monday"),
        (date(2027, 3, 26), "Good Friday 2027"),
        (date(2027, 3, 29), "Easter Monday 2027"),
        (date(2027, 12, 27), "Christmas Day 2027, moved to Monday"),
        (date(2027, 12, 28), "Boxing Day 2027, moved to Tuesday"),
    ],
)
def test_england_and_wales_bank_holidays_are_not_working_days(holiday, name):
    assert not is_working_day(holiday), name


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 4, 1), 5, date(2026, 4, 10)),  # Wed, across Easter 2026: skips Fri 3 and Mon 6
        (date(2026, 4, 2), 5, date(2026, 4, 13)),
        (date(2026, 4, 3), 5, date(2026, 4, 13)),  # made on Good Friday: as if made the day before
        (date(2026, 4, 4), 5, date(2026, 4, 13)),  # made on Saturday
        (date(2026, 12, 23), 5, date(2027, 1, 4)),  # Christmas 2026: 24, 29, 30, 31 Dec, then 1 Jan is a holiday
        (date(2027, 3, 24), 5, date(2027, 4, 2)),  # Easter 2027
        (date(2027, 12, 22), 5, date(2027, 12, 31)),  # Christmas 2027: 23, 24, 29, 30, 31 Dec
        (date(2026, 11, 23), 10, date(2026, 12, 7)),  # an ordinary fortnight
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_working_days_are_counted_across_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_a_moment_keeps_its_time_of_day():
    submitted = datetime(2026, 4, 2, 16, 45, tzinfo=LONDON)
    assert add_working_days(submitted, 5) == datetime(2026, 4, 13, 16, 45, tzinfo=LONDON)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 1, 1), -1)


@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), days=st.integers(0, 40))
def test_adding_working_days_lands_on_a_working_day_that_far_away(start, days):
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days
    if days:
        assert is_working_day(due)

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


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Christmas Eve is not a bank holiday
        (date(2026, 12, 26), False),  # Boxing Day 2026, a Saturday: its substitute is Monday 28
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),
        (date(2027, 3, 25), True),  # the Thursday before Good Friday
        (date(2027, 12, 29), True),  # the first working day after Christmas 2027
        (date(2028, 1, 3), False),  # New Year's Day 2028 (a Saturday) moved to Monday
        (date(2026, 5, 4), False),  # the early May bank holiday
        (date(2026, 11, 30), True),  # St Andrew's Day is a holiday in Scotland, not in England and Wales
    ],
)
def test_working_days_are_england_and_wales_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 12, 25), 1, date(2026, 12, 29)),  # from Christmas Day: Boxing Day's substitute is skipped too
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        (date(2027, 12, 31), 1, date(2028, 1, 4)),
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        (date(2026, 4, 1), 10, date(2026, 4, 17)),  # the default due date of an information request at Easter
        (date(2026, 12, 21), 10, date(2027, 1, 7)),
        (date(2027, 12, 20), 10, date(2028, 1, 6)),
    ],
)
def test_counting_starts_the_day_after_and_skips_every_holiday_of_both_years(start, days, due):
    assert add_working_days(start, days) == due


@pytest.mark.parametrize(
    ("start", "end", "between"),
    [
        (date(2026, 12, 24), date(2027, 1, 4), 4),  # 29, 30, 31 December and 4 January
        (date(2027, 12, 23), date(2028, 1, 4), 5),  # 24, 29, 30, 31 December and 4 January
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # only Tuesday 7 April after Easter 2026
        (date(2026, 4, 7), date(2026, 4, 2), -1),
        (date(2026, 4, 3), date(2026, 4, 3), 0),
    ],
)
def test_working_days_between_two_dates(start, end, between):
    assert working_days_between(start, end) == between


def test_the_time_of_day_is_kept_in_london_when_the_clocks_change():
    # Clocks go back on Sunday 25 October 2026 and forward on Sunday 28 March 2027.
    autumn = datetime(2026, 10, 23, 9, 0, tzinfo=LONDON)
    assert add_working_days(autumn, 1) == datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
    assert add_working_days(autumn, 1).utcoffset().total_seconds() == 0
    spring = datetime(2027, 3, 25, 9, 0, tzinfo=LONDON)  # and Easter 2027 straight after
    assert add_working_days(spring, 1) == datetime(2027, 3, 30, 9, 0, tzinfo=LONDON)
    assert add_working_days(spring, 1).utcoffset().total_seconds() == 3600

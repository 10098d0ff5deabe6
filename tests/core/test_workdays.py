"""Working days in England and Wales (lotus/core/workdays.py): property and known-date tests."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date

#: England and Wales bank holidays, copied from gov.uk rather than from the library.
BANK_HOLIDAYS = {
    # 2023, with the coronation of King Charles III
    D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
    D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26),
    # 2026
    D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
    D(2026, 12, 25), D(2026, 12, 28),
    # 2027
    D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
    D(2027, 12, 27), D(2027, 12, 28),
}

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))
working_dates = dates.filter(is_working_day)
day_counts = st.integers(min_value=0, max_value=400)
#: A narrower span for counting between two arbitrary dates, which walks every day.
nearby_dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 12, 31))


# ---------------------------------------------------------------------------
# Known dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", sorted(BANK_HOLIDAYS))
def test_bank_holidays_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 31), D(2027, 1, 4), D(2026, 4, 2), D(2026, 4, 7)],
)
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 11, 28))  # Saturday
    assert not is_working_day(D(2026, 11, 29))  # Sunday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Christmas 2026: Christmas Day is a Friday, Boxing Day (Saturday) is observed on Monday 28th.
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2026, 12, 24), 0, D(2026, 12, 24)),
        (D(2026, 12, 23), 2, D(2026, 12, 29)),
        (D(2026, 12, 29), -1, D(2026, 12, 24)),
        # A concern received on Friday 18 December 2026: triage is due 10 working days later,
        # skipping Christmas, Boxing Day (observed) and New Year's Day 2027.
        (D(2026, 12, 18), 10, D(2027, 1, 6)),
        # Christmas 2027 falls at a weekend: both holidays move to Monday 27th and Tuesday 28th.
        (D(2027, 12, 24), 1, D(2027, 12, 29)),
        # Easter 2026.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        # The coronation bank holiday, Monday 8 May 2023.
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        # An ordinary week.
        (D(2026, 11, 23), 5, D(2026, 11, 30)),
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # from a Saturday
    ],
)
def test_add_working_days_on_known_dates(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between_known_dates():
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    assert working_days_between(D(2026, 12, 18), D(2027, 1, 6)) == 10
    assert working_days_between(D(2027, 1, 6), D(2026, 12, 18)) == -10
    assert working_days_between(D(2026, 12, 25), D(2026, 12, 28)) == 0
    # 2026: 365 days, 104 weekend days, 8 weekday bank holidays
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 365 - 104 - 8


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@settings(deadline=None)
@given(dates, day_counts)
def test_counting_forwards_round_trips(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert end >= start


@settings(deadline=None)
@given(working_dates, day_counts)
def test_counting_backwards_from_a_working_day_round_trips(start, days):
    end = add_working_days(start, -days)
    assert working_days_between(start, end) == -days
    assert end <= start


@settings(deadline=None)
@given(dates, day_counts.filter(bool), st.booleans())
def test_results_are_never_weekends_or_bank_holidays(start, days, backwards):
    end = add_working_days(start, -days if backwards else days)
    assert end.weekday() < 5
    assert end not in BANK_HOLIDAYS
    assert is_working_day(end)


@settings(deadline=None)
@given(dates, st.integers(min_value=0, max_value=200))
def test_each_extra_working_day_moves_the_date_later(start, days):
    assert add_working_days(start, days + 1) > add_working_days(start, days)
    # never more than a week and a half for one working day, even over Christmas
    assert (add_working_days(start, days + 1) - add_working_days(start, days)).days <= 10


@settings(deadline=None)
@given(nearby_dates, nearby_dates)
def test_working_days_between_is_antisymmetric_and_bounded(a, b):
    forwards = working_days_between(a, b)
    assert working_days_between(b, a) == -forwards
    assert abs(forwards) <= abs((b - a).days)


@settings(deadline=None)
@given(nearby_dates, nearby_dates, nearby_dates)
def test_working_days_between_adds_up(a, b, c):
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)


@settings(deadline=None)
@given(dates)
def test_a_full_week_has_at_most_five_working_days(start):
    count = working_days_between(start, start + dt.timedelta(days=7))
    assert 5 - 2 <= count <= 5  # at most two bank holidays fall in any seven days

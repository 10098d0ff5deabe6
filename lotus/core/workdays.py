"""Working days in England and Wales: weekdays that are not bank holidays.

Pure: no Django import. Service levels (triage within 10 working days of receipt, and
so on) are counted with these functions.
"""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before it, if negative)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start).

    Counted arithmetically (any 7 days in a row hold 5 weekdays), then less the bank
    holidays that fall on weekdays in the range, so a long wait costs no more to count
    than a short one (the triage queue counts one per case on the page).
    """
    if end < start:
        return -working_days_between(end, start)
    full_weeks, extra = divmod((end - start).days, 7)
    count = full_weeks * 5
    week_end = start + dt.timedelta(days=full_weeks * 7)
    count += sum(1 for offset in range(1, extra + 1) if (week_end + dt.timedelta(days=offset)).weekday() < 5)
    for year in range(start.year, end.year + 1):
        count -= sum(1 for day in _bank_holidays(year) if start < day <= end and day.weekday() < 5)
    return count

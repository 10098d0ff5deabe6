"""Calendar quarters, and the period a person asks for in words. Pure: no Django import.

Quarters are calendar quarters: Q1 is January to March. A period is typed as a quarter
("2025 Q1", "Q1 2025", "2025-q1") or a year ("2025": from its first quarter, or to its
last).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: The longest period one page shows, so that its tables stay readable.
MAX_QUARTERS = 12
EARLIEST_YEAR = 2000

_QUARTER = re.compile(r"^\s*(?:(\d{4})\s*[-/ ]?\s*q\s*([1-4])|q\s*([1-4])\s*[-/ ]?\s*(\d{4}))\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_MONTHS = ("January", "April", "July", "October")
_LAST_MONTHS = ("March", "June", "September", "December")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValueError("a quarter is numbered 1 to 4")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def months(self) -> str:
        return f"{_MONTHS[self.number - 1]} to {_LAST_MONTHS[self.number - 1]} {self.year}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return self.following().first_day - dt.timedelta(days=1)

    def following(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def minus(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 - quarters
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return self.label


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    found = []
    current = first
    while current <= last:
        found.append(current)
        current = current.following()
    return found


class PeriodError(ValueError):
    """A period that cannot be used; `field` is "start" or "end"."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_quarter(text: str, *, field: str) -> Quarter:
    """A quarter from what was typed. A year alone means its first quarter at the start
    of a period and its last at the end."""
    words = "start" if field == "start" else "end"
    example = "2025 Q1" if field == "start" else "2025 Q4"
    text = (text or "").strip()
    if not text:
        raise PeriodError(field, f"Enter the {words} of the period, like {example}")
    if len(text) > 20:
        raise PeriodError(field, f"Enter the {words} of the period as a quarter, like {example}, or a year, like 2025")
    match = _QUARTER.match(text)
    if match:
        year = int(match.group(1) or match.group(4))
        number = int(match.group(2) or match.group(3))
    else:
        year_only = _YEAR.match(text)
        if not year_only:
            raise PeriodError(
                field, f"Enter the {words} of the period as a quarter, like {example}, or a year, like 2025"
            )
        year = int(year_only.group(1))
        number = 1 if field == "start" else 4
    if year < EARLIEST_YEAR:
        raise PeriodError(field, f"Enter a year from {EARLIEST_YEAR} for the {words} of the period")
    return Quarter(year, number)


@dataclass(frozen=True)
class Period:
    first: Quarter
    last: Quarter

    @property
    def quarters(self) -> list[Quarter]:
        return quarters_between(self.first, self.last)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label} to {self.last.label}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first.year, self.last.year + 1))

    def whole_years(self, current: Quarter) -> Period:
        """The calendar years this period touches, from the first quarter of the first to
        the last of the last, or to `current` (this quarter) if that comes sooner."""
        return Period(Quarter(self.first.year, 1), min(Quarter(self.last.year, 4), current))

    @classmethod
    def year(cls, year: int, current: Quarter) -> Period:
        """One calendar year: its four quarters, or those up to `current` in this year."""
        if Quarter(year, 1) > current:
            raise ValueError("that year has not started")
        return cls(Quarter(year, 1), min(Quarter(year, 4), current))

    @property
    def span(self) -> str:
        """In months: "January 2025 to December 2025"."""
        return (f"{_MONTHS[self.first.number - 1]} {self.first.year} to "
                f"{_LAST_MONTHS[self.last.number - 1]} {self.last.year}")


def year_label(year: int, current: Quarter) -> str:
    """A year's column heading: "2025", or "2026 to date" while it is still running."""
    if year == current.year and current.number < 4:
        return f"{year} to date"
    return str(year)


def default_period(today: dt.date, *, quarters: int = 4) -> Period:
    """The last `quarters` quarters, this one included."""
    last = Quarter.of(today)
    return Period(last.minus(quarters - 1), last)


BY_QUARTER = "quarter"
BY_YEAR = "year"
GROUPINGS = (BY_QUARTER, BY_YEAR)


def parse_period(start: str, end: str, *, today: dt.date,
                 by: str = BY_QUARTER) -> tuple[Period | None, list[PeriodError]]:
    """The period from the two boxes, or every problem with them (each naming its box).

    A year typed alone at the end means its last quarter, or this quarter for this year.
    Shown by year (`by`), the period runs over whole years: from the first quarter of the
    start's year to the last of the end's (or to this quarter)."""
    errors = []
    first = last = None
    now = Quarter.of(today)
    try:
        first = parse_quarter(start, field="start")
    except PeriodError as error:
        errors.append(error)
    try:
        last = parse_quarter(end, field="end")
    except PeriodError as error:
        errors.append(error)
    else:
        if _YEAR.match(end or "") and last.year == now.year:
            last = now  # this year, so far
    if by == BY_YEAR:
        first = None if first is None else Quarter(first.year, 1)
        last = None if last is None else min(Quarter(last.year, 4), max(now, Quarter(last.year, 1)))
    if first is not None and first > now:
        errors.append(PeriodError("start", f"The start of the period must be this quarter ({now.label}) or earlier"))
        first = None
    if last is not None and last > now:
        errors.append(PeriodError("end", f"The end of the period must be this quarter ({now.label}) or earlier"))
        last = None
    if first is not None and last is not None:
        if last < first:
            errors.append(PeriodError("end", "The end of the period must be the same as or after the start"))
        elif len(quarters_between(first, last)) > MAX_QUARTERS:
            errors.append(PeriodError(
                "end", f"Choose a period of {MAX_QUARTERS} quarters ({MAX_QUARTERS // 4} years) or less"
            ))
    if errors:
        return None, errors
    return Period(first, last), []

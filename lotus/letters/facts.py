"""Facts in a letter, checked against the record. Pure: no Django import.

A letter is merged from the record when it is drafted, and then edited by hand. Before it
is approved or sent, the facts it states are read back and compared with the record: the
case reference, the letter's date, the date the panel met, the review date, and whether it
asks for consent. Each one that does not match is named, so the writer knows what to fix;
lotus.letters.services refuses to approve or send the letter until it matches.
"""

import datetime as dt
import re
from dataclasses import dataclass

from lotus.letters.defaults import outcome_words
from lotus.letters.readability import DATE, body_paragraphs, sentences

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_REFERENCE_LINE = re.compile(r"^\s*our reference\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_DATE_LINE = re.compile(r"^\s*date\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_MET_ON = re.compile(r"\b(met|meeting|meets|meet)\b(?:(?![.!?]).){0,60}?\bon\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """What the record says. `outcomes` is None for a letter that is not about a decision."""

    case_reference: str
    meeting_date: dt.date | None = None
    next_review_on: dt.date | None = None
    outcomes: tuple[str, ...] | None = None


def nhs_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1].capitalize()} {day.year}"


def parse_date(text: str, *, default_year: int | None = None) -> dt.date | None:
    """A date written as "9 December 2026" or "9/12/2026"; None if it is not a real date."""
    match = DATE.search(text or "")
    if match is None:
        return None
    try:
        if match.group(1):
            year = int(match.group(3)) if match.group(3) else default_year
            if year is None:
                return None
            return dt.date(year, MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
        day, month, year = (int(part) for part in match.group(0).split("/"))
        return dt.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _dates_in(sentence: str, default_year: int | None) -> list[tuple[int, dt.date]]:
    found = []
    for match in DATE.finditer(sentence):
        day = parse_date(match.group(0), default_year=default_year)
        if day is not None:
            found.append((match.start(), day))
    return found


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text.lower()) is not None


def record_problems(text: str, record: Record) -> list[str]:
    """Each fact in the letter that contradicts the record, named in words for the writer."""
    problems: list[str] = []
    reference = _REFERENCE_LINE.search(text or "")
    if reference and reference.group(1).strip(".,") != record.case_reference:
        problems.append(
            f"The case reference: the letter says {reference.group(1)}, but this case is {record.case_reference}"
        )
    dated_line = _DATE_LINE.search(text or "")
    letter_date = parse_date(dated_line.group(1)) if dated_line else None
    default_year = (record.meeting_date or letter_date or dt.date.today()).year
    if letter_date and record.meeting_date and letter_date < record.meeting_date:
        problems.append(
            f"The letter's date: it is dated {nhs_date(letter_date)}, before the panel met on "
            f"{nhs_date(record.meeting_date)}"
        )
    body = "\n\n".join(body_paragraphs(text))
    words = outcome_words()
    for sentence in sentences(body):
        for start, day in _dates_in(sentence, default_year):
            if not _MET_ON.search(sentence[:start]):
                continue
            if record.meeting_date and day != record.meeting_date:
                problems.append(
                    f"The meeting date: the letter says the panel met on {nhs_date(day)}, but the meeting was on "
                    f"{nhs_date(record.meeting_date)}"
                )
            elif letter_date and day > letter_date:
                problems.append(
                    f"The meeting date: the letter says the panel met on {nhs_date(day)}, after the letter's own date "
                    f"of {nhs_date(letter_date)}"
                )
        if record.outcomes is None:
            continue
        review_phrase = next((phrase for phrase in words.review_words if _has(sentence, phrase)), None)
        if review_phrase:
            if record.next_review_on is None:
                problems.append(
                    f"The review: the letter says the panel will “{review_phrase}”, but no review date is recorded"
                )
            else:
                for _start, day in _dates_in(sentence, default_year):
                    if day != record.next_review_on:
                        problems.append(
                            f"The review date: the letter says {nhs_date(day)}, but the review date recorded is "
                            f"{nhs_date(record.next_review_on)}"
                        )
    if record.outcomes is not None and "occupational_health" not in record.outcomes:
        consent = next((phrase for phrase in words.consent_words if _has(body, phrase)), None)
        if consent:
            problems.append(
                f"Consent: the letter asks for “{consent}”, but the panel did not decide on an occupational "
                "health assessment"
            )
    return list(dict.fromkeys(problems))

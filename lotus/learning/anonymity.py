"""Finding what would identify a practitioner in a learning summary before it is shared.

A summary for the learning library must not hold the practitioner's name, the case
reference (or the practitioner's registration number), or any date closer than the
month. This module finds each such mention, with where it is, so the person approving
the summary can be told exactly what to take out. Pure: no Django import, so it can be
read and property-tested on its own (tests/learning/test_anonymity.py).

It errs on the side of finding too much: a practitioner called Will Hope stops a
summary that says "Will" with a capital letter, and the approver is told to reword it.
Lower-case words are never taken for a one-word part of a name ("will", "hope"), but
the whole name is found in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words in a name that say nothing about who it is.
HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev"})

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_NAMES = "|".join(
    sorted({name for month in MONTHS for name in (month, month[:3], "sept")}, key=len, reverse=True)
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"

#: Dates closer than the month: 3 March 2026, 3rd of March, March 3, 03/03/2026, 2026-03-03.
DATE_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?:{_MONTH_NAMES})\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_MONTH_NAMES})\.?\s+{_DAY}\b(?!\s*[:.]\d)(?!\d)", re.IGNORECASE),
    re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"),
    re.compile(r"\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"),
)


class Kind:
    NAME = "name"
    REFERENCE = "reference"
    DATE = "date"


@dataclass(frozen=True)
class Mention:
    """Something in the text that identifies the practitioner or the day."""

    kind: str
    text: str
    start: int
    end: int


def name_parts(full_name: str) -> list[str]:
    """The parts of a name worth looking for on their own: each word and each half of a
    hyphenated word, two characters or more with a letter among them, honorifics left out."""
    parts: list[str] = []
    for word in re.split(r"\s+", full_name.strip()):
        word = word.strip(".,")
        pieces = [word, *word.split("-")] if "-" in word else [word]
        for piece in pieces:
            if (
                len(piece) >= 2 and any(ch.isalpha() for ch in piece)
                and piece.lower().strip(".") not in HONORIFICS and piece not in parts
            ):
                parts.append(piece)
    return parts


def _whole_names(full_name: str) -> list[str]:
    """The name as given and, if it starts with honorifics, without them ("Dr Jo
    Bloggs" is also written "Jo Bloggs")."""
    words = full_name.split()
    while words and words[0].lower().strip(".") in HONORIFICS:
        words.pop(0)
    bare = " ".join(words)
    wholes = [" ".join(full_name.split())]
    if bare and bare not in wholes:
        wholes.append(bare)
    return wholes


def _word_pattern(text: str, *, ignore_case: bool) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(text)}(?![\w])", re.IGNORECASE if ignore_case else 0)


def _reference_pattern(reference: str) -> re.Pattern:
    """A reference such as LOT-2026-00042, also when typed with spaces or without the
    dashes, in any case."""
    pieces = [re.escape(piece) for piece in re.split(r"[\s\-_/]+", reference.strip()) if piece]
    return re.compile(r"(?<![\w])" + r"[\s\-_/]?".join(pieces) + r"(?![\w])", re.IGNORECASE)


def find_mentions(text: str, *, names: list[str] = (), references: list[str] = ()) -> list[Mention]:
    """Every mention in `text` of one of `names` (whole, in any case; or a part of it,
    capitalised as a name is), of one of `references`, or of a date closer than the
    month. Sorted by where they start; overlapping finds are kept once (the longest)."""
    found: list[Mention] = []
    for full_name in names:
        if not full_name or not full_name.strip():
            continue
        for whole in _whole_names(full_name):
            found.extend(_matches(Kind.NAME, _word_pattern(whole, ignore_case=True), text))
        for part in name_parts(full_name):
            # A part is found as a name is written (capital first letter, or all capitals),
            # so that "will" and "hope" in ordinary sentences are left alone.
            found.extend(
                mention for mention in _matches(Kind.NAME, _word_pattern(part, ignore_case=True), text)
                if mention.text[0].isupper()
            )
    for reference in references:
        if reference and reference.strip():
            found.extend(_matches(Kind.REFERENCE, _reference_pattern(reference), text))
    for pattern in DATE_PATTERNS:
        found.extend(_matches(Kind.DATE, pattern, text))
    return _without_overlaps(found)


def _matches(kind: str, pattern: re.Pattern, text: str) -> list[Mention]:
    return [Mention(kind, match.group(0), match.start(), match.end()) for match in pattern.finditer(text)]


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


KIND_WORDS = {
    Kind.NAME: "the practitioner's name",
    Kind.REFERENCE: "the case reference or registration number",
    Kind.DATE: "a date closer than the month",
}


def describe(mentions: list[Mention]) -> str:
    """'the practitioner's name ("Jo Bloggs") and a date closer than the month ("3 March")'."""
    by_kind: dict[str, list[str]] = {}
    for mention in mentions:
        shown = by_kind.setdefault(mention.kind, [])
        if mention.text not in shown:
            shown.append(mention.text)
    phrases = [
        f"{KIND_WORDS[kind]} ({', '.join(chr(34) + text + chr(34) for text in texts)})"
        for kind in (Kind.NAME, Kind.REFERENCE, Kind.DATE)
        if (texts := by_kind.get(kind))
    ]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]

"""Scoring for the toolkit's self-assessments. Pure: no Django import.

Every instrument is a list of statements, each belonging to one dimension, answered on a
scale from 1 to 5. The arithmetic is deliberately simple so that a leader can check it by
hand, and the result page shows it openly:

- a dimension's score is the average of its answers, from 1 to 5, to one decimal place;
- a dimension counts as *strong* when its score is 3.5 or more (on average, more often
  than "sometimes");
- what the scores mean depends on the kind of instrument: a profile (strongest and
  weakest dimension), a two-by-two matrix (which quadrant), stages that build on each
  other (the highest stage reached with every stage below it), a scale (the nearest
  point on it) or signs (how many are frequent, and whether to signpost support).

Nothing here is a diagnosis or a test: the results are prompts for reflection.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SCALE_LOW = 1
SCALE_HIGH = 5
#: An average at or above this counts as strong (more often than "sometimes").
STRONG_AT = 3.5
#: An answer at or above this counts as frequent ("often" or "very often").
FREQUENT_AT = 4


class Kind(StrEnum):
    PROFILE = "profile"
    MATRIX = "matrix"
    STAGES = "stages"
    SCALE = "scale"
    SIGNS = "signs"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    dimension: str
    #: For signs: an answer of FREQUENT_AT or more on this item always signposts support.
    urgent: bool = False


@dataclass(frozen=True)
class Instrument:
    slug: str
    title: str
    kind: Kind
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    scale_labels: tuple[str, ...]
    #: For a matrix: (x dimension, y dimension) and the quadrant keys, in the order
    #: (low x low y, high x low y, low x high y, high x high y).
    axes: tuple[str, str] | None = None
    quadrants: tuple[str, str, str, str] | None = None
    #: For a scale: the names of its points from lowest to highest (one per scale value).
    points: tuple[str, ...] = ()
    #: Dimensions reported separately from the main result (e.g. the ABC needs).
    secondary: tuple[str, ...] = ()

    def dimension(self, key: str) -> Dimension:
        return next(d for d in self.dimensions if d.key == key)

    def items_for(self, dimension: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == dimension)


@dataclass(frozen=True)
class AnswerProblems:
    missing: tuple[str, ...] = ()
    out_of_range: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not (self.missing or self.out_of_range or self.unknown)


@dataclass(frozen=True)
class Result:
    """What an instrument's answers add up to."""

    scores: dict[str, float]
    headline: str
    strongest: str = ""
    weakest: str = ""
    strong: tuple[str, ...] = ()
    frequent: tuple[str, ...] = ()
    signpost: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "scores": dict(self.scores),
            "headline": self.headline,
            "strongest": self.strongest,
            "weakest": self.weakest,
            "strong": list(self.strong),
            "frequent": list(self.frequent),
            "signpost": self.signpost,
            "extra": dict(self.extra),
        }


def one_decimal(value: float) -> float:
    """Round to one decimal place, halves upwards (1.25 -> 1.3), as people do by hand."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def as_answer(value) -> int | None:
    """An answer as a whole number, or None if it is not one (text, 2.5, True, NaN)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    return None


def check_answers(instrument: Instrument, answers: Mapping[str, object]) -> AnswerProblems:
    """Which items are unanswered, which answers are outside 1–5, and any unknown keys."""
    known = {item.key for item in instrument.items}
    missing, out_of_range = [], []
    for item in instrument.items:
        raw = answers.get(item.key)
        if raw is None or raw == "":
            missing.append(item.key)
            continue
        value = as_answer(raw)
        if value is None or not SCALE_LOW <= value <= SCALE_HIGH:
            out_of_range.append(item.key)
    unknown = tuple(sorted(str(key) for key in answers if key not in known))
    return AnswerProblems(tuple(missing), tuple(out_of_range), unknown)


def clean_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """The valid answers only, as whole numbers (for saving a draft)."""
    cleaned = {}
    for item in instrument.items:
        value = as_answer(answers.get(item.key))
        if value is not None and SCALE_LOW <= value <= SCALE_HIGH:
            cleaned[item.key] = value
    return cleaned


def dimension_scores(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, float]:
    """The average answer per dimension, to one decimal place."""
    scores = {}
    for dimension in instrument.dimensions:
        values = [answers[item.key] for item in instrument.items_for(dimension.key)]
        scores[dimension.key] = one_decimal(sum(values) / len(values))
    return scores


def score(instrument: Instrument, answers: Mapping[str, object]) -> Result:
    """Score a complete set of answers. Raises ValueError if any answer is missing or bad."""
    problems = check_answers(instrument, answers)
    if not problems.complete:
        raise ValueError("Every item needs an answer from 1 to 5 before scoring")
    values = clean_answers(instrument, answers)
    scores = dimension_scores(instrument, values)
    main = [d.key for d in instrument.dimensions if d.key not in instrument.secondary]
    strong = tuple(key for key in main if scores[key] >= STRONG_AT)
    # Ties go to the dimension listed first, so the same answers always give the same result.
    strongest = max(main, key=lambda key: (scores[key], -main.index(key)))
    weakest = min(main, key=lambda key: (scores[key], main.index(key)))
    extra: dict[str, str] = {}
    signpost = False
    frequent: tuple[str, ...] = ()
    if instrument.kind is Kind.PROFILE:
        headline = strongest
    elif instrument.kind is Kind.MATRIX:
        headline = quadrant(instrument, scores)
    elif instrument.kind is Kind.STAGES:
        headline = stage_reached(main, scores)
        if instrument.secondary:
            extra["lowest_need"] = min(
                instrument.secondary, key=lambda key: (scores[key], instrument.secondary.index(key))
            )
    elif instrument.kind is Kind.SCALE:
        overall = one_decimal(sum(values.values()) / len(values))
        extra["overall"] = f"{overall:.1f}"
        headline = scale_point(instrument, overall)
    else:  # signs
        frequent = tuple(item.key for item in instrument.items if values[item.key] >= FREQUENT_AT)
        urgent = any(item.urgent and values[item.key] >= FREQUENT_AT for item in instrument.items)
        headline = signs_level(len(frequent), len(instrument.items))
        signpost = urgent or headline == "many"
    return Result(scores, headline, strongest, weakest, strong, frequent, signpost, extra)


def quadrant(instrument: Instrument, scores: Mapping[str, float]) -> str:
    assert instrument.axes and instrument.quadrants
    x_key, y_key = instrument.axes
    high_x, high_y = scores[x_key] >= STRONG_AT, scores[y_key] >= STRONG_AT
    return instrument.quadrants[int(high_x) + 2 * int(high_y)]


def stage_reached(stages: Sequence[str], scores: Mapping[str, float]) -> str:
    """The highest stage whose score, and every earlier stage's, is strong; else ''.

    The stages build on each other (Clark, 2020): a team cannot have challenger safety
    without the three below it, so a strong later stage on top of a weak earlier one does
    not count.
    """
    reached = ""
    for stage in stages:
        if scores[stage] < STRONG_AT:
            break
        reached = stage
    return reached


def scale_point(instrument: Instrument, overall: float) -> str:
    """The nearest named point on the scale to the overall average (halves round up)."""
    index = math.floor(overall + 0.5) - SCALE_LOW
    index = max(0, min(len(instrument.points) - 1, index))
    return instrument.points[index]


def signs_level(frequent: int, total: int) -> str:
    """'few' (none or one frequent sign), 'some' (up to a third), 'many' (more)."""
    if frequent <= 1:
        return "few"
    if frequent * 3 <= total:
        return "some"
    return "many"


def change_since(previous: Mapping[str, float] | None, current: Mapping[str, float]) -> dict[str, float]:
    """Per dimension, the current score minus the previous one (only dimensions in both)."""
    if not previous:
        return {}
    return {key: one_decimal(current[key] - previous[key]) for key in current if key in previous}


def aggregate(responses: Sequence[Mapping[str, float]], keys: Sequence[str]) -> dict[str, float]:
    """The average of many people's dimension scores, to one decimal place."""
    if not responses:
        return {}
    return {key: one_decimal(sum(r[key] for r in responses) / len(responses)) for key in keys}


def enough_responses(count: int, minimum: int) -> bool:
    """Whether a team's answers may be shown together. Never fewer than 3, whatever the setting."""
    return count >= max(3, minimum)


def streak(days: Sequence, today) -> int:
    """How many days in a row, ending today (or yesterday, if today is not done yet), are ticked.

    `days` are dates (any order, duplicates allowed); `today` a date. Yesterday counts as
    the end of a streak so that a streak is not shown as broken before the day is over.
    """
    ticked = set(days)
    one = _one_day(today)
    cursor = today if today in ticked else today - one
    count = 0
    while cursor in ticked:
        count += 1
        cursor -= one
    return count


def longest_streak(days: Sequence) -> int:
    ticked = sorted(set(days))
    if not ticked:
        return 0
    one = _one_day(ticked[0])
    best = run = 1
    for before, after in zip(ticked, ticked[1:], strict=False):
        run = run + 1 if after - before == one else 1
        best = max(best, run)
    return best


def _one_day(day):
    return dt.timedelta(days=1) if isinstance(day, dt.date) else 1

"""Geometry for the toolkit's SVG charts. Pure: no Django import.

Templates draw what these return; each chart also has a text equivalent (a table or a
sentence) on the page, so nothing is said by the picture alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lotus.toolkit.scoring import SCALE_HIGH, SCALE_LOW, STRONG_AT

BAR_LEFT = 170  # room for the labels
BAR_WIDTH = 300
BAR_HEIGHT = 22
BAR_GAP = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    previous_x: float | None


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int
    left: int
    width: int
    ticks: tuple[tuple[int, float], ...]  # (value, x)
    strong_x: float


def _x(value: float) -> float:
    return round(BAR_LEFT + (value - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW) * BAR_WIDTH, 1)


def bar_chart(
    labels: Sequence[tuple[str, str]], scores: Mapping[str, float], previous: Mapping[str, float] | None = None
) -> BarChart:
    """Horizontal bars from 1 to 5, one per (key, label); a marker for the previous score."""
    bars = []
    for index, (key, label) in enumerate(labels):
        value = scores[key]
        before = (previous or {}).get(key)
        bars.append(
            Bar(
                label=label,
                value=value,
                y=10 + index * (BAR_HEIGHT + BAR_GAP),
                width=round(_x(value) - BAR_LEFT, 1),
                previous_x=_x(before) if before is not None else None,
            )
        )
    height = 10 + len(bars) * (BAR_HEIGHT + BAR_GAP) + 24
    ticks = tuple((value, _x(value)) for value in range(SCALE_LOW, SCALE_HIGH + 1))
    return BarChart(tuple(bars), height, BAR_LEFT, BAR_WIDTH, ticks, _x(STRONG_AT))


MATRIX_SIZE = 320
MATRIX_MARGIN = 44
MATRIX_PAD = 16  # keeps a dot at 1 or 5 off the edge


@dataclass(frozen=True)
class MatrixPoint:
    x: float
    y: float
    size: int
    margin: int
    middle: float


def _along(value: float) -> float:
    """Where a score falls along one side of the grid: 1 to 3.5 fill the first half, 3.5 to
    5 the second, so the halves match the quadrants (weak, strong) whatever the threshold."""
    half = MATRIX_SIZE / 2 - MATRIX_PAD
    if value < STRONG_AT:
        share = (value - SCALE_LOW) / (STRONG_AT - SCALE_LOW)
        return MATRIX_PAD + share * half
    share = (value - STRONG_AT) / (SCALE_HIGH - STRONG_AT)
    return MATRIX_SIZE / 2 + share * half


def matrix_point(x_value: float, y_value: float) -> MatrixPoint:
    """Where a pair of scores (1–5 each) sits on a square grid split at STRONG_AT."""
    return MatrixPoint(
        x=round(MATRIX_MARGIN + _along(x_value), 1),
        y=round(MATRIX_MARGIN + MATRIX_SIZE - _along(y_value), 1),
        size=MATRIX_SIZE,
        margin=MATRIX_MARGIN,
        middle=MATRIX_SIZE / 2,
    )


def two_lines(text: str, width: int = 16) -> tuple[str, ...]:
    """Split a label into at most two lines of about `width` characters, at spaces."""
    if len(text) <= width or " " not in text:
        return (text,)
    words = text.split()
    best = min(range(1, len(words)), key=lambda n: abs(len(" ".join(words[:n])) - len(" ".join(words[n:]))))
    return (" ".join(words[:best]), " ".join(words[best:]))

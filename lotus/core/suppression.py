"""Small-number suppression for every aggregate figure. Pure: no Django import.

A figure (a count, a rate, an average) is shown only when at least `threshold` distinct
people contributed to it; otherwise the page shows that it is hidden and why. What
counts is people, not rows: one leader who wrote twenty reflections is one contributor,
so "20 reflections" is hidden exactly as "1 leader" is, because both describe one person.

This lives in `core`, not in `insights.stats` where DESIGN.md puts the statistics,
because the leadership toolkit (which may depend only on `core` and `accounts`) must use
it too; `lotus.insights.stats` re-exports it, so every aggregate uses this one function.

The threshold defaults to 8 (DESIGN.md: counts of 1 to 7 are never shown to anyone who
sees aggregates). A caller may ask for a higher one, never a lower one.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Fewer contributors than this and a figure is hidden.
SUPPRESSION_THRESHOLD = 8
#: No caller, setting or tampered value can go below this.
MINIMUM_THRESHOLD = SUPPRESSION_THRESHOLD


@dataclass(frozen=True)
class Figure:
    """A figure ready to show: the value, or None and the reason it is hidden."""

    value: int | float | None
    contributors: int
    threshold: int
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        return f"Not shown ({self.reason})" if self.suppressed else str(self.value)

    def __str__(self) -> str:
        return self.text


def figure_shown(value: int | float, *, contributors: int, threshold: int = SUPPRESSION_THRESHOLD) -> Figure:
    """Whether `value` may be shown, from how many distinct people contributed to it.

    - no contributors: the figure is about nobody and is shown (it must then be zero);
    - 1 to threshold - 1 contributors: hidden, with the reason;
    - threshold or more: shown as it is.
    """
    if isinstance(contributors, bool) or not isinstance(contributors, int):
        raise TypeError("contributors must be a whole number of people")
    if contributors < 0:
        raise ValueError("the number of contributors cannot be negative")
    threshold = max(int(threshold), MINIMUM_THRESHOLD)
    if contributors == 0:
        if value:
            raise ValueError("a figure nobody contributed to must be zero")
        return Figure(value=value, contributors=0, threshold=threshold)
    if contributors < threshold:
        return Figure(value=None, contributors=contributors, threshold=threshold,
                      reason=f"fewer than {threshold} people")
    return Figure(value=value, contributors=contributors, threshold=threshold)


def people_shown(people: int, *, threshold: int = SUPPRESSION_THRESHOLD) -> Figure:
    """A count of people, each of whom contributed to the count itself."""
    return figure_shown(people, contributors=people, threshold=threshold)

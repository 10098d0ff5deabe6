"""Agreement statistics for paired ratings, relative likelihood with its confidence
interval, and small-number suppression. Pure: no Django import.

`weighted_kappa` is Cohen's kappa with disagreement weights (Cohen 1968): 1 minus the
ratio of the weighted disagreement observed to the weighted disagreement expected if the
two raters were independent with the same marginal totals. Categories are ordinal; the
weight of a disagreement grows with the distance between category positions (linearly,
or with its square for "quadratic").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

# Small-number suppression: one function for every aggregate, kept in lotus.core so that
# the toolkit (which may not import insights) uses the same one (lotus/core/suppression.py).
from lotus.core.suppression import SUPPRESSION_THRESHOLD, Figure, figure_shown, people_shown

WEIGHTS = ("quadratic", "linear", "unweighted")

#: Landis and Koch (1977) labels for kappa, as (lowest value, label), highest first.
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.81, "almost perfect"),
    (0.61, "substantial"),
    (0.41, "moderate"),
    (0.21, "fair"),
    (0.0, "slight"),
)

#: Agreement figures are only shown for at least this many pairs.
MINIMUM_PAIRS = 10


def weighted_kappa(a: Sequence, b: Sequence, weights: str = "quadratic", categories: Sequence | None = None) -> float:
    """Weighted kappa for two equally long sequences of ordinal ratings.

    `categories` gives the ordered scale (for example range(1, 26) for risk scores, so
    that distances are distances in score); by default it is the sorted set of values
    seen. Returns NaN when kappa is undefined: both raters gave every case the same one
    category, so there is no disagreement to expect.
    """
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {', '.join(WEIGHTS)}, not {weights!r}")
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"The two raters must rate the same cases: got {len(a)} and {len(b)} ratings")
    if not a:
        raise ValueError("There are no pairs of ratings to compare")
    scale = sorted(set(a) | set(b)) if categories is None else list(categories)
    position = {value: index for index, value in enumerate(scale)}
    outside = [value for value in (*a, *b) if value not in position]
    if outside:
        raise ValueError(f"Rating {outside[0]!r} is not one of the categories")
    k = len(scale)
    n = len(a)
    if k < 2:
        return math.nan
    observed = [[0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[position[x]][position[y]] += 1
    rows = [sum(row) for row in observed]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]

    def weight(i: int, j: int) -> float:
        if weights == "unweighted":
            return 0.0 if i == j else 1.0
        distance = abs(i - j) / (k - 1)
        return distance * distance if weights == "quadratic" else distance

    disagreement_observed = 0.0
    disagreement_expected = 0.0
    for i in range(k):
        for j in range(k):
            w = weight(i, j)
            if w:
                disagreement_observed += w * observed[i][j]
                disagreement_expected += w * rows[i] * cols[j] / n
    if disagreement_expected == 0:
        return math.nan
    return 1.0 - disagreement_observed / disagreement_expected


def landis_koch_label(kappa: float) -> str:
    """The Landis and Koch description of a kappa value ("poor" below zero)."""
    if math.isnan(kappa):
        return "cannot be calculated"
    if kappa < 0:
        return "poor"
    for lowest, label in LANDIS_KOCH:
        if kappa >= lowest:
            return label
    return "slight"  # pragma: no cover


def exact_agreement(a: Sequence, b: Sequence) -> float:
    """The share of pairs on which the two ratings are the same (0 to 1)."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"The two raters must rate the same cases: got {len(a)} and {len(b)} ratings")
    if not a:
        raise ValueError("There are no pairs of ratings to compare")
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


# --------------------------------------------------------------------------- relative likelihood

#: The WRES non-adverse range: a relative likelihood inside it counts as no gap (the
#: four-fifths rule and its reciprocal).
NON_ADVERSE_LOW = 0.80
NON_ADVERSE_HIGH = 1.25
_NON_ADVERSE = (Fraction(4, 5), Fraction(5, 4))


@dataclass(frozen=True)
class RelativeLikelihood:
    """How many times as likely group A is as the reference group to reach a stage.

    `ratio` is None when the reference group had no events (nothing to compare with);
    `low` and `high` are the confidence interval, None when it cannot be worked out (no
    events in either group); `non_adverse` is True when 0.80 <= ratio <= 1.25, None when
    the ratio is None."""

    ratio: float | None
    low: float | None
    high: float | None
    non_adverse: bool | None

    @property
    def computable(self) -> bool:
        return self.ratio is not None


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative: got {value}")
    return value


def _group(events_name: str, events, population_name: str, population) -> tuple[int, int]:
    events = _count(events_name, events)
    population = _count(population_name, population)
    if population == 0:
        raise ValueError(f"{population_name} cannot be zero: a rate needs at least one person")
    if events > population:
        raise ValueError(f"{events_name} ({events}) cannot be more than {population_name} ({population})")
    return events, population


def relative_likelihood(events_a: int, population_a: int, events_ref: int, population_ref: int,
                        confidence: float = 0.95) -> RelativeLikelihood:
    """(events_a / population_a) / (events_ref / population_ref), with a confidence
    interval by the log method (Katz et al. 1978), no continuity correction:

        exp(ln(ratio) +/- z * sqrt(1/a - 1/n_a + 1/c - 1/n_c))

    where z is the standard normal quantile for `confidence`. When events_a is 0 the ratio
    is 0.0 and the interval cannot be worked out (None, None); when events_ref is 0 nothing
    can be (every field None). Bad counts raise ValueError naming the argument.
    """
    events_a, population_a = _group("events_a", events_a, "population_a", population_a)
    events_ref, population_ref = _group("events_ref", events_ref, "population_ref", population_ref)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, like 0.95, not {confidence!r}")
    if events_ref == 0:
        return RelativeLikelihood(None, None, None, None)
    # Exactly, as a fraction, so that 8 in 100 against 10 in 100 is 0.80 (inside the
    # range) and not 0.7999999999999999 (outside it).
    exact = Fraction(events_a * population_ref, events_ref * population_a)
    ratio = float(exact)
    non_adverse = _NON_ADVERSE[0] <= exact <= _NON_ADVERSE[1]
    if events_a == 0:
        return RelativeLikelihood(0.0, None, None, non_adverse)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    spread = z * math.sqrt(1 / events_a - 1 / population_a + 1 / events_ref - 1 / population_ref)
    middle = math.log(ratio)
    return RelativeLikelihood(ratio, math.exp(middle - spread), math.exp(middle + spread), non_adverse)


__all__ = [
    "LANDIS_KOCH",
    "MINIMUM_PAIRS",
    "NON_ADVERSE_HIGH",
    "NON_ADVERSE_LOW",
    "SUPPRESSION_THRESHOLD",
    "WEIGHTS",
    "Figure",
    "RelativeLikelihood",
    "exact_agreement",
    "figure_shown",
    "landis_koch_label",
    "people_shown",
    "relative_likelihood",
    "weighted_kappa",
]

"""Agreement statistics for paired ratings, and small-number suppression. Pure: no Django import.

`weighted_kappa` is Cohen's kappa with disagreement weights (Cohen 1968): 1 minus the
ratio of the weighted disagreement observed to the weighted disagreement expected if the
two raters were independent with the same marginal totals. Categories are ordinal; the
weight of a disagreement grows with the distance between category positions (linearly,
or with its square for "quadratic").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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


__all__ = [
    "LANDIS_KOCH",
    "MINIMUM_PAIRS",
    "SUPPRESSION_THRESHOLD",
    "WEIGHTS",
    "Figure",
    "exact_agreement",
    "figure_shown",
    "landis_koch_label",
    "people_shown",
    "weighted_kappa",
]

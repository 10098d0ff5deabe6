"""Agreement statistics (lotus/insights/stats.py), checked against an independent
reference written here from the textbook formula. No database."""

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotus.insights.stats import exact_agreement, landis_koch_label, weighted_kappa


def reference_kappa(a, b, categories, power):
    """Weighted kappa in its agreement form: (Po - Pe) / (1 - Pe) with agreement weights
    1 - (|i - j| / (k - 1)) ** power, using proportions (Fleiss, Cohen & Everitt 1969)."""
    k = len(categories)
    index = {c: i for i, c in enumerate(categories)}
    n = len(a)
    p = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        p[index[x]][index[y]] += 1 / n
    row = [sum(p[i]) for i in range(k)]
    col = [sum(p[i][j] for i in range(k)) for j in range(k)]
    agree = [[1 - (abs(i - j) / (k - 1)) ** power for j in range(k)] for i in range(k)]
    po = sum(agree[i][j] * p[i][j] for i in range(k) for j in range(k))
    pe = sum(agree[i][j] * row[i] * col[j] for i in range(k) for j in range(k))
    return (po - pe) / (1 - pe)


@pytest.mark.parametrize("seed", range(30))
def test_quadratic_kappa_matches_the_reference_on_random_data(seed):
    rng = random.Random(seed)
    k = rng.randint(2, 6)
    categories = list(range(1, k + 1))
    n = rng.randint(10, 200)
    a = [rng.choice(categories) for _ in range(n)]
    # Make b correlated with a, so kappa ranges over useful values.
    b = [x if rng.random() < 0.6 else rng.choice(categories) for x in a]
    expected = reference_kappa(a, b, categories, power=2)
    assert weighted_kappa(a, b, categories=categories) == pytest.approx(expected, abs=1e-9)
    assert weighted_kappa(a, b, weights="linear", categories=categories) == pytest.approx(
        reference_kappa(a, b, categories, power=1), abs=1e-9
    )


def test_a_published_example():
    # Perfect agreement is 1; a mirror image on a 3-point scale is -1 with quadratic weights.
    assert weighted_kappa([1, 2, 3], [1, 2, 3]) == 1.0
    assert weighted_kappa([1, 3], [3, 1]) == pytest.approx(-1.0)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=60))
def test_kappa_is_symmetric_and_at_most_one(pairs):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    forward = weighted_kappa(a, b, categories=range(1, 6))
    if math.isnan(forward):
        return
    assert forward <= 1 + 1e-12
    assert weighted_kappa(b, a, categories=range(1, 6)) == pytest.approx(forward)


def test_undefined_kappa_is_nan():
    assert math.isnan(weighted_kappa([2, 2, 2], [2, 2, 2]))


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ([1, 2], [1], {}, "same cases: got 2 and 1"),
        ([], [], {}, "no pairs"),
        ([1, 2], [1, 2], {"weights": "cubic"}, "weights must be one of"),
        ([1, 9], [1, 2], {"categories": [1, 2, 3]}, "Rating 9 is not one of the categories"),
    ],
)
def test_bad_input(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        weighted_kappa(a, b, **kwargs)


@pytest.mark.parametrize(
    ("kappa", "label"),
    [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.5, "moderate"), (0.7, "substantial"),
     (0.81, "almost perfect"), (1.0, "almost perfect"), (math.nan, "cannot be calculated")],
)
def test_landis_and_koch_labels(kappa, label):
    assert landis_koch_label(kappa) == label


def test_exact_agreement():
    assert exact_agreement(["red", "amber", "green"], ["red", "green", "green"]) == pytest.approx(2 / 3)


def test_calibration_gap():
    from lotus.insights.agreement import needs_calibration

    assert needs_calibration((3, 3, 9, "amber"), (3, 5, 15, "red"))
    assert not needs_calibration((2, 2, 4, "amber"), (3, 3, 9, "amber"))
    assert needs_calibration((2, 2, 4, "amber"), (3, 3, 9, "amber"), gap=4)
    assert not needs_calibration((3, 4, 12, "amber"), (3, 5, 15, "red"), gap=4)

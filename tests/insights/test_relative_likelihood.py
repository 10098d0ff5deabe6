"""Relative likelihood with its 95% interval (lotus.insights.stats.relative_likelihood),
checked against statsmodels (a test-only dependency) on random tables, and by its
properties. No database."""

import math
import random

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import Table2x2

from lotus.insights.stats import (
    NON_ADVERSE_HIGH,
    NON_ADVERSE_LOW,
    RelativeLikelihood,
    relative_likelihood,
)


def statsmodels_reference(events_a, population_a, events_ref, population_ref, confidence):
    table = np.array([[events_a, population_a - events_a], [events_ref, population_ref - events_ref]])
    reference = Table2x2(table, shift_zeros=False)
    low, high = reference.riskratio_confint(alpha=1 - confidence, method="normal")
    return reference.riskratio, low, high


@pytest.mark.parametrize("seed", range(60))
def test_ratio_and_interval_match_statsmodels_on_random_tables(seed):
    rng = random.Random(seed)
    population_a = rng.randint(1, 5000)
    population_ref = rng.randint(1, 5000)
    events_a = rng.randint(1, population_a)
    events_ref = rng.randint(1, population_ref)
    confidence = rng.choice([0.8, 0.9, 0.95, 0.99])
    ratio, low, high = statsmodels_reference(events_a, population_a, events_ref, population_ref, confidence)
    found = relative_likelihood(events_a, population_a, events_ref, population_ref, confidence=confidence)
    assert found.ratio == pytest.approx(ratio, rel=1e-12)
    assert found.low == pytest.approx(low, rel=1e-9)
    assert found.high == pytest.approx(high, rel=1e-9)
    assert found.non_adverse is bool(NON_ADVERSE_LOW <= float(ratio) <= NON_ADVERSE_HIGH)


def test_a_worked_example():
    # 30 of 100 against 20 of 200: three times as likely, interval 1.80 to 5.01.
    found = relative_likelihood(30, 100, 20, 200)
    assert found.ratio == pytest.approx(3.0)
    assert (round(found.low, 2), round(found.high, 2)) == (1.80, 5.01)
    assert found.non_adverse is False
    assert found.computable


@pytest.mark.parametrize(
    ("events_a", "population_a", "events_ref", "population_ref", "non_adverse"),
    [
        (8, 100, 10, 100, True),     # 0.80: the lower edge is inside
        (125, 1000, 100, 1000, True),  # 1.25: the upper edge is inside
        (79, 1000, 100, 1000, False),  # 0.79
        (126, 1000, 100, 1000, False),  # 1.26
        (50, 500, 10, 100, True),    # 1.00
    ],
)
def test_the_non_adverse_range_is_080_to_125_inclusive(events_a, population_a, events_ref, population_ref,
                                                       non_adverse):
    assert relative_likelihood(events_a, population_a, events_ref, population_ref).non_adverse is non_adverse


def test_no_events_in_group_a_gives_zero_and_no_interval():
    assert relative_likelihood(0, 40, 5, 100) == RelativeLikelihood(0.0, None, None, False)


@pytest.mark.parametrize("events_a", [0, 3])
def test_no_events_in_the_reference_group_is_not_computable(events_a):
    found = relative_likelihood(events_a, 40, 0, 100)
    assert found == RelativeLikelihood(None, None, None, None)
    assert not found.computable


def test_everyone_in_both_groups_gives_a_ratio_of_one_with_no_width():
    found = relative_likelihood(12, 12, 30, 30)
    assert (found.ratio, found.low, found.high) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((-1, 10, 1, 10), "events_a cannot be negative: got -1"),
        ((1, -10, 1, 10), "population_a cannot be negative: got -10"),
        ((1, 10, -2, 10), "events_ref cannot be negative: got -2"),
        ((1, 10, 1, -3), "population_ref cannot be negative: got -3"),
        ((1.5, 10, 1, 10), "events_a must be a whole number, not 1.5"),
        ((1, 10.0, 1, 10), "population_a must be a whole number, not 10.0"),
        ((1, 10, "2", 10), "events_ref must be a whole number, not '2'"),
        ((1, 10, 1, True), "population_ref must be a whole number, not True"),
        ((0, 0, 1, 10), "population_a cannot be zero: a rate needs at least one person"),
        ((1, 10, 0, 0), "population_ref cannot be zero: a rate needs at least one person"),
        ((11, 10, 1, 10), "events_a (11) cannot be more than population_a (10)"),
        ((1, 10, 12, 10), "events_ref (12) cannot be more than population_ref (10)"),
    ],
)
def test_bad_counts_are_refused_with_a_clear_message(arguments, message):
    with pytest.raises(ValueError) as raised:
        relative_likelihood(*arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, "0.95", None])
def test_a_confidence_outside_zero_to_one_is_refused(confidence):
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        relative_likelihood(3, 10, 4, 10, confidence=confidence)


def groups():
    return st.integers(min_value=1, max_value=20000).flatmap(
        lambda population: st.tuples(st.integers(min_value=0, max_value=population), st.just(population))
    )


@given(groups(), groups(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_swapping_the_groups_inverts_the_ratio_and_the_interval(a, ref, confidence):
    (events_a, population_a), (events_ref, population_ref) = a, ref
    assume(events_a > 0 and events_ref > 0)
    forward = relative_likelihood(events_a, population_a, events_ref, population_ref, confidence=confidence)
    backward = relative_likelihood(events_ref, population_ref, events_a, population_a, confidence=confidence)
    assert backward.ratio == pytest.approx(1 / forward.ratio, rel=1e-9)
    assert backward.low == pytest.approx(1 / forward.high, rel=1e-9)
    assert backward.high == pytest.approx(1 / forward.low, rel=1e-9)


@given(groups(), groups(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_the_interval_contains_the_ratio(a, ref, confidence):
    (events_a, population_a), (events_ref, population_ref) = a, ref
    found = relative_likelihood(events_a, population_a, events_ref, population_ref, confidence=confidence)
    if events_ref == 0:
        assert found == RelativeLikelihood(None, None, None, None)
    elif events_a == 0:
        assert (found.ratio, found.low, found.high) == (0.0, None, None)
    else:
        assert found.low <= found.ratio * (1 + 1e-12)
        assert found.ratio <= found.high * (1 + 1e-12)
        assert found.low > 0 and math.isfinite(found.high)


@given(groups(), groups())
def test_a_wider_confidence_gives_a_wider_interval(a, ref):
    (events_a, population_a), (events_ref, population_ref) = a, ref
    assume(events_a > 0 and events_ref > 0)
    narrow = relative_likelihood(events_a, population_a, events_ref, population_ref, confidence=0.9)
    wide = relative_likelihood(events_a, population_a, events_ref, population_ref, confidence=0.99)
    assert wide.low <= narrow.low * (1 + 1e-12)
    assert wide.high >= narrow.high * (1 - 1e-12)


def test_the_module_has_no_django_import():
    import ast
    import pathlib

    import lotus.insights.stats as module

    tree = ast.parse(pathlib.Path(module.__file__).read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("django") for name in names)

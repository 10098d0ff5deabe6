"""Small-number suppression (lotus/core/suppression.py, re-exported by lotus.insights.stats):
a figure is shown only when enough distinct people contributed to it. Pure: no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotus.core import suppression
from lotus.core.suppression import (
    MINIMUM_THRESHOLD,
    SUPPRESSION_THRESHOLD,
    figure_shown,
    people_shown,
)
from lotus.insights import stats

values = st.integers(min_value=1, max_value=10**9)
people = st.integers(min_value=0, max_value=10**6)
thresholds = st.integers(min_value=-5, max_value=100)


def test_the_default_threshold_is_8_and_insights_uses_the_same_function():
    assert SUPPRESSION_THRESHOLD == 8
    assert stats.figure_shown is figure_shown and stats.people_shown is people_shown


@given(value=values, contributors=people, threshold=thresholds)
def test_a_figure_is_shown_only_with_enough_contributors_whatever_its_size(value, contributors, threshold):
    if contributors == 0:
        with pytest.raises(ValueError, match="nobody"):
            figure_shown(value, contributors=0, threshold=threshold)
        return
    figure = figure_shown(value, contributors=contributors, threshold=threshold)
    effective = max(threshold, MINIMUM_THRESHOLD)
    assert figure.threshold == effective
    assert figure.contributors == contributors
    if contributors < effective:
        assert figure.suppressed and figure.value is None
        assert figure.reason == f"fewer than {effective} people"
        assert figure.text == f"Not shown (fewer than {effective} people)"
    else:
        assert not figure.suppressed and figure.value == value and figure.reason == ""
        assert figure.text == str(value)


@given(contributors=st.integers(min_value=1, max_value=MINIMUM_THRESHOLD - 1), threshold=thresholds)
def test_no_threshold_lets_fewer_than_8_people_be_shown(contributors, threshold):
    assert figure_shown(10_000, contributors=contributors, threshold=threshold).suppressed


@given(threshold=thresholds)
def test_zero_from_nobody_is_shown(threshold):
    figure = figure_shown(0, contributors=0, threshold=threshold)
    assert not figure.suppressed and figure.text == "0"


@given(count=people)
def test_a_count_of_people_is_its_own_contributor_count(count):
    figure = people_shown(count)
    assert figure.suppressed == (1 <= count <= 7)
    assert figure.text == ("Not shown (fewer than 8 people)" if 1 <= count <= 7 else str(count))


@given(more=st.integers(min_value=0, max_value=1000), value=values)
def test_more_contributors_never_hide_a_figure_that_was_shown(more, value):
    for contributors in range(1, 20):
        if not figure_shown(value, contributors=contributors).suppressed:
            assert not figure_shown(value, contributors=contributors + more).suppressed


@pytest.mark.parametrize("contributors", [-1, 2.5, True, "3", None])
def test_contributors_must_be_a_whole_number_of_people(contributors):
    with pytest.raises((TypeError, ValueError)):
        figure_shown(1, contributors=contributors)


def test_the_module_has_no_django_import():
    source = open(suppression.__file__, encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "django" not in source.lower().replace("no django import", "")

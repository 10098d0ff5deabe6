"""Property tests for lotus/toolkit/scoring.py (no database, no Django)."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotus.toolkit import scoring
from lotus.toolkit.content import INSTRUMENTS, TEAM_INSTRUMENTS

ALL = {**INSTRUMENTS, **TEAM_INSTRUMENTS}
instrument_slugs = st.sampled_from(sorted(ALL))


def answers_for(instrument):
    return st.fixed_dictionaries({item.key: st.integers(1, 5) for item in instrument.items})


@st.composite
def instrument_and_answers(draw):
    instrument = ALL[draw(instrument_slugs)]
    return instrument, draw(answers_for(instrument))


def test_scoring_module_has_no_django_import():
    toolkit = Path(scoring.__file__).parent
    modules = ["scoring.py", *sorted(str(p.relative_to(toolkit)) for p in (toolkit / "content").glob("*.py"))]
    assert "content/loader.py" in modules
    for module in modules:
        tree = ast.parse((toolkit / module).read_text())
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [n for n in names if n.startswith("django")], module


def test_every_dimension_has_items_and_every_item_a_dimension():
    for instrument in ALL.values():
        keys = {d.key for d in instrument.dimensions}
        assert {item.dimension for item in instrument.items} == keys
        assert len({item.key for item in instrument.items}) == len(instrument.items)
        assert len(instrument.scale_labels) == 5


@given(instrument_and_answers())
def test_scores_are_between_one_and_five_and_the_mean_of_their_items(pair):
    instrument, answers = pair
    result = scoring.score(instrument, answers)
    for dimension in instrument.dimensions:
        values = [answers[item.key] for item in instrument.items_for(dimension.key)]
        assert 1 <= result.scores[dimension.key] <= 5
        assert abs(result.scores[dimension.key] - sum(values) / len(values)) <= 0.05 + 1e-9


@given(instrument_and_answers())
def test_strongest_is_at_least_weakest(pair):
    instrument, answers = pair
    result = scoring.score(instrument, answers)
    assert result.scores[result.strongest] >= result.scores[result.weakest]


@given(instrument_and_answers(), st.data())
def test_any_unanswered_item_is_reported_missing_and_not_scored(pair, data):
    instrument, answers = pair
    removed = data.draw(st.lists(st.sampled_from([i.key for i in instrument.items]), min_size=1, unique=True))
    for key in removed:
        answers.pop(key)
    problems = scoring.check_answers(instrument, answers)
    assert set(problems.missing) == set(removed)
    assert not problems.complete
    with pytest.raises(ValueError):
        scoring.score(instrument, answers)


@given(
    instrument_and_answers(),
    st.data(),
    st.one_of(st.integers(max_value=0), st.integers(min_value=6), st.just(2.5), st.just("3a"), st.just(True),
              st.just(float("nan")), st.just("٣")),
)
def test_out_of_range_answers_are_refused(pair, data, bad):
    instrument, answers = pair
    key = data.draw(st.sampled_from([i.key for i in instrument.items]))
    answers[key] = bad
    problems = scoring.check_answers(instrument, answers)
    assert problems.out_of_range == (key,)
    assert key not in scoring.clean_answers(instrument, answers)


@given(instrument_and_answers())
def test_answers_given_as_text_score_the_same(pair):
    instrument, answers = pair
    as_text = {key: f" {value} " for key, value in answers.items()}
    assert scoring.score(instrument, as_text) == scoring.score(instrument, answers)


@given(answers_for(INSTRUMENTS["wise-compassion"]))
def test_matrix_quadrant_follows_the_two_scores(answers):
    instrument = INSTRUMENTS["wise-compassion"]
    result = scoring.score(instrument, answers)
    high_c = result.scores["compassion"] >= scoring.STRONG_AT
    high_w = result.scores["wisdom"] >= scoring.STRONG_AT
    expected = {(True, True): "wise_compassion", (True, False): "avoidance",
                (False, True): "execution", (False, False): "indifference"}[(high_c, high_w)]
    assert result.headline == expected


def test_wise_compassion_examples():
    instrument = INSTRUMENTS["wise-compassion"]
    all_of = lambda c, w: {i.key: (c if i.dimension == "compassion" else w) for i in instrument.items}  # noqa: E731
    assert scoring.score(instrument, all_of(5, 5)).headline == "wise_compassion"
    assert scoring.score(instrument, all_of(5, 2)).headline == "avoidance"
    assert scoring.score(instrument, all_of(2, 5)).headline == "execution"
    assert scoring.score(instrument, all_of(1, 1)).headline == "indifference"


@given(answers_for(INSTRUMENTS["psychological-safety"]))
def test_a_stage_counts_only_when_every_earlier_stage_is_strong(answers):
    instrument = INSTRUMENTS["psychological-safety"]
    result = scoring.score(instrument, answers)
    stages = ["inclusion", "learner", "contributor", "challenger"]
    reached = stages.index(result.headline) + 1 if result.headline else 0
    assert all(result.scores[s] >= scoring.STRONG_AT for s in stages[:reached])
    if reached < 4:
        assert result.scores[stages[reached]] < scoring.STRONG_AT
    assert result.extra["lowest_need"] in ("autonomy", "belonging", "competence")


@given(answers_for(INSTRUMENTS["inclusion"]))
def test_inclusion_point_is_the_nearest_to_the_average(answers):
    instrument = INSTRUMENTS["inclusion"]
    result = scoring.score(instrument, answers)
    average = sum(answers.values()) / len(answers)
    index = instrument.points.index(result.headline) + 1
    assert abs(index - average) <= 0.55


@given(answers_for(INSTRUMENTS["wellbeing-signs"]))
def test_hopelessness_often_always_signposts_support(answers):
    instrument = INSTRUMENTS["wellbeing-signs"]
    result = scoring.score(instrument, answers)
    urgent = [item.key for item in instrument.items if item.urgent]
    if any(answers[key] >= 4 for key in urgent) or result.headline == "many":
        assert result.signpost
    else:
        assert not result.signpost
    assert len(result.frequent) == sum(1 for v in answers.values() if v >= 4)


def test_no_signs_means_few_and_no_signpost():
    instrument = INSTRUMENTS["wellbeing-signs"]
    result = scoring.score(instrument, {i.key: 1 for i in instrument.items})
    assert (result.headline, result.signpost) == ("few", False)


@given(st.dictionaries(st.sampled_from("abcd"), st.floats(1, 5)), st.dictionaries(st.sampled_from("abcd"), st.floats(1, 5)))
def test_change_since_covers_only_shared_dimensions(previous, current):
    change = scoring.change_since(previous, current)
    assert set(change) == set(previous) & set(current)
    assert scoring.change_since(None, current) == {}


@given(st.integers(0, 100), st.integers(-5, 20))
def test_never_shown_below_three_responses(count, minimum):
    shown = scoring.enough_responses(count, minimum)
    assert shown == (count >= max(3, minimum))
    if count < 3:
        assert not shown


@given(st.sets(st.integers(0, 60)), st.integers(0, 60))
def test_streak_counts_consecutive_days_back_from_today_or_yesterday(offsets, today_offset):
    base = dt.date(2026, 1, 1)
    days = [base + dt.timedelta(days=o) for o in offsets]
    today = base + dt.timedelta(days=today_offset)
    streak = scoring.streak(days, today)
    end = today if today in days else today - dt.timedelta(days=1)
    assert all(end - dt.timedelta(days=n) in days for n in range(streak))
    assert end - dt.timedelta(days=streak) not in days
    assert streak <= scoring.longest_streak(days)


def test_a_missed_day_restarts_the_streak_but_not_the_longest():
    d = dt.date(2026, 3, 1)
    days = [d, d + dt.timedelta(days=1), d + dt.timedelta(days=2), d + dt.timedelta(days=4)]
    assert scoring.streak(days, d + dt.timedelta(days=4)) == 1
    assert scoring.streak(days, d + dt.timedelta(days=5)) == 1  # today not ticked yet: yesterday counts
    assert scoring.streak(days, d + dt.timedelta(days=6)) == 0
    assert scoring.longest_streak(days) == 3

"""The 5×5 risk grid and its bands (lotus/triage/risk.py). No database."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotus.triage import risk
from lotus.triage.risk import DEFAULT_BANDS, DOMAINS, Band, assess, band_rank, grid, validate_bands

# Written out by hand from DESIGN.md (1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme;
# green, amber, amber, red), one row per likelihood, columns consequence 1 to 5.
EXPECTED_DEFAULT = {
    1: ["low", "low", "low", "moderate", "moderate"],
    2: ["low", "moderate", "moderate", "high", "high"],
    3: ["low", "moderate", "high", "high", "extreme"],
    4: ["moderate", "high", "high", "extreme", "extreme"],
    5: ["moderate", "high", "extreme", "extreme", "extreme"],
}
COLOUR = {"low": "green", "moderate": "amber", "high": "amber", "extreme": "red"}


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("consequence", range(1, 6))
def test_all_25_cells_with_the_default_bands(consequence, likelihood):
    result = assess({"patient_safety": consequence}, likelihood)
    band = EXPECTED_DEFAULT[likelihood][consequence - 1]
    assert (result.consequence, result.likelihood, result.score) == (consequence, likelihood, consequence * likelihood)
    assert (result.band, result.colour) == (band, COLOUR[band])


def test_overall_consequence_is_the_highest_relevant_domain():
    result = assess(
        {"patient_safety": 2, "statutory": None, "financial": 4, "management": 1, "professionalism": None}, 3
    )
    assert (result.consequence, result.score, result.band, result.colour) == (4, 12, "high", "amber")


def test_domains_left_out_count_as_not_relevant():
    assert assess({"management": 5}, 5).score == 25


CUSTOM = [
    {"name": "routine", "low": 1, "high": 4, "colour": "green"},
    {"name": "watch", "low": 5, "high": 9, "colour": "amber"},
    {"name": "act now", "low": 10, "high": 25, "colour": "red"},
]


@pytest.mark.parametrize(
    ("consequence", "likelihood", "band", "colour"),
    [(1, 4, "routine", "green"), (5, 1, "watch", "amber"), (3, 3, "watch", "amber"), (2, 5, "act now", "red"),
     (5, 5, "act now", "red")],
)
def test_a_custom_band_set(consequence, likelihood, band, colour):
    result = assess({"statutory": consequence}, likelihood, bands=CUSTOM)
    assert (result.band, result.colour) == (band, colour)


@pytest.mark.parametrize(
    ("consequences", "likelihood", "message"),
    [
        ({"patient_safety": 6}, 3, "Consequence for patient and public safety must be from 1 to 5, not 6"),
        ({"financial": 0}, 3, "Consequence for financial must be from 1 to 5, not 0"),
        ({"management": "3"}, 3, "Consequence for management must be a whole number from 1 to 5"),
        ({"management": True}, 3, "Consequence for management must be a whole number from 1 to 5"),
        ({"patient_safety": 3}, None, "Likelihood of recurrence is missing"),
        ({"patient_safety": 3}, 0, "Likelihood of recurrence must be from 1 to 5, not 0"),
        ({"patient_safety": 3}, 2.5, "Likelihood of recurrence must be a whole number"),
        (dict.fromkeys(DOMAINS), 3, "Every consequence domain is marked not relevant"),
        ({}, 3, "Every consequence domain is marked not relevant"),
        ({"safety": 3}, 3, "Unknown consequence domain 'safety'"),
        ([3, 3], 3, "Consequences must map each domain"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(consequences, likelihood, message):
    with pytest.raises(ValueError, match=message):
        assess(consequences, likelihood)


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([{"name": "a", "low": 1, "high": 6, "colour": "green"}, {"name": "b", "low": 8, "high": 25, "colour": "red"}],
         "Scores 7 to 7 are not in any band"),
        ([{"name": "a", "low": 1, "high": 10, "colour": "green"}, {"name": "b", "low": 8, "high": 25, "colour": "red"}],
         r"Bands 'a' \(1 to 10\) and 'b' \(8 to 25\) overlap on scores 8 to 10"),
        ([{"name": "a", "low": 2, "high": 25, "colour": "green"}], "Scores 1 to 1 are not in any band"),
        ([{"name": "a", "low": 1, "high": 20, "colour": "green"}], "Scores 21 to 25 are not in any band"),
        ([{"name": "a", "low": 1, "high": 30, "colour": "green"}], r"Band 'a' \(1 to 30\) must use scores between 1 and 25"),
        ([{"name": "a", "low": 9, "high": 3, "colour": "green"}], "Band 'a' starts at 9 but ends at 3"),
        ([{"name": "a", "low": 1, "high": 25, "colour": "blue"}], "Band 'a' must be green, amber or red"),
        ([{"name": "a", "low": 1, "high": 9, "colour": "red"}, {"name": "b", "low": 10, "high": 25, "colour": "green"}],
         r"Band 'b' \(10 to 25\) is green but the band below it is red"),
        ([{"name": "a", "low": 1, "high": 9, "colour": "green"}, {"name": "a", "low": 10, "high": 25, "colour": "red"}],
         "Two bands are called 'a'"),
        ([], "Add at least one band"),
        ([{"name": "a", "low": 1, "colour": "green"}], "Band 1 is missing its high"),
    ],
)
def test_band_settings_with_a_gap_or_overlap_are_refused_with_the_range_at_fault(bands, message):
    with pytest.raises(ValueError, match=message):
        validate_bands(bands)


def test_the_defaults_are_valid_and_sorted():
    assert validate_bands(DEFAULT_BANDS) == DEFAULT_BANDS
    assert validate_bands(list(reversed(DEFAULT_BANDS))) == DEFAULT_BANDS


def test_grid_is_a_five_by_five_with_the_current_cell_marked():
    cells = grid(current=(4, 3))
    assert [row[0].likelihood for row in cells] == [5, 4, 3, 2, 1]
    assert [cell.consequence for cell in cells[0]] == [1, 2, 3, 4, 5]
    marked = [cell for row in cells for cell in row if cell.is_current]
    assert [(m.consequence, m.likelihood, m.score, m.band) for m in marked] == [(4, 3, 12, "high")]


def test_risk_module_imports_nothing_from_django():
    tree = ast.parse(Path(risk.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not any(name and name.startswith("django") for name in imported)


@st.composite
def band_sets(draw):
    """Any valid band set: 1–6 contiguous ranges over 1–25 with non-decreasing colours."""
    cuts = sorted(draw(st.sets(st.integers(min_value=2, max_value=25), max_size=5)))
    edges = [1, *cuts, 26]
    colours = sorted(draw(st.lists(st.sampled_from(risk.COLOURS), min_size=len(edges) - 1, max_size=len(edges) - 1)),
                     key=risk.COLOURS.index)
    return [Band(f"band {i}", edges[i], edges[i + 1] - 1, colours[i]) for i in range(len(edges) - 1)]


levels = st.integers(min_value=1, max_value=5)


@given(band_sets(), levels, levels, levels, levels)
def test_band_never_goes_down_when_the_score_goes_up(bands, c1, l1, c2, l2):
    first = assess({"patient_safety": c1}, l1, bands=bands)
    second = assess({"patient_safety": c2}, l2, bands=bands)
    if first.score <= second.score:
        assert first.band_rank <= second.band_rank
        assert risk.COLOURS.index(first.colour) <= risk.COLOURS.index(second.colour)


@given(band_sets(), st.integers(min_value=1, max_value=24))
def test_band_rank_is_monotone_over_every_score(bands, score):
    assert band_rank(score, bands) <= band_rank(score + 1, bands)


@given(st.dictionaries(st.sampled_from(DOMAINS), st.one_of(st.none(), levels), min_size=1), levels)
def test_raising_any_domain_never_lowers_the_score(consequences, likelihood):
    if all(v is None for v in consequences.values()):
        return
    before = assess(consequences, likelihood)
    for domain in DOMAINS:
        raised = dict(consequences)
        raised[domain] = min(5, (raised.get(domain) or 0) + 1)
        after = assess(raised, likelihood)
        assert after.score >= before.score and after.band_rank >= before.band_rank

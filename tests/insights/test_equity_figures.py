"""The equity figures, pure (lotus/insights/equity/): group tables protected so that no
hidden figure can be worked out, stages measured against the stage before, relative
likelihoods from the one function, the pooled years, and the fairness tables. No database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.insights.equity.fairness import build_fairness
from lotus.insights.equity.figures import NOT_SHOWN, CaseFacts, build_dashboard, members
from lotus.insights.equity.groups import (
    EqualityFacts,
    age_band,
    characteristic,
    characteristics,
    groups_of,
)
from lotus.insights.equity.network import TOTAL, People, protect_groups, table_figures
from lotus.insights.stats import relative_likelihood
from lotus.insights.suppression import Count

# --------------------------------------------------------------------------- protected group tables


def published(leaves, combined, values, shown):
    """The equations a reader knows: each published figure, and how the table adds up."""
    return {key: value.value for key, value in shown.items() if not value.suppressed}


def consistent(leaves, combined, assignment, known):
    figures = dict(assignment)
    for code, parts in combined.items():
        figures[code] = sum(figures[leaf] for leaf in parts)
    figures[TOTAL] = sum(figures[leaf] for leaf in leaves)
    return all(figures[key] == value for key, value in known.items()), figures


def reader_can_pin(leaves, combined, values, shown, spread=6) -> set[str]:
    """By brute force: the hidden figures that take only one value in every table of
    whole numbers, none below zero, that agrees with what is published."""
    known = published(leaves, combined, values, shown)
    ranges = [range(0, values[leaf] + spread) for leaf in leaves]
    seen: dict[str, set] = {key: set() for key, one in shown.items() if one.suppressed}
    for candidate in itertools.product(*ranges):
        ok, figures = consistent(leaves, combined, dict(zip(leaves, candidate, strict=True)), known)
        if ok:
            for key in seen:
                seen[key].add(figures[key])
    return {key for key, found in seen.items() if len(found) == 1}


@st.composite
def group_tables(draw):
    size = draw(st.integers(min_value=2, max_value=4))
    leaves = [f"g{index}" for index in range(size)]
    combined = {}
    if size >= 3 and draw(st.booleans()):
        combined = {"both": tuple(leaves[1:3])}
    values = {leaf: draw(st.sampled_from([0, 1, 2, 3, 5, 8, 9, 12])) for leaf in leaves}
    people = {leaf: values[leaf] if draw(st.booleans()) else min(values[leaf], 1 if values[leaf] else 0)
              for leaf in leaves}
    return leaves, combined, values, people


def protect(leaves, combined, values, people, forced=()):
    by_leaf = {leaf: People(values[leaf], frozenset((leaf, n) for n in range(people[leaf]))) for leaf in leaves}
    figures = table_figures(leaves, combined, by_leaf)
    return figures, protect_groups(leaves, combined, {k: v.count() for k, v in figures.items()}, forced=forced)


@settings(max_examples=120, deadline=None)
@given(group_tables())
def test_no_hidden_figure_of_a_group_table_can_be_worked_out(table):
    leaves, combined, values, people = table
    figures, shown = protect(leaves, combined, values, people)
    assert reader_can_pin(leaves, combined, values, shown) == set()


@settings(max_examples=120, deadline=None)
@given(group_tables())
def test_every_figure_about_fewer_than_eight_people_is_hidden_and_every_shown_one_is_true(table):
    leaves, combined, values, people = table
    figures, shown = protect(leaves, combined, values, people)
    for key, figure in figures.items():
        if 0 < len(figure.people) < 8:
            assert shown[key].suppressed, key
        if not shown[key].suppressed:
            assert shown[key].value == figure.value


def test_a_forced_figure_is_hidden_and_protected():
    leaves = ["a", "b", "c"]
    values = {"a": 20, "b": 30, "c": 40}
    _, shown = protect(leaves, {}, values, values, forced={TOTAL})
    assert shown[TOTAL].suppressed
    assert reader_can_pin(leaves, {}, values, shown) == set()


def test_a_table_that_does_not_add_up_is_refused():
    with pytest.raises(ValueError, match="must add up"):
        protect_groups(["a"], {}, {"a": Count(3, 3), TOTAL: Count(4, 4)})


# --------------------------------------------------------------------------- groups


@pytest.mark.parametrize(("born", "year", "band"), [
    (None, 2025, "not_known"), (1991, 2025, "under_35"), (1990, 2025, "35_44"), (1981, 2025, "35_44"),
    (1980, 2025, "45_54"), (1961, 2025, "55_64"), (1960, 2025, "65_plus"),
])
def test_age_bands_are_taken_in_the_year_of_the_concern(born, year, band):
    assert age_band(born, year) == band


def test_a_person_without_an_equality_record_is_not_known_in_everything_but_profession():
    groups = groups_of(EqualityFacts("dental"), 2025)
    assert groups == {"ethnicity": "not_known", "qualification": "not_known", "sex": "not_known",
                      "age": "not_known", "disability": "not_known", "profession": "dental"}


def test_every_ethnic_category_has_a_group_and_not_stated_is_not_known():
    from lotus.practitioners.models import EthnicCategory

    found = {code: groups_of(EqualityFacts("medical", code), 2025)["ethnicity"] for code in EthnicCategory.values}
    assert found["Z"] == "not_known"
    assert {found[code] for code in "ABC"} == {"white"}
    assert set(found.values()) == set(characteristic("ethnicity").leaf_codes)


def test_professions_match_the_register_and_each_characteristic_names_its_reference():
    from lotus.practitioners.models import Profession

    assert characteristic("profession").leaf_codes == tuple(Profession.values)
    for one in characteristics():
        assert one.reference in one.leaf_codes
        assert one.reference not in one.compared
        assert one.label_of(one.reference) in one.reference_note.replace("white", "White").replace(
            "male", "Male").replace("practitioners aged", "").replace("UK graduates", "UK") or one.reference_note


# --------------------------------------------------------------------------- the dashboard


def facts(case_id, person, year, ethnic, reached, colour="amber", **extra):
    return CaseFacts(case_id, person, year, groups_of(EqualityFacts("medical", ethnic), year), frozenset(reached),
                     colour=colour, **extra)


def cohort(year=2025, *, white=40, minority=40, white_investigated=10, minority_investigated=24, start=0):
    made = []
    number = itertools.count(start)
    for ethnic, count, investigated in (("A", white, white_investigated), ("H", minority, minority_investigated)):
        for index in range(count):
            n = next(number)
            reached = {"triaged", "panel"} | ({"investigation"} if index < investigated else set())
            made.append(facts(n, n, year, ethnic, reached, colour="red" if index % 4 == 0 else "amber"))
    return made


WORKFORCE = {2025: {("medical", "ethnicity", g): n for g, n in
                    {"white": 900, "mixed": 40, "asian": 350, "black": 120, "other": 40, "not_known": 50}.items()}}


def test_a_case_counts_at_a_stage_only_with_the_stage_it_is_measured_against():
    one = facts(1, 1, 2025, "A", {"investigation", "exclusion"})  # never went to the panel
    assert not members(one, "investigation") and not members(one, "exclusion")
    assert members(one, "cases")
    two = facts(2, 2, 2025, "A", {"triaged", "panel", "investigation", "exclusion"})
    assert members(two, "exclusion")


def test_the_gap_is_located_at_the_stage_where_it_opens():
    dashboard = build_dashboard(cohort(), WORKFORCE, year=2025)
    tables = {table.stage.code: table for table in dashboard.figures_for("ethnicity").year}
    panel = tables["panel"].row("ethnic_minority").comparison
    investigation = tables["investigation"].row("ethnic_minority").comparison
    assert panel.value.non_adverse and panel.text == "1.00"
    assert not investigation.value.non_adverse
    expected = relative_likelihood(24, 40, 10, 40)
    assert investigation.value == expected
    assert investigation.interval == f"{expected.low:.2f} to {expected.high:.2f}"
    received = tables["received"].row("ethnic_minority")
    assert received.population.value == 550 and received.events.value == 40
    assert tables["received"].row("white").population.value == 900


def test_a_group_of_one_at_any_stage_is_hidden_not_an_error():
    cases = cohort() + [facts(999, 999, 2025, "N", {"triaged", "panel", "investigation", "exclusion"}, colour="red")]
    dashboard = build_dashboard(cases, WORKFORCE, year=2025)
    for table in dashboard.figures_for("ethnicity").year:
        black = table.row("black")
        if black.events.value != 0:
            assert black.events.suppressed
            assert black.rate == NOT_SHOWN
            assert black.comparison.text == NOT_SHOWN


def test_without_workforce_figures_the_first_stage_is_not_computable_and_the_rest_still_work():
    dashboard = build_dashboard(cohort(), {}, year=2025)
    assert not dashboard.has_workforce
    tables = {table.stage.code: table for table in dashboard.figures_for("ethnicity").year}
    assert tables["received"].row("ethnic_minority").comparison.verdict == "No workforce figures"
    assert tables["investigation"].row("ethnic_minority").comparison.value is not None


def test_the_share_recorded_counts_not_known():
    cases = cohort() + [facts(500 + n, 500 + n, 2025, "Z", {"triaged", "panel"}) for n in range(20)]
    table = build_dashboard(cases, WORKFORCE, year=2025).figures_for("ethnicity").year[2]  # taken to the panel
    assert table.stage.code == "panel"
    assert table.recorded == "80%"  # 80 of 100 cases


def test_a_pooled_figure_never_gives_away_a_hidden_year():
    # 2023 and 2024 have 20 ethnic minority investigations each, shown; 2025 has 3, hidden.
    cases = (cohort(2023, minority_investigated=20) + cohort(2024, minority_investigated=20, start=1000)
             + cohort(2025, minority_investigated=3, start=2000))
    dashboard = build_dashboard(cases, WORKFORCE, year=2025)
    one = dashboard.figures_for("ethnicity")
    year = {table.stage.code: table for table in one.year}["investigation"].row("asian")
    pooled = {table.stage.code: table for table in one.pooled}["investigation"].row("asian")
    assert year.events.suppressed
    trend_years = dict(zip(dashboard.years, next(
        row for row in one.trend if row.stage.code == "investigation" and row.group == "asian").cells, strict=True))
    assert not trend_years[2023].hidden and not trend_years[2024].hidden
    # With 2023 and 2024 published, the pooled figure would give 2025's 3 away: hidden.
    assert pooled.events.suppressed


def test_the_fairness_tables_count_blind_score_changes_and_second_reviews():
    cases = []
    for n in range(45):
        ethnic = "A" if n < 15 else "H"
        change = "up" if (ethnic == "H" and n % 3) else "same"
        cases.append(facts(n, n, 2025, ethnic, {"triaged"}, blind_change=change, second_differs=n % 2 == 0,
                           score=6 + n % 3, days_to_triage=5 + n % 4))
    dashboard = build_dashboard(cases, {}, year=2025)
    fairness = build_fairness(cases, dashboard.colour_shown)
    changes = dict(next(t for t in fairness.changes if t.characteristic == "ethnicity").rows)
    assert changes["White"][:3] == ("0", "15", "0")
    assert changes["Asian or Asian British"][:4] == ("20", "10", "0", "30")
    assert changes["Asian or Asian British"][-1] == "67%"
    scores = dict(next(t for t in fairness.scores if t.characteristic == "ethnicity").rows)
    assert scores["White"] == ("7",)
    days = dict(next(t for t in fairness.days if t.characteristic == "ethnicity").rows)
    assert days["All practitioners"][1] == "No cases"


def test_the_modules_have_no_django_import():
    import ast
    import pathlib

    import lotus.insights.equity as package

    folder = pathlib.Path(package.__file__).parent
    for name in ("groups", "network", "figures", "fairness", "workforce_csv", "consistency", "charts", "presenters"):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not any(module.startswith("django") for module in imported), name

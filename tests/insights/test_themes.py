"""The pure parts of themes and trends: quarters and periods typed in words
(lotus/insights/periods.py), counting, protecting and viewing blocks of records, and
reading a case's status history (lotus/insights/themes.py). No database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotus.cases.workflow import STATUS_LABELS, TRANSITIONS
from lotus.insights import periods, themes
from lotus.insights.periods import (
    BY_YEAR,
    MAX_QUARTERS,
    Period,
    PeriodError,
    Quarter,
    parse_period,
    parse_quarter,
)
from lotus.insights.themes import (
    CountBlock,
    CountRecord,
    Move,
    Options,
    Spell,
    ValueRecord,
    Wording,
    block_views,
    count_views,
    grid_of,
    hidden_text,
    median_figure,
    quarter_grid,
    status_spells,
    title_moves,
)
from tests.insights.test_linked_suppression import YearReader
from tests.insights.test_secondary_suppression import figures_of

TODAY = dt.date(2026, 11, 30)
WORDS = Wording(title="Concerns by source", row_heading="Source", unit="concerns")
GROUP_WORDS = Wording(title="Concerns by profession", row_heading="Profession", unit="concerns")
ROWS = (("complaint", "Complaint"), ("incident", "Incident"), ("police", "Police"))
GROUPS = (("medical", "Medical"), ("dental", "Dental"))

quarters = st.builds(Quarter, st.integers(2000, 2030), st.integers(1, 4))


# --------------------------------------------------------------------------- quarters and periods


@given(quarter=quarters)
def test_a_quarter_runs_from_its_first_day_to_its_last_and_reads_back_from_its_label(quarter):
    assert Quarter.of(quarter.first_day) == quarter == Quarter.of(quarter.last_day)
    assert quarter.following().first_day - quarter.last_day == dt.timedelta(days=1)
    assert parse_quarter(quarter.label, field="start") == quarter
    assert quarter.following().minus(1) == quarter
    assert quarter.minus(4) == Quarter(quarter.year - 1, quarter.number)


@pytest.mark.parametrize("text", ["2025 Q2", "2025q2", "2025-Q2", "2025/q2", "Q2 2025", "q2-2025", " 2025 Q 2 "])
def test_a_quarter_can_be_typed_in_several_ways(text):
    assert parse_quarter(text, field="start") == Quarter(2025, 2)


def test_a_year_alone_starts_at_its_first_quarter_and_ends_at_its_last():
    assert parse_quarter("2025", field="start") == Quarter(2025, 1)
    assert parse_quarter("2025", field="end") == Quarter(2025, 4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the start of the period, like 2025 Q1"),
        ("Spring", "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"),
        ("2025 Q5", "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"),
        ("25 Q1", "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"),
        ("1999 Q4", "Enter a year from 2000 for the start of the period"),
        ("2" * 30, "Enter the start of the period as a quarter, like 2025 Q1, or a year, like 2025"),
    ],
)
def test_a_quarter_that_cannot_be_read_says_what_to_type(text, message):
    with pytest.raises(PeriodError) as error:
        parse_quarter(text, field="start")
    assert error.value.message == message and error.value.field == "start"


@settings(max_examples=300)
@given(start=st.text(max_size=25), end=st.text(max_size=25))
def test_any_text_gives_a_period_or_problems_naming_their_box_never_a_crash(start, end):
    period, problems = parse_period(start, end, today=TODAY)
    assert (period is None) == bool(problems)
    assert all(problem.field in ("start", "end") and problem.message for problem in problems)
    if period is not None:
        assert period.first <= period.last <= Quarter.of(TODAY)
        assert len(period.quarters) <= MAX_QUARTERS


def test_a_period_must_run_forwards_not_too_far_and_not_into_the_future():
    assert parse_period("2025 Q3", "2025 Q1", today=TODAY)[1][0].message == (
        "The end of the period must be the same as or after the start")
    assert parse_period("2022 Q4", "2025 Q4", today=TODAY)[1][0].message == (
        "Choose a period of 12 quarters (3 years) or less")
    period, problems = parse_period("2023 Q1", "2025 Q4", today=TODAY)
    assert problems == [] and len(period.quarters) == 12
    problems = parse_period("2027", "2027", today=TODAY)[1]
    assert [p.field for p in problems] == ["start", "end"]
    assert problems[0].message == "The start of the period must be this quarter (2026 Q4) or earlier"


def test_the_default_period_is_the_last_four_quarters_this_one_included():
    period = periods.default_period(TODAY)
    assert period == Period(Quarter(2026, 1), Quarter(2026, 4))
    assert period.span == "January 2026 to December 2026"
    assert Period(Quarter(2025, 2), Quarter(2025, 2)).label == "2025 Q2"
    assert Quarter(2025, 3).months == "July to September 2025"


# --------------------------------------------------------------------------- blocks and views


@st.composite
def blocks(draw):
    count = draw(st.integers(0, 60))
    people = draw(st.integers(1, 40))
    span = [Quarter(2025, 1), Quarter(2025, 2)]
    records = [
        CountRecord(draw(st.sampled_from(span)), draw(st.sampled_from([k for k, _ in ROWS])),
                    draw(st.sampled_from([k for k, _ in GROUPS])), draw(st.integers(1, people)))
        for _ in range(count)
    ]
    # Each person has one profession, as each practitioner has.
    profession = {}
    records = [r._replace(group=profession.setdefault(r.person, r.group)) for r in records]
    return CountBlock("by-source", WORDS, ROWS, GROUPS, records, additive=True, by_group=("by-profession", GROUP_WORDS))


PERIOD = Period(Quarter(2025, 1), Quarter(2025, 2))


CURRENT = Quarter(2025, 2)  # so 2025 has two quarters so far, both in PERIOD


def options(period=PERIOD, **kwargs) -> Options:
    return Options(period=period, current=kwargs.pop("current", CURRENT), **kwargs)


def _published(views_by_quarter, views_by_year, grid_keys):
    """Every figure the page publishes for 2025, as {(plane, key): cell}: plane n for the
    n-th quarter, and the last plane for the year."""
    found = {}
    for plane, (everyone, by_group), column in [
        *((n, views_by_quarter, n) for n in range(len(PERIOD.quarters))),
        (len(PERIOD.quarters), views_by_year, 0),
    ]:
        source, professions = everyone
        for i, row in enumerate(source.rows[:-1]):
            found[(plane, ("row", i))] = row.cells[column]
        found[(plane, ("grand",))] = source.rows[-1].cells[column]
        for j, row in enumerate(professions.rows[:-1]):
            found[(plane, ("column", j))] = row.cells[column]
        assert professions.rows[-1].cells[column] == found[(plane, ("grand",))]
        for j, (key, _) in enumerate(GROUPS):
            view = by_group[key]
            for i, row in enumerate(view.rows[:-1]):
                found[(plane, ("cell", i, j))] = row.cells[column]
            assert view.rows[-1].cells[column] == found[(plane, ("column", j))]
    assert {key for _, key in found} == grid_keys
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block=blocks())
def test_every_view_of_a_year_together_gives_no_hidden_figure_away(block):
    """What a reader could gather by looking at the page by quarter and by year, for every
    profession and for all of them: every figure shown comes from the protected tables of
    the year, and with all of it a reader still cannot work out any hidden one."""
    by_quarter = (count_views(block, options()),
                  {key: count_views(block, options(group=key))[0] for key, _ in GROUPS})
    by_year = (count_views(block, options(by=BY_YEAR)),
               {key: count_views(block, options(by=BY_YEAR, group=key))[0] for key, _ in GROUPS})
    quarters = [quarter_grid(block, quarter, block.records) for quarter in PERIOD.quarters]
    year = grid_of(block, block.records)
    published = _published(by_quarter, by_year, set(figures_of(year)))
    truth = {(n, key): value for n, grid in enumerate([*quarters, year]) for key, value in figures_of(grid).items()}
    hidden = set()
    for key, cell in published.items():
        if cell.hidden:
            hidden.add(key)
            assert cell.text == hidden_text(8)
        else:
            assert cell.value == truth[key]
    assert YearReader(quarters, year, hidden).worked_out() == set()


@settings(max_examples=80, deadline=None)
@given(block=blocks())
def test_a_whole_period_figure_is_shown_only_when_every_quarter_is(block):
    for view in count_views(block, options()):
        for row in view.rows:
            quarters, whole = row.cells[:-1], row.cells[-1]
            if any(cell.hidden for cell in quarters):
                assert whole.hidden
            else:
                assert whole.value == sum(cell.value for cell in quarters)


def test_a_block_that_does_not_add_up_has_no_total_row_and_no_group_table():
    records = [CountRecord(Quarter(2025, 1), "complaint", "medical", n) for n in range(10)]
    block = CountBlock("c", WORDS, ROWS, GROUPS, records, additive=False, chart="line",
                       by_group=("g", GROUP_WORDS))
    (view,) = count_views(block, options())
    assert [row.label for row in view.rows] == ["Complaint", "Incident", "Police"]
    assert view.rows[0].cells[0].text == "10"


def test_an_unknown_group_is_refused_and_unknown_rows_are_not_counted():
    records = [CountRecord(Quarter(2025, 1), "not-a-source", "medical", n) for n in range(10)]
    block = CountBlock("c", WORDS, ROWS, GROUPS, records, additive=True)
    (view,) = count_views(block, options())
    assert view.rows[-1].cells[0].text == "0"
    with pytest.raises(ValueError, match="unknown group"):
        count_views(block, options(group="vet"))


def test_one_quarter_is_drawn_as_bars_and_longer_periods_as_columns_or_lines():
    records = [CountRecord(Quarter(2025, 1), "complaint", "medical", n) for n in range(10)]
    block = CountBlock("c", WORDS, ROWS, GROUPS, records, additive=True)
    one = count_views(block, options(Period(Quarter(2025, 1), Quarter(2025, 1))))[0].chart_svg
    assert "<tspan" in one and "in total" not in one
    two = count_views(block, options())[0].chart_svg
    assert "in total" in two
    line = count_views(CountBlock("c", WORDS, ROWS, GROUPS, records, additive=False, chart="line"), options())[0]
    assert "<polyline" in line.chart_svg and ">Complaint<" in line.chart_svg and ">Police<" not in line.chart_svg
    assert "2 rows with nothing to show are left out of the chart." in line.chart_svg


@pytest.mark.parametrize(
    ("values", "people", "text"),
    [([], 0, "No cases"), ([3, 5, 9], 3, "Fewer than 8 people or protected"), ([1, 2, 3, 4, 5, 6, 7, 8], 8, "4.5"),
     ([10] * 9, 9, "10"), ([4] * 20, 7, "Fewer than 8 people or protected")],
)
def test_a_median_is_shown_only_from_enough_people(values, people, text):
    assert median_figure(values, people).text == text


def test_median_views_follow_the_group_and_period():
    records = [ValueRecord(Quarter(2025, 1), "triage", "medical", n, 10) for n in range(8)]
    records += [ValueRecord(Quarter(2025, 1), "triage", "dental", 100 + n, 20) for n in range(8)]
    records += [ValueRecord(Quarter(2024, 4), "triage", "dental", 200 + n, 99) for n in range(8)]
    block = themes.MedianBlock("days", WORDS, (("triage", "Triage"),), GROUPS, records)
    (everyone,) = block_views(block, options())
    assert [c.text for c in everyone.rows[0].cells] == ["15", "No cases", "15"]
    (dental,) = block_views(block, options(group="dental"))
    assert [c.text for c in dental.rows[0].cells] == ["20", "No cases", "20"]
    (by_year,) = block_views(block, options(Period(Quarter(2024, 1), Quarter(2025, 2)), by=BY_YEAR))
    assert by_year.columns == ("2024", "2025 to date", "Whole period")
    assert [c.text for c in by_year.rows[0].cells] == ["99", "15", "20"]


# --------------------------------------------------------------------------- status history


LABELS = {status.value: label for status, label in STATUS_LABELS.items()}


def test_every_status_change_the_services_write_reads_back():
    moves = title_moves(LABELS)
    for transition in TRANSITIONS:
        title = f"{STATUS_LABELS[transition.source]} to {STATUS_LABELS[transition.target]}"
        assert moves[title] == (transition.source.value, transition.target.value)
    # and no two pairs of statuses share a title
    assert len(moves) == len(LABELS) * (len(LABELS) - 1)


def test_a_case_spends_each_stage_from_its_start_to_the_move_out():
    day = dt.date(2025, 4, 1)
    moves = [Move(day + dt.timedelta(days=7), "received", "triage"),
             Move(day + dt.timedelta(days=20), "triage", "awaiting_panel")]
    assert status_spells(day, moves, first_status="received") == [
        Spell("received", day, day + dt.timedelta(days=7)),
        Spell("triage", day + dt.timedelta(days=7), day + dt.timedelta(days=20)),
    ]
    assert status_spells(day, [], first_status="received") == []


@given(gaps=st.lists(st.integers(0, 40), max_size=8), statuses=st.lists(st.sampled_from(sorted(LABELS)), min_size=9))
def test_spells_follow_one_another_without_gaps(gaps, statuses):
    start = dt.date(2025, 1, 6)
    days = list(itertools.accumulate(gaps, lambda d, g: d + dt.timedelta(days=g), initial=start))[1:]
    moves = [Move(d, statuses[i], statuses[i + 1]) for i, d in enumerate(days)]
    spells = status_spells(start, moves, first_status="received")
    assert len(spells) == len(moves)
    for before, after in zip(spells, spells[1:], strict=False):
        assert before.ended == after.started
    assert [s.status for s in spells] == [m.source for m in moves]

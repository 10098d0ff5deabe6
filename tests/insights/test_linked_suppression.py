"""A year's quarters and the year protected together (lotus/insights/linked.py): no hidden
figure of any quarter or of the year can be worked out from everything the two views
publish. Pure: no database.

As in test_secondary_suppression.py, the checks do not trust the module: a brute-force
reader writes out every equation afresh (each table's rows, groups and totals, and each
year figure as the sum of its quarters) and searches for another set of whole numbers,
zero or more, that fits everything published.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotus.insights import linked
from lotus.insights.linked import _Plane, exposed_linked, protect_linked, protect_year
from lotus.insights.suppression import PRIMARY, SECONDARY, Count, Grid, grid_network
from tests.insights.test_secondary_suppression import equations_of, figures_of, hidden_keys

THRESHOLD = 8


class YearReader:
    """Knows every published figure of the quarters and the year, and every way they add
    up; searches whole numbers 0..cap for the hidden ones (a change by one is enough to
    find another solution when there is one, so a cap one above the largest will do)."""

    def __init__(self, quarters, year, hidden: set[tuple]):
        planes = [*quarters, year]
        last = len(planes) - 1
        self.truth = {(n, key): value for n, grid in enumerate(planes) for key, value in figures_of(grid).items()}
        self.hidden = sorted(hidden)
        self.cap = max(self.truth.values(), default=0) + 1
        equations = [{(n, k): c for k, c in eq.items()} for n, grid in enumerate(planes) for eq in equations_of(grid)]
        for key in figures_of(year):
            equations.append({**{(n, key): 1 for n in range(last)}, (last, key): -1})
        self.equations = []
        for equation in equations:
            constant = sum(c * self.truth[k] for k, c in equation.items() if k not in hidden)
            unknown = {k: c for k, c in equation.items() if k in hidden}
            if unknown:
                self.equations.append((unknown, constant))
            else:
                assert constant == 0

    def _fits(self, assigned: dict) -> bool:
        assigned = dict(assigned)
        changed = True
        while changed:
            changed = False
            for unknown, constant in self.equations:
                missing = [k for k in unknown if k not in assigned]
                total = constant + sum(c * assigned[k] for k, c in unknown.items() if k in assigned)
                if not missing:
                    if total != 0:
                        return False
                elif len(missing) == 1:
                    value = -total * unknown[missing[0]]
                    if not 0 <= value <= self.cap:
                        return False
                    assigned[missing[0]] = value
                    changed = True
        free = [k for k in self.hidden if k not in assigned]
        if not free:
            return True
        key = free[0]
        return any(self._fits({**assigned, key: value})
                   for value in sorted(range(self.cap + 1), key=lambda v: abs(v - self.truth[key])))

    def can_work_out(self, key) -> bool:
        others = sorted((v for v in range(self.cap + 1) if v != self.truth[key]), key=lambda v: abs(v - self.truth[key]))
        return not any(self._fits({key: value}) for value in others)

    def worked_out(self) -> set:
        return {key for key in self.hidden if self.can_work_out(key)}


# --------------------------------------------------------------------------- strategies


MIXED = st.one_of(st.integers(0, 3), st.integers(6, 11))


@st.composite
def years(draw, max_quarters=3, max_rows=2, max_columns=2, values=MIXED):
    quarters = draw(st.integers(1, max_quarters))
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))
    has_rows = draw(st.booleans())
    has_columns = draw(st.booleans())
    has_grand = (has_rows or has_columns) and draw(st.booleans())

    def count(value):
        return Count(0, 0) if value == 0 else Count(value, draw(st.integers(1, value)))

    def total(parts):
        value = sum(p.value for p in parts)
        if value == 0:
            return Count(0, 0)
        low = max(p.contributors for p in parts)
        return Count(value, draw(st.integers(low, min(value, sum(p.contributors for p in parts)))))

    def grid(cells):
        row_totals = tuple(total(row) for row in cells) if has_rows else None
        column_totals = tuple(total([row[j] for row in cells]) for j in range(columns)) if has_columns else None
        grand = total([c for row in cells for c in row]) if has_grand else None
        return Grid(cells, row_totals, column_totals, grand)

    planes = [tuple(tuple(count(draw(values)) for _ in range(columns)) for _ in range(rows)) for _ in range(quarters)]
    quarter_grids = [grid(cells) for cells in planes]
    # The year: each figure adds up its quarters, about at least as many people as any of them.
    year_cells = tuple(tuple(total([plane[i][j] for plane in planes]) for j in range(columns)) for i in range(rows))

    def year_total(pick):
        parts = [pick(g) for g in quarter_grids]
        return total(parts)

    year = Grid(
        year_cells,
        tuple(year_total(lambda g, i=i: g.row_totals[i]) for i in range(rows)) if has_rows else None,
        tuple(year_total(lambda g, j=j: g.column_totals[j]) for j in range(columns)) if has_columns else None,
        year_total(lambda g: g.grand_total) if has_grand else None,
    )
    # A year total's people must also cover each of its own cells' people.
    year = _covering(year)
    return quarter_grids, year


def _covering(year: Grid) -> Grid:
    def lift(total: Count, parts) -> Count:
        low = max([total.contributors, *(p.contributors for p in parts)])
        return Count(total.value, min(total.value, low)) if total.value else total

    cells = year.cells
    rows = None if year.row_totals is None else tuple(lift(t, cells[i]) for i, t in enumerate(year.row_totals))
    columns = None if year.column_totals is None else tuple(
        lift(t, [row[j] for row in cells]) for j, t in enumerate(year.column_totals))
    grand = None if year.grand_total is None else lift(year.grand_total, [c for row in cells for c in row])
    return Grid(cells, rows, columns, grand)


def hidden_of(quarters, year, protected_quarters, protected_year) -> set[tuple]:
    found = set()
    for n, (grid, protected) in enumerate(zip([*quarters, year], [*protected_quarters, protected_year], strict=True)):
        found |= {(n, key) for key in hidden_keys(grid, protected)}
    return found


# --------------------------------------------------------------------------- properties


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=years())
def test_a_reader_of_both_views_cannot_work_out_any_hidden_figure(case):
    quarters, year = case
    protected_quarters, protected_year_ = protect_year(quarters, year, threshold=THRESHOLD)
    hidden = hidden_of(quarters, year, protected_quarters, protected_year_)
    assert YearReader(quarters, year, hidden).worked_out() == set()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=years(max_quarters=4, max_rows=3, max_columns=3))
def test_figures_from_too_few_people_are_hidden_and_shown_figures_are_true(case):
    quarters, year = case
    protected_quarters, protected_year_ = protect_year(quarters, year, threshold=THRESHOLD)
    for grid, protected in zip([*quarters, year], [*protected_quarters, protected_year_], strict=True):
        truth = figures_of(grid)
        originals = {("cell", i, j): c for i, row in enumerate(grid.cells) for j, c in enumerate(row)}
        originals.update({("row", i): t for i, t in enumerate(grid.row_totals or ())})
        originals.update({("column", j): t for j, t in enumerate(grid.column_totals or ())})
        if grid.grand_total is not None:
            originals[("grand",)] = grid.grand_total
        shown = {("cell", i, j): s for i, row in enumerate(protected.cells) for j, s in enumerate(row)}
        shown.update({("row", i): s for i, s in enumerate(protected.row_totals or ())})
        shown.update({("column", j): s for j, s in enumerate(protected.column_totals or ())})
        if protected.grand_total is not None:
            shown[("grand",)] = protected.grand_total
        for key, figure in shown.items():
            assert (figure.hidden == PRIMARY) == (0 < originals[key].contributors < THRESHOLD)
            assert figure.value == (None if figure.suppressed else truth[key])
            assert figure.hidden in ("", PRIMARY, SECONDARY)


@st.composite
def hidden_sets(draw):
    quarters, year = draw(years(max_quarters=2, max_rows=1, max_columns=2, values=st.integers(0, 3)))
    planes = [*quarters, year]
    networks = [grid_network(grid) for grid in planes]
    hidden = [draw(st.sets(st.integers(0, len(edges) - 1))) for edges, _ in networks]
    return quarters, year, networks, hidden


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=hidden_sets())
def test_the_check_flags_every_figure_the_reader_can_work_out_on_any_hidden_set(case):
    """Sufficient, not exact: whatever the module calls safe, the reader cannot work out.
    (It may call a figure exposed that a more tangled change would keep safe.)"""
    quarters, year, networks, hidden = case
    planes = [_Plane(edges, is_year=n == len(networks) - 1) for n, (edges, _) in enumerate(networks)]
    flagged = {(n, networks[n][1][i]) for n, i in exposed_linked(planes, hidden)}
    keyed = {(n, networks[n][1][i]) for n, indexes in enumerate(hidden) for i in indexes}
    assert YearReader(quarters, year, keyed).worked_out() <= flagged


# --------------------------------------------------------------------------- examples


def plain(rows):
    """A grid of counts, one person each, with every total."""
    cells = tuple(tuple(Count(v, v) for v in row) for row in rows)
    row_totals = tuple(Count(sum(r), sum(r)) for r in rows)
    column_totals = tuple(Count(sum(c), sum(c)) for c in zip(*rows, strict=True))
    grand = sum(map(sum, rows))
    return Grid(cells, row_totals, column_totals, Count(grand, grand))


def add(*grids_):
    rows = [[sum(g.cells[i][j].value for g in grids_) for j in range(len(grids_[0].cells[0]))]
            for i in range(len(grids_[0].cells))]
    return plain(rows)


def test_a_small_quarter_cannot_be_found_from_the_year_less_the_other_quarters():
    # Each quarter on its own would be protected by a rectangle; the year shows 12 + 20 +
    # ... and would give the small quarter's figure away if the year were protected alone.
    q1, q2 = plain([[3, 20], [25, 40]]), plain([[9, 20], [25, 40]])
    year = add(q1, q2)
    protected_quarters, protected_year_ = protect_year([q1, q2], year)
    hidden = hidden_of([q1, q2], year, protected_quarters, protected_year_)
    assert (0, ("cell", 0, 0)) in hidden
    assert YearReader([q1, q2], year, hidden).worked_out() == set()
    # The year's figure for the small cell is about 12 people: it can be shown only if
    # the quarter's 3 has a partner quarter hidden with it.
    if (2, ("cell", 0, 0)) not in hidden:
        assert (1, ("cell", 0, 0)) in hidden


def test_a_year_figure_large_enough_to_show_is_shown_when_its_quarters_can_hide_together():
    # Every quarter is small, the year large: the year view is the one that shows them.
    quarters = [plain([[3, 4], [2, 5]]) for _ in range(4)]
    year = add(*quarters)
    protected_quarters, protected_year_ = protect_year(quarters, year)
    assert all(s.suppressed for grid in protected_quarters for row in grid.cells for s in row)
    assert [[s.value for s in row] for row in protected_year_.cells] == [[12, 16], [8, 20]]
    hidden = hidden_of(quarters, year, protected_quarters, protected_year_)
    assert YearReader(quarters, year, hidden).worked_out() == set()


def test_when_every_quarter_is_shown_the_year_cannot_hide_a_figure_on_its_own():
    # The year's row 0 is about 8 people in all but its cell (0, 0) about only 6 of them
    # (the same people in both quarters): hidden in the year, so a quarter must hide too.
    q = Grid(((Count(9, 8), Count(10, 10)), (Count(10, 10), Count(10, 10))))
    year = Grid(((Count(18, 6), Count(20, 20)), (Count(20, 20), Count(20, 20))))
    with pytest.raises(ValueError, match="at least as many people"):
        protect_year([q, q], year)
    year = Grid(((Count(18, 8), Count(20, 20)), (Count(20, 20), Count(20, 20))))
    protected_quarters, protected_year_ = protect_year([q, q], year)
    assert hidden_of([q, q], year, protected_quarters, protected_year_) == set()


def test_a_single_quarter_year_is_the_quarter_twice():
    q = plain([[3, 20], [25, 40]])
    protected_quarters, protected_year_ = protect_year([q], add(q))
    assert protected_quarters[0] == protected_year_
    hidden = hidden_of([q], add(q), protected_quarters, protected_year_)
    assert YearReader([q], add(q), hidden).worked_out() == set()


def test_the_year_must_add_up_its_quarters():
    q = plain([[3, 20], [25, 40]])
    with pytest.raises(ValueError, match="add up"):
        protect_year([q, q], q)
    with pytest.raises(ValueError, match="same rows"):
        protect_year([q, plain([[1]])], q)
    with pytest.raises(ValueError, match="at least one quarter"):
        protect_year([], q)


def test_every_hidden_set_of_a_tiny_year_is_judged_no_more_kindly_than_the_reader_judges_it():
    """Exhaustively: a one-row, two-column table over two quarters with a zero in it, every
    hidden set of the three planes' cells (their totals shown)."""
    q1, q2 = plain([[2, 0]]), plain([[1, 3]])
    year = add(q1, q2)
    networks = [grid_network(g) for g in (q1, q2, year)]
    planes = [_Plane(edges, is_year=n == 2) for n, (edges, _) in enumerate(networks)]
    cells = [i for i, key in enumerate(networks[0][1]) if key[0] == "cell"]
    choices = [(n, i) for n in range(3) for i in cells]
    for size in range(len(choices) + 1):
        for chosen in itertools.combinations(choices, size):
            hidden = [{i for n, i in chosen if n == plane} for plane in range(3)]
            flagged = {(n, networks[n][1][i]) for n, i in exposed_linked(planes, hidden)}
            keyed = {(n, networks[n][1][i]) for n, i in chosen}
            assert YearReader([q1, q2], year, keyed).worked_out() <= flagged, chosen


def test_protection_ends_even_when_everything_must_go():
    q = plain([[1, 2], [3, 1]])
    hidden = protect_linked([_Plane(grid_network(q)[0], False), _Plane(grid_network(q)[0], True)],
                            [set(range(9)), set(range(9))])
    assert hidden == [set(range(9)), set(range(9))]


def test_the_module_has_no_django_import():
    source = open(linked.__file__, encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "django" not in source.lower().replace("no django import", "")

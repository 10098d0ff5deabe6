"""Secondary suppression (lotus/insights/suppression.py): no hidden figure can be worked out
from the published figures and how the table adds up. Pure: no database.

The checks here do not trust the module's own idea of "exposed". They write out the
table's equations afresh and search for another set of whole numbers, zero or more, that
fits everything published (a brute-force reader); or, on larger tables, ask whether the
equations pin a hidden figure down at all (exact linear algebra over fractions).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lotus.insights import suppression
from lotus.insights.suppression import (
    PRIMARY,
    SECONDARY,
    Count,
    Edge,
    Grid,
    Shown,
    derived_total,
    exposed,
    grid_network,
    protect,
    protect_grid,
)

THRESHOLD = 8


# --------------------------------------------------------------------------- the reader


def figures_of(grid: Grid) -> dict[tuple, int]:
    found = {("cell", i, j): cell.value for i, row in enumerate(grid.cells) for j, cell in enumerate(row)}
    found.update({("row", i): t.value for i, t in enumerate(grid.row_totals or ())})
    found.update({("column", j): t.value for j, t in enumerate(grid.column_totals or ())})
    if grid.grand_total is not None:
        found[("grand",)] = grid.grand_total.value
    return found


def equations_of(grid: Grid) -> list[dict[tuple, int]]:
    """How the table adds up, written from what a reader sees: each equation is
    {figure: coefficient} summing to zero."""
    rows, columns = len(grid.cells), len(grid.cells[0])
    equations = []
    if grid.row_totals is not None:
        for i in range(rows):
            equations.append({**{("cell", i, j): 1 for j in range(columns)}, ("row", i): -1})
    if grid.column_totals is not None:
        for j in range(columns):
            equations.append({**{("cell", i, j): 1 for i in range(rows)}, ("column", j): -1})
    if grid.grand_total is not None:
        if grid.row_totals is not None:
            equations.append({**{("row", i): 1 for i in range(rows)}, ("grand",): -1})
        if grid.column_totals is not None:
            equations.append({**{("column", j): 1 for j in range(columns)}, ("grand",): -1})
    return equations


def hidden_keys(grid: Grid, protected) -> set[tuple]:
    found = {("cell", i, j) for i, row in enumerate(protected.cells) for j, s in enumerate(row) if s.suppressed}
    found |= {("row", i) for i, s in enumerate(protected.row_totals or ()) if s.suppressed}
    found |= {("column", j) for j, s in enumerate(protected.column_totals or ()) if s.suppressed}
    if protected.grand_total is not None and protected.grand_total.suppressed:
        found.add(("grand",))
    return found


class Reader:
    """Knows every published figure and the equations; searches whole numbers 0..cap for
    the hidden ones. Any change a cycle can make moves a figure by one, so a cap one above
    the largest figure finds another solution whenever there is one."""

    def __init__(self, grid: Grid, hidden: set[tuple]):
        self.truth = figures_of(grid)
        self.hidden = sorted(hidden)
        self.cap = max(self.truth.values(), default=0) + 1
        self.equations = []
        for equation in equations_of(grid):
            constant = sum(c * self.truth[k] for k, c in equation.items() if k not in hidden)
            unknown = {k: c for k, c in equation.items() if k in hidden}
            if unknown:
                self.equations.append((unknown, constant))
            else:
                assert constant == 0  # the published figures agree with each other

    def _fits(self, assigned: dict) -> bool:
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
                    value = -total * unknown[missing[0]]  # coefficients are 1 or -1
                    if not 0 <= value <= self.cap:
                        return False
                    assigned[missing[0]] = value
                    changed = True
        free = [k for k in self.hidden if k not in assigned]
        if not free:
            return True
        key = free[0]
        for value in sorted(range(self.cap + 1), key=lambda v: abs(v - self.truth[key])):
            if self._fits({**assigned, key: value}):
                return True
        return False

    def can_work_out(self, key: tuple) -> bool:
        others = sorted((v for v in range(self.cap + 1) if v != self.truth[key]), key=lambda v: abs(v - self.truth[key]))
        return not any(self._fits({key: value}) for value in others)

    def worked_out(self) -> set[tuple]:
        return {key for key in self.hidden if self.can_work_out(key)}


def linearly_fixed(grid: Grid, hidden: set[tuple]) -> set[tuple]:
    """Hidden figures the equations alone pin down: e_k lies in the row space (exact)."""
    order = sorted(hidden)
    rows = [[Fraction(eq.get(k, 0)) for k in order] for eq in equations_of(grid)]
    rows = [row for row in rows if any(row)]

    def rank(matrix):
        matrix = [row[:] for row in matrix]
        r = 0
        for col in range(len(order)):
            pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
            if pivot is None:
                continue
            matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
            for i in range(len(matrix)):
                if i != r and matrix[i][col] != 0:
                    factor = matrix[i][col] / matrix[r][col]
                    matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
            r += 1
        return r

    base = rank(rows)
    fixed = set()
    for index, key in enumerate(order):
        unit = [Fraction(int(i == index)) for i in range(len(order))]
        if rank([*rows, unit]) == base:
            fixed.add(key)
    return fixed


# --------------------------------------------------------------------------- strategies

small_values = st.one_of(st.integers(0, 3), st.integers(0, 12), st.integers(5, 10))


@st.composite
def grids(draw, max_rows=3, max_columns=3, values=small_values):
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))

    def count(value):
        if value == 0:
            return Count(0, 0)
        return Count(value, draw(st.integers(1, value)))

    def total(parts):
        value = sum(p.value for p in parts)
        if value == 0:
            return Count(0, 0)
        low = max(p.contributors for p in parts)
        high = min(value, sum(p.contributors for p in parts))
        return Count(value, draw(st.integers(low, high)))

    cells = tuple(tuple(count(draw(values)) for _ in range(columns)) for _ in range(rows))
    has_rows = draw(st.booleans())
    has_columns = draw(st.booleans())
    has_grand = (has_rows or has_columns) and draw(st.booleans())
    row_totals = tuple(total(row) for row in cells) if has_rows else None
    column_totals = tuple(total([row[j] for row in cells]) for j in range(columns)) if has_columns else None
    grand = total([c for row in cells for c in row]) if has_grand else None
    return Grid(cells, row_totals, column_totals, grand)


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=grids())
@example(grid=Grid(((Count(3, 3), Count(0, 0)), (Count(0, 0), Count(0, 0))),
                   (Count(3, 3), Count(0, 0)), (Count(3, 3), Count(0, 0)), Count(3, 3)))
def test_a_reader_cannot_work_out_any_hidden_figure_from_what_is_published(grid):
    protected = protect_grid(grid, threshold=THRESHOLD)
    hidden = hidden_keys(grid, protected)
    assert Reader(grid, hidden).worked_out() == set()


@settings(max_examples=150, deadline=None)
@given(grid=grids(max_rows=6, max_columns=7))
def test_on_larger_tables_no_hidden_figure_is_fixed_by_the_equations(grid):
    protected = protect_grid(grid, threshold=THRESHOLD)
    assert linearly_fixed(grid, hidden_keys(grid, protected)) == set()


def lines_with_a_published_total(grid: Grid, protected):
    """Each relation as the figures in it: a row or column with its total, and the
    totals with the grand total. Totals can be hidden too."""
    rows, columns = len(grid.cells), len(grid.cells[0])
    cell = protected.cells
    if grid.row_totals is not None:
        for i in range(rows):
            yield [cell[i][j] for j in range(columns)] + [protected.row_totals[i]]
    if grid.column_totals is not None:
        for j in range(columns):
            yield [cell[i][j] for i in range(rows)] + [protected.column_totals[j]]
    if grid.grand_total is not None:
        if grid.row_totals is not None:
            yield [*protected.row_totals, protected.grand_total]
        if grid.column_totals is not None:
            yield [*protected.column_totals, protected.grand_total]


@settings(max_examples=300, deadline=None)
@given(grid=grids(max_rows=5, max_columns=5))
def test_no_row_or_column_has_exactly_one_hidden_figure(grid):
    protected = protect_grid(grid, threshold=THRESHOLD)
    for line in lines_with_a_published_total(grid, protected):
        assert sum(1 for figure in line if figure.suppressed) != 1


@settings(max_examples=300, deadline=None)
@given(grid=grids(max_rows=5, max_columns=5))
def test_every_figure_from_too_few_people_is_hidden_and_every_shown_figure_is_true(grid):
    protected = protect_grid(grid, threshold=THRESHOLD)
    truth = figures_of(grid)
    shown = {}
    for i, row in enumerate(protected.cells):
        for j, s in enumerate(row):
            shown[("cell", i, j)] = s
    shown.update({("row", i): s for i, s in enumerate(protected.row_totals or ())})
    shown.update({("column", j): s for j, s in enumerate(protected.column_totals or ())})
    if protected.grand_total is not None:
        shown[("grand",)] = protected.grand_total
    originals = {("cell", i, j): c for i, row in enumerate(grid.cells) for j, c in enumerate(row)}
    originals.update({("row", i): t for i, t in enumerate(grid.row_totals or ())})
    originals.update({("column", j): t for j, t in enumerate(grid.column_totals or ())})
    if grid.grand_total is not None:
        originals[("grand",)] = grid.grand_total
    for key, figure in shown.items():
        few = 0 < originals[key].contributors < THRESHOLD
        assert (figure.hidden == PRIMARY) == few
        if figure.suppressed:
            assert figure.value is None and figure.hidden in (PRIMARY, SECONDARY)
        else:
            assert figure.value == truth[key]


@settings(max_examples=200, deadline=None)
@given(grid=grids(max_rows=4, max_columns=4, values=st.integers(8, 40)))
def test_nothing_is_hidden_when_every_figure_has_enough_people(grid):
    enough = Grid(
        tuple(tuple(Count(c.value, c.value) for c in row) for row in grid.cells),
        None if grid.row_totals is None else tuple(Count(t.value, t.value) for t in grid.row_totals),
        None if grid.column_totals is None else tuple(Count(t.value, t.value) for t in grid.column_totals),
        None if grid.grand_total is None else Count(grid.grand_total.value, grid.grand_total.value),
    )
    protected = protect_grid(enough, threshold=THRESHOLD)
    assert hidden_keys(enough, protected) == set()


@st.composite
def networks_with_a_hidden_set(draw):
    grid = draw(grids(max_rows=2, max_columns=3, values=st.integers(0, 5)))
    edges, keys = grid_network(grid)
    hidden = draw(st.sets(st.integers(0, len(edges) - 1), max_size=len(edges)))
    return grid, edges, keys, hidden


@settings(max_examples=300, deadline=None)
@given(case=networks_with_a_hidden_set())
def test_the_exposure_check_agrees_with_a_brute_force_reader_on_any_hidden_set(case):
    """The module's own check, on arbitrary (not only protected) hidden sets: it flags
    exactly the figures the reader can work out, so it can and does fail."""
    grid, edges, keys, hidden = case
    flagged = {keys[i] for i in exposed(edges, hidden)}
    assert flagged == Reader(grid, {keys[i] for i in hidden}).worked_out()


# --------------------------------------------------------------------------- examples


def counts(rows):
    return tuple(tuple(Count(v, v) for v in row) for row in rows)


def full_grid(rows):
    cells = counts(rows)
    row_totals = tuple(Count(sum(r), sum(r)) for r in rows)
    column_totals = tuple(Count(sum(col), sum(col)) for col in zip(*rows, strict=True))
    grand = sum(map(sum, rows))
    return Grid(cells, row_totals, column_totals, Count(grand, grand))


def test_one_small_cell_with_published_totals_takes_others_with_it():
    grid = full_grid([[3, 20, 30], [25, 40, 50], [60, 70, 80]])
    protected = protect_grid(grid)
    hidden = hidden_keys(grid, protected)
    assert ("cell", 0, 0) in hidden
    assert len(hidden) >= 4  # the smallest cycle: a rectangle of four cells
    assert Reader(grid, hidden).worked_out() == set()
    # The cheapest rectangle is chosen: the small cell's row and column partners.
    assert hidden == {("cell", 0, 0), ("cell", 0, 1), ("cell", 1, 0), ("cell", 1, 1)}


def test_primary_suppression_alone_would_give_the_figure_away():
    grid = full_grid([[3, 20], [25, 40]])
    edges, keys = grid_network(grid)
    only_primary = {keys.index(("cell", 0, 0))}
    assert exposed(edges, only_primary) == only_primary
    assert Reader(grid, {("cell", 0, 0)}).worked_out() == {("cell", 0, 0)}


def test_two_hidden_in_every_line_is_not_enough_when_the_partners_are_zero():
    """Rows 3 + 0 and 0 + 0, all four cells hidden, totals shown: every line has two
    hidden cells, yet the 0-total row forces its cells to 0 and the 3 follows."""
    grid = full_grid([[3, 0], [0, 0]])
    edges, keys = grid_network(grid)
    four = {keys.index(("cell", i, j)) for i in range(2) for j in range(2)}
    assert keys[min(exposed(edges, four))] == ("cell", 0, 0)
    assert ("cell", 0, 0) in Reader(grid, {keys[i] for i in four}).worked_out()
    protected = protect_grid(grid)
    assert Reader(grid, hidden_keys(grid, protected)).worked_out() == set()


def test_a_table_of_only_small_numbers_is_hidden_whole():
    grid = full_grid([[1, 2], [3, 1]])
    protected = protect_grid(grid)
    assert hidden_keys(grid, protected) == set(figures_of(grid))


def test_a_small_total_is_hidden_and_protected_like_a_cell():
    # Every cell is 0 or from 8 people, but row 0's total is from 5 people (the same people
    # in both cells): the total is hidden, and so is enough else that it cannot be added up.
    cells = ((Count(10, 5), Count(0, 0)), (Count(20, 20), Count(30, 30)))
    grid = Grid(cells, (Count(10, 5), Count(50, 50)), (Count(30, 25), Count(30, 30)), Count(60, 55))
    protected = protect_grid(grid)
    hidden = hidden_keys(grid, protected)
    assert ("row", 0) in hidden and ("cell", 0, 0) in hidden
    assert Reader(grid, hidden).worked_out() == set()


def test_without_totals_only_the_small_figures_are_hidden():
    grid = Grid(counts([[3, 20], [25, 1]]))
    protected = protect_grid(grid)
    assert hidden_keys(grid, protected) == {("cell", 0, 0), ("cell", 1, 1)}


def test_the_same_table_is_always_protected_the_same_way():
    grid = full_grid([[3, 9, 12, 0], [9, 2, 30, 8], [0, 10, 11, 4]])
    first = protect_grid(grid)
    assert all(protect_grid(grid) == first for _ in range(5))


def test_a_network_that_cannot_be_protected_is_refused():
    # One figure between two nodes that must balance: it can only ever be 0.
    with pytest.raises(ValueError, match="cannot be protected"):
        protect([Edge("a", "b", 0)], {0})


def test_a_self_loop_is_never_exposed():
    assert exposed([Edge("ground", "ground", 5)], {0}) == set()


@pytest.mark.parametrize(
    ("value", "contributors"), [(-1, 0), (2, 3), (3, 0), (2.0, 1), (True, 1), (1, None)]
)
def test_a_count_must_be_a_count_of_people(value, contributors):
    with pytest.raises((TypeError, ValueError)):
        Count(value, contributors)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Grid(((Count(1, 1),), (Count(1, 1), Count(1, 1)))),
        lambda: Grid(counts([[1, 2]]), row_totals=(Count(4, 4),)),
        lambda: Grid(counts([[1, 2]]), column_totals=(Count(1, 1),)),
        lambda: Grid(counts([[1, 2]]), column_totals=(Count(1, 1), Count(3, 3))),
        lambda: Grid(counts([[1, 2]]), grand_total=Count(3, 3)),
        lambda: Grid(counts([[1, 2]]), row_totals=(Count(3, 3),), grand_total=Count(4, 4)),
    ],
)
def test_a_table_that_does_not_add_up_is_refused(build):
    with pytest.raises(ValueError, match="must|needs"):
        build()


def test_a_derived_total_is_shown_only_when_every_part_is():
    assert derived_total([Shown(8), Shown(10)]) == Shown(18)
    assert derived_total([Shown(8), Shown(None, PRIMARY)]).suppressed
    assert derived_total([]) == Shown(0)


def test_every_hidden_set_of_a_tiny_table_is_judged_like_the_reader_judges_it():
    """Exhaustively, not by sampling: each of the 2^9 hidden sets of a 2 x 2 table with
    its totals, with a zero in it."""
    grid = full_grid([[4, 0], [2, 9]])
    edges, keys = grid_network(grid)
    for size in range(len(edges) + 1):
        for hidden in itertools.combinations(range(len(edges)), size):
            flagged = {keys[i] for i in exposed(edges, set(hidden))}
            assert flagged == Reader(grid, {keys[i] for i in hidden}).worked_out(), hidden


def test_the_module_has_no_django_import():
    source = open(suppression.__file__, encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "django" not in source.lower().replace("no django import", "")

"""Secondary suppression: hide enough figures of a table that no hidden one can be worked
out from what is published. Pure: no Django import.

Primary suppression is `lotus.core.suppression.figure_shown`: a figure from fewer than
the threshold of people is hidden. That is not enough on its own once totals are shown.
If a row has one hidden cell and its total is published, the hidden cell is the total
less the others. So further cells (or totals) are hidden until every hidden figure could
take more than one value, whatever a reader does with the published ones.

How it is checked, exactly
--------------------------
A table with its totals is a network. Each figure is an edge; each published relation
("these cells add up to that total") is a node through which as much flows in as flows
out. For a grid with row totals, column totals and a grand total:

    row total i : SUM -> row i        cell (i, j) : row i -> column j
    column total j : column j -> TOTAL    grand total : TOTAL -> SUM

and a relation that is not published (no column totals, say) joins the one node, GROUND,
where nothing has to balance. The values published and hidden are then a flow, and the
hidden values are pinned down exactly when no other flow of whole numbers, none below
zero, agrees with everything published. Two flows differ by circulations round cycles,
so a hidden figure can take another value exactly when it lies on a cycle of hidden
figures that can be pushed one way or the other: along an edge it means adding one;
against it, taking one away, which a figure already at zero cannot give. (The matrix of
such a network is totally unimodular, so whole numbers lose nothing here.) `exposed`
looks for such a cycle through each hidden figure; `protect` adds the cheapest figures
that make one, shortest path first, until none is exposed.

What a reader is assumed to know: every published figure; that each hidden figure is a
whole number, zero or more; how the table adds up. Every hidden figure is shown the same
way ("Not shown"), because showing "fewer than 8" on some and another word on others
gives bounds that can pin a value (a hidden 1 to 7 beside a hidden 0 or 8 and more, in a
row whose hidden part totals 9, must be 1 and 8). Not covered: several releases of the
same figures made at different times, or tables linked in ways not given here (ADR 0020).
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import count as counter

from lotus.core.suppression import SUPPRESSION_THRESHOLD, figure_shown

GROUND = "ground"

#: What hiding one more figure costs, by kind, times (1 + its value): cells first, then
#: totals, the grand total last, so the table keeps as much as it can.
CELL_WEIGHT = 1
MARGIN_WEIGHT = 4
GRAND_WEIGHT = 16

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Count:
    """A count and how many distinct people it is about."""

    value: int
    contributors: int

    def __post_init__(self):
        for name in ("value", "contributors"):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, int):
                raise TypeError(f"{name} must be a whole number")
            if number < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.contributors > self.value:
            raise ValueError("a count cannot be about more people than it counts")
        if self.value and not self.contributors:
            raise ValueError("a count above zero must be about someone")


@dataclass(frozen=True)
class Shown:
    """One figure as published: its value, or None with why it is hidden (kept for the
    tests and the audit of the algorithm; pages show every hidden figure the same way)."""

    value: int | None
    hidden: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Edge:
    """One figure of a network: it flows from `tail` to `head`."""

    tail: Hashable
    head: Hashable
    value: int
    cost: float = 1.0


# --------------------------------------------------------------------------- the network


def _arcs(edges: Sequence[Edge], members, skip: int | None) -> dict:
    """Where one can go from each node using the figures in `members` (indexes), other
    than `skip`: along an edge (add one) always, against it (take one) when it is above 0."""
    arcs: dict = defaultdict(list)
    for index in members:
        if index == skip:
            continue
        edge = edges[index]
        arcs[edge.tail].append((edge.head, index))
        if edge.value >= 1:
            arcs[edge.head].append((edge.tail, index))
    return arcs


def _reaches(arcs: dict, start, goal) -> bool:
    if start == goal:
        return True
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt, _ in arcs.get(node, ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def exposed(edges: Sequence[Edge], hidden: set[int]) -> set[int]:
    """The hidden figures (indexes into `edges`) a reader could work out exactly."""
    found = set()
    for index in hidden:
        edge = edges[index]
        arcs = _arcs(edges, hidden, index)
        can_rise = _reaches(arcs, edge.head, edge.tail)
        can_fall = edge.value >= 1 and _reaches(arcs, edge.tail, edge.head)
        if not (can_rise or can_fall):
            found.add(index)
    return found


def _cheapest_path(edges: Sequence[Edge], hidden: set[int], skip: int, start, goal) -> tuple[float, list[int]] | None:
    """Dijkstra over every figure but `skip`: a hidden one costs nothing to use, any other
    its cost. Returns (cost, figures on the path) or None when there is no path."""
    arcs = _arcs(edges, range(len(edges)), skip)
    tie = counter()
    best = {start: 0.0}
    back: dict = {}
    queue = [(0.0, next(tie), start)]
    while queue:
        cost, _, node = heapq.heappop(queue)
        if node == goal:
            path = []
            while node != start:
                node, index = back[node]
                path.append(index)
            return cost, path
        if cost > best.get(node, float("inf")):
            continue
        for nxt, index in arcs.get(node, ()):
            step = 0.0 if index in hidden else edges[index].cost
            if cost + step < best.get(nxt, float("inf")):
                best[nxt] = cost + step
                back[nxt] = (node, index)
                heapq.heappush(queue, (cost + step, next(tie), nxt))
    return None


def protect(edges: Sequence[Edge], primary: set[int]) -> set[int]:
    """The figures to hide: every one in `primary`, and the fewest, cheapest others that
    leave no hidden figure exposed. Deterministic for the same input."""
    hidden = set(primary)
    while True:
        loose = exposed(edges, hidden)
        if not loose:
            return hidden
        index = min(loose)
        edge = edges[index]
        options = [_cheapest_path(edges, hidden, index, edge.head, edge.tail)]
        if edge.value >= 1:
            options.append(_cheapest_path(edges, hidden, index, edge.tail, edge.head))
        options = [option for option in options if option is not None]
        if not options:
            raise ValueError("This table cannot be protected: a figure is fixed by how the table adds up")
        _, path = min(options, key=lambda option: option[0])
        hidden.update(path)


# --------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class Grid:
    """A table of counts, with whichever totals are published. `row_totals[i]` adds up
    row i, `column_totals[j]` column j; `grand_total` adds up the totals given."""

    cells: tuple[tuple[Count, ...], ...]
    row_totals: tuple[Count, ...] | None = None
    column_totals: tuple[Count, ...] | None = None
    grand_total: Count | None = None

    def __post_init__(self):
        rows = len(self.cells)
        columns = len(self.cells[0]) if rows else 0
        if any(len(row) != columns for row in self.cells):
            raise ValueError("every row must have the same number of cells")
        if self.row_totals is not None:
            if len(self.row_totals) != rows:
                raise ValueError("there must be one row total per row")
            for row, total in zip(self.cells, self.row_totals, strict=True):
                if sum(cell.value for cell in row) != total.value:
                    raise ValueError("a row total must add up its row")
        if self.column_totals is not None:
            if len(self.column_totals) != columns:
                raise ValueError("there must be one column total per column")
            for j, total in enumerate(self.column_totals):
                if sum(row[j].value for row in self.cells) != total.value:
                    raise ValueError("a column total must add up its column")
        if self.grand_total is not None:
            if self.row_totals is None and self.column_totals is None:
                raise ValueError("a grand total needs row or column totals to add up")
            if sum(cell.value for row in self.cells for cell in row) != self.grand_total.value:
                raise ValueError("the grand total must add up the table")


@dataclass(frozen=True)
class ProtectedGrid:
    cells: tuple[tuple[Shown, ...], ...]
    row_totals: tuple[Shown, ...] | None
    column_totals: tuple[Shown, ...] | None
    grand_total: Shown | None


def grid_network(grid: Grid) -> tuple[list[Edge], list[tuple]]:
    """The grid as a network: its edges, and for each edge which figure it is
    (("cell", i, j), ("row", i), ("column", j) or ("grand",))."""
    has_rows = grid.row_totals is not None
    has_columns = grid.column_totals is not None
    has_grand = grid.grand_total is not None

    def row(i):
        return ("row", i) if has_rows else GROUND

    def column(j):
        return ("column", j) if has_columns else GROUND

    row_sum = "sum of rows" if has_grand and has_rows else GROUND
    column_sum = "sum of columns" if has_grand and has_columns else GROUND
    edges: list[Edge] = []
    keys: list[tuple] = []
    for i, cells in enumerate(grid.cells):
        for j, cell in enumerate(cells):
            edges.append(Edge(row(i), column(j), cell.value, CELL_WEIGHT * (1 + cell.value)))
            keys.append(("cell", i, j))
    for i, total in enumerate(grid.row_totals or ()):
        edges.append(Edge(row_sum, row(i), total.value, MARGIN_WEIGHT * (1 + total.value)))
        keys.append(("row", i))
    for j, total in enumerate(grid.column_totals or ()):
        edges.append(Edge(column(j), column_sum, total.value, MARGIN_WEIGHT * (1 + total.value)))
        keys.append(("column", j))
    if has_grand:
        edges.append(Edge(column_sum, row_sum, grid.grand_total.value, GRAND_WEIGHT * (1 + grid.grand_total.value)))
        keys.append(("grand",))
    return edges, keys


def _figures(grid: Grid) -> dict[tuple, Count]:
    found = {("cell", i, j): cell for i, row in enumerate(grid.cells) for j, cell in enumerate(row)}
    found.update({("row", i): total for i, total in enumerate(grid.row_totals or ())})
    found.update({("column", j): total for j, total in enumerate(grid.column_totals or ())})
    if grid.grand_total is not None:
        found[("grand",)] = grid.grand_total
    return found


def protect_grid(grid: Grid, *, threshold: int = SUPPRESSION_THRESHOLD) -> ProtectedGrid:
    """Hide every figure from fewer than `threshold` people (lotus.core.suppression), and
    enough others that no hidden figure can be worked out from the published ones."""
    edges, keys = grid_network(grid)
    figures = _figures(grid)
    primary = {
        index for index, key in enumerate(keys)
        if figure_shown(figures[key].value, contributors=figures[key].contributors, threshold=threshold).suppressed
    }
    hidden = protect(edges, primary)
    shown = {}
    for index, key in enumerate(keys):
        if index in primary:
            shown[key] = Shown(None, PRIMARY)
        elif index in hidden:
            shown[key] = Shown(None, SECONDARY)
        else:
            shown[key] = Shown(figures[key].value)
    return ProtectedGrid(
        cells=tuple(tuple(shown[("cell", i, j)] for j in range(len(row))) for i, row in enumerate(grid.cells)),
        row_totals=None if grid.row_totals is None else tuple(shown[("row", i)] for i in range(len(grid.row_totals))),
        column_totals=None if grid.column_totals is None
        else tuple(shown[("column", j)] for j in range(len(grid.column_totals))),
        grand_total=None if grid.grand_total is None else shown[("grand",)],
    )


def derived_total(parts: Sequence[Shown]) -> Shown:
    """A further total made only of published figures (a row's total over several tables):
    shown only when every part is, so it tells a reader nothing they could not add up."""
    if any(part.suppressed for part in parts):
        return Shown(None, SECONDARY)
    return Shown(sum(part.value for part in parts))


__all__ = [
    "GROUND",
    "PRIMARY",
    "SECONDARY",
    "Count",
    "Edge",
    "Grid",
    "ProtectedGrid",
    "Shown",
    "derived_total",
    "exposed",
    "grid_network",
    "protect",
    "protect_grid",
]

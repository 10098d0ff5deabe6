"""Secondary suppression for a year shown by quarter and as a whole year.
Pure: no Django import.

The themes page shows each count block by quarter or by year (ADR 0025). Both views
publish figures from one calendar year: each quarter's table (rows by groups, with its
totals) and the year's table, every figure of which is the sum of the same figure in the
quarters. Protecting each table on its own is not enough: a year figure less the shown
quarters gives a hidden quarter away, and a hidden year figure is the sum of its quarters
when all of them are shown. Three ways of adding up (rows, groups, quarters) make a
three-way table, which is not a network (lotus.insights.suppression), so the exact
cycle test there does not apply as it is.

What is checked, and why it is safe
-----------------------------------
Call each table a plane: the year's quarters so far, and the year. A reader who changes
one hidden figure must change others so that every total still agrees. One such change is
a cycle in one quarter's network (lotus.insights.suppression: hidden figures round which
one can be added and taken away) made in two planes at once:

- a quarter and the year: the same cycle in both, the same way (the year figures are the
  quarter's plus the other quarters', which do not move);
- two quarters: the cycle one way in the first and the other way in the second, so no
  year figure moves.

Every figure on the cycle must be hidden in both planes, and none may fall below zero in
either. If such a paired cycle runs through a hidden figure, the reader has two tables of
whole numbers that agree with everything published and differ in that figure, so they
cannot work it out. That is sufficient, not necessary: a figure safe only by a more
tangled change is taken for exposed and more is hidden than the least needed. Hiding
more is the safe side.

`protect_year` hides the primary figures of every plane (fewer than the threshold of
people), then, while some hidden figure has no paired cycle, adds the cheapest one for it
(over every partner plane, the shortest path by the cost of hiding what is not yet hidden
in each plane: cells before totals, small before large, quarters before the year).
Hiding more never makes a safe figure exposed, so this ends.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count as counter

from lotus.core.suppression import SUPPRESSION_THRESHOLD, figure_shown
from lotus.insights.suppression import (
    PRIMARY,
    SECONDARY,
    Edge,
    Grid,
    ProtectedGrid,
    Shown,
    grid_network,
)

#: Hiding a figure of the year costs this much more than the same figure of a quarter.
YEAR_WEIGHT = 2


@dataclass(frozen=True)
class _Plane:
    edges: list[Edge]
    is_year: bool


def _directions(value_p: int, value_t: int, *, with_year: bool) -> tuple[bool, bool]:
    """Whether a figure can rise and fall by one in plane p while its partner t moves to
    match: with the year, the same way; with another quarter, the other way."""
    if with_year:
        return True, min(value_p, value_t) >= 1
    return value_t >= 1, value_p >= 1


def _arcs(planes: Sequence[_Plane], p: int, t: int, usable) -> dict:
    """Where one can go from each node using the figures in `usable`, moving plane p and
    its partner t together: {node: [(next node, figure)]}."""
    with_year = planes[p].is_year or planes[t].is_year
    arcs: dict = defaultdict(list)
    for index in usable:
        edge = planes[p].edges[index]
        rise, fall = _directions(edge.value, planes[t].edges[index].value, with_year=with_year)
        if rise:
            arcs[edge.tail].append((edge.head, index))
        if fall:
            arcs[edge.head].append((edge.tail, index))
    return arcs


class _Graph:
    """The arcs of a pair of planes as bit masks, for fast reachability: node n's
    successors are the set bits of `masks[n]`; `counts` keeps how many arcs join each
    ordered pair of nodes (a table without column totals joins many cells to one node)."""

    def __init__(self, arcs: dict):
        nodes = set(arcs)
        for targets in arcs.values():
            nodes.update(nxt for nxt, _ in targets)
        self.number = {node: n for n, node in enumerate(sorted(nodes, key=repr))}
        self.masks = [0] * len(self.number)
        self.counts: dict[tuple[int, int], int] = defaultdict(int)
        for node, targets in arcs.items():
            a = self.number[node]
            for nxt, _ in targets:
                b = self.number[nxt]
                self.masks[a] |= 1 << b
                self.counts[(a, b)] += 1

    def reaches(self, start, goal, without: Sequence[tuple]) -> bool:
        """Whether `goal` can be reached from `start` without the arcs `without` (pairs
        of nodes, each arc taken away once)."""
        if start not in self.number or goal not in self.number:
            return start == goal
        s, g = self.number[start], self.number[goal]
        if s == g:
            return True
        masks = self.masks
        removed: dict[int, int] = {}
        for tail, head in without:
            a, b = self.number.get(tail), self.number.get(head)
            if a is not None and b is not None and self.counts[(a, b)] == 1:
                removed[a] = removed.get(a, masks[a]) & ~(1 << b)
        seen = frontier = 1 << s
        while frontier:
            reached = 0
            while frontier:
                low = frontier & -frontier
                n = low.bit_length() - 1
                frontier ^= low
                reached |= removed.get(n, masks[n])
            reached &= ~seen
            if reached >> g & 1:
                return True
            seen |= reached
            frontier = reached
        return False


class _Checker:
    """Answers "has this hidden figure a paired cycle?", keeping the arcs of each pair of
    planes until a plane's hidden figures change."""

    def __init__(self, planes: Sequence[_Plane], hidden: Sequence[set[int]]):
        self.planes = planes
        self.hidden = hidden
        self.arcs: dict[tuple[int, int], dict] = {}
        self.order = {
            p: sorted((t for t in range(len(planes)) if t != p), key=lambda t: (not planes[t].is_year, t))
            for p in range(len(planes))
        }

    def changed(self, plane: int) -> None:
        for pair in [pair for pair in self.arcs if plane in pair]:
            del self.arcs[pair]

    def _pair(self, p: int, t: int) -> _Graph:
        if (p, t) not in self.arcs:
            self.arcs[(p, t)] = _Graph(_arcs(self.planes, p, t, self.hidden[p] & self.hidden[t]))
        return self.arcs[(p, t)]

    def safe_with(self, p: int, t: int, index: int) -> bool:
        if index not in self.hidden[t]:
            return False
        with_year = self.planes[p].is_year or self.planes[t].is_year
        edge = self.planes[p].edges[index]
        rise, fall = _directions(edge.value, self.planes[t].edges[index].value, with_year=with_year)
        if not (rise or fall):
            return False
        graph = self._pair(p, t)
        # The figure's own arcs are left out: a cycle must run through the others.
        own = [pair for pair, allowed in (((edge.tail, edge.head), rise), ((edge.head, edge.tail), fall)) if allowed]
        return ((rise and graph.reaches(edge.head, edge.tail, own))
                or (fall and graph.reaches(edge.tail, edge.head, own)))

    def safe(self, p: int, index: int) -> bool:
        return any(self.safe_with(p, t, index) for t in self.order[p])


def exposed_linked(planes: Sequence[_Plane], hidden: Sequence[set[int]]) -> list[tuple[int, int]]:
    """The hidden figures (plane, index) with no paired cycle, in a fixed order."""
    checker = _Checker(planes, hidden)
    return [(p, index) for p, plane_hidden in enumerate(hidden) for index in sorted(plane_hidden)
            if not checker.safe(p, index)]


def _cost(planes: Sequence[_Plane], hidden: Sequence[set[int]], plane: int, index: int) -> float:
    if index in hidden[plane]:
        return 0.0
    return planes[plane].edges[index].cost * (YEAR_WEIGHT if planes[plane].is_year else 1)


class _Paths:
    """Cheapest paired cycles. The arcs of a pair of planes depend only on the figures'
    values, so each pair's are built once; what a figure costs depends on what is hidden."""

    def __init__(self, planes: Sequence[_Plane], hidden: Sequence[set[int]]):
        self.planes = planes
        self.hidden = hidden
        self.arcs: dict[tuple[int, int], dict] = {}
        self.costs = [[_cost(planes, hidden, p, i) for i in range(len(plane.edges))] for p, plane in enumerate(planes)]

    def hide(self, plane: int, indexes) -> None:
        self.hidden[plane].update(indexes)
        for index in indexes:
            self.costs[plane][index] = 0.0

    def _pair(self, p: int, t: int) -> dict:
        if (p, t) not in self.arcs:
            self.arcs[(p, t)] = _arcs(self.planes, p, t, range(len(self.planes[p].edges)))
        return self.arcs[(p, t)]

    def cheapest(self, p: int, t: int, index: int, limit: float) -> tuple[float, list[int]] | None:
        """The cheapest paired cycle through `index` of plane p with partner t, if it costs
        less than `limit`: (cost, the figures on it besides `index`), or None."""
        planes = self.planes
        with_year = planes[p].is_year or planes[t].is_year
        edge = planes[p].edges[index]
        rise, fall = _directions(edge.value, planes[t].edges[index].value, with_year=with_year)
        own = self.costs[t][index]
        arcs = self._pair(p, t)
        costs = (self.costs[p], self.costs[t])
        best = None
        for allowed, start, goal in ((rise, edge.head, edge.tail), (fall, edge.tail, edge.head)):
            if not allowed:
                continue
            bound = (limit if best is None else min(limit, best[0])) - own
            found = _dijkstra(arcs, start, goal, costs, index, bound)
            if found is not None and (best is None or found[0] + own < best[0]):
                best = (found[0] + own, found[1])
        return best


def _dijkstra(arcs: dict, start, goal, costs: tuple[Sequence[float], Sequence[float]], skip: int,
              limit: float) -> tuple[float, list[int]] | None:
    """The cheapest path from `start` to `goal` not using figure `skip`, if it costs less
    than `limit`; a figure costs what hiding it costs in both planes."""
    first, second = costs
    tie = counter()
    best = {start: 0.0}
    back: dict = {}
    queue = [(0.0, next(tie), start)]
    while queue:
        cost, _, node = heapq.heappop(queue)
        if cost >= limit:
            return None
        if node == goal:
            path = []
            while node != start:
                node, index = back[node]
                path.append(index)
            return cost, path
        if cost > best.get(node, float("inf")):
            continue
        for nxt, index in arcs.get(node, ()):
            if index == skip:
                continue
            step = cost + first[index] + second[index]
            if step < best.get(nxt, float("inf")):
                best[nxt] = step
                back[nxt] = (node, index)
                heapq.heappush(queue, (step, next(tie), nxt))
    return None


def protect_linked(planes: Sequence[_Plane], primary: Sequence[set[int]]) -> list[set[int]]:
    """The figures to hide in each plane: the primary ones, and enough others that every
    hidden figure has a paired cycle. Deterministic for the same input.

    Each figure found exposed at the start is seen to in turn (it may have been made safe
    meanwhile). A figure hidden on the way is on the cycle just made, which keeps it safe
    as well, and hiding more never takes a cycle away, so nothing needs checking again."""
    hidden = [set(one) for one in primary]
    checker = _Checker(planes, hidden)
    paths = _Paths(planes, hidden)
    loose = [(p, index) for p, plane_hidden in enumerate(hidden) for index in sorted(plane_hidden)
             if not checker.safe(p, index)]
    for p, index in loose:
        if checker.safe(p, index):
            continue
        chosen = None
        for t in checker.order[p]:
            found = paths.cheapest(p, t, index, float("inf") if chosen is None else chosen[0])
            if found is not None and (chosen is None or found[0] < chosen[0]):
                chosen = (found[0], t, found[1])
        if chosen is None:
            raise ValueError("This table cannot be protected: a figure is fixed by how the table adds up")
        _, t, path = chosen
        paths.hide(t, [index, *path])
        paths.hide(p, path)
        checker.changed(p)
        checker.changed(t)
    return hidden


def _keys_and_counts(grid: Grid) -> tuple[list[Edge], list[tuple], dict[tuple, object]]:
    edges, keys = grid_network(grid)
    counts = {("cell", i, j): cell for i, row in enumerate(grid.cells) for j, cell in enumerate(row)}
    counts.update({("row", i): total for i, total in enumerate(grid.row_totals or ())})
    counts.update({("column", j): total for j, total in enumerate(grid.column_totals or ())})
    if grid.grand_total is not None:
        counts[("grand",)] = grid.grand_total
    return edges, keys, counts


def _check_year(quarters: Sequence[Grid], year: Grid) -> None:
    if not quarters:
        raise ValueError("a year needs at least one quarter")
    _, shape, year_counts = _keys_and_counts(year)
    parts = []
    for grid in quarters:
        _, keys, counts = _keys_and_counts(grid)
        if keys != shape:
            raise ValueError("every quarter must have the same rows, groups and totals as the year")
        parts.append(counts)
    for key in shape:
        total = year_counts[key]
        if sum(counts[key].value for counts in parts) != total.value:
            raise ValueError("each figure of the year must add up the same figure of its quarters")
        if total.contributors < max(counts[key].contributors for counts in parts):
            raise ValueError("a figure of the year is about at least as many people as any of its quarters")


def protect_year(quarters: Sequence[Grid], year: Grid, *,
                 threshold: int = SUPPRESSION_THRESHOLD) -> tuple[list[ProtectedGrid], ProtectedGrid]:
    """Protect a year's quarters and the year together: figures from fewer than
    `threshold` people hidden in every plane, and enough others that no hidden figure can
    be worked out from everything the quarters and the year publish."""
    _check_year(quarters, year)
    grids = [*quarters, year]
    planes, primary, keyed = [], [], []
    for n, grid in enumerate(grids):
        edges, keys, counts = _keys_and_counts(grid)
        planes.append(_Plane(edges, is_year=n == len(grids) - 1))
        primary.append({
            index for index, key in enumerate(keys)
            if figure_shown(counts[key].value, contributors=counts[key].contributors, threshold=threshold).suppressed
        })
        keyed.append((keys, counts))
    hidden = protect_linked(planes, primary)
    protected = []
    for n, grid in enumerate(grids):
        keys, counts = keyed[n]
        shown = {}
        for index, key in enumerate(keys):
            if index in primary[n]:
                shown[key] = Shown(None, PRIMARY)
            elif index in hidden[n]:
                shown[key] = Shown(None, SECONDARY)
            else:
                shown[key] = Shown(counts[key].value)
        protected.append(_as_protected(grid, shown))
    return protected[:-1], protected[-1]


def _as_protected(grid: Grid, shown: dict[tuple, Shown]) -> ProtectedGrid:
    return ProtectedGrid(
        cells=tuple(tuple(shown[("cell", i, j)] for j in range(len(row))) for i, row in enumerate(grid.cells)),
        row_totals=None if grid.row_totals is None else tuple(shown[("row", i)] for i in range(len(grid.row_totals))),
        column_totals=None if grid.column_totals is None
        else tuple(shown[("column", j)] for j in range(len(grid.column_totals))),
        grand_total=None if grid.grand_total is None else shown[("grand",)],
    )


__all__ = ["YEAR_WEIGHT", "exposed_linked", "protect_linked", "protect_year"]

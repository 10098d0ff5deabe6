"""Protecting one table of groups: the leaf groups of a characteristic, the groups that
add some of them up (ethnic minority), and the total. Pure: no Django import.

The table is a network, as in lotus.insights.suppression: the total flows into a node
and out through every group that is not part of a combined group and every combined
group; a combined group flows out through its leaves. So "the leaves add up to the
combined group" and "the groups add up to the total" are both balances at a node, and
`protect` (the one secondary suppression this app has) hides the fewest, cheapest
further figures so that no hidden figure can be worked out from those published.

`forced` hides figures that must be hidden because they are hidden somewhere else (the
same total published in the table of another characteristic, say), and the result
protects them too.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from lotus.core.suppression import SUPPRESSION_THRESHOLD, figure_shown
from lotus.insights.suppression import (
    CELL_WEIGHT,
    GRAND_WEIGHT,
    GROUND,
    MARGIN_WEIGHT,
    PRIMARY,
    SECONDARY,
    Count,
    Edge,
    Shown,
    protect,
)

TOTAL = "total"
_SUM = "sum of groups"


@dataclass(frozen=True)
class People:
    """The things counted (cases, or people) and who they are about, for one figure."""

    value: int
    people: frozenset

    @classmethod
    def of(cls, records: Iterable[tuple[Hashable, Hashable]]) -> People:
        """From (thing, person) pairs: each thing counted once."""
        things = dict(records)
        return cls(len(things), frozenset(things.values()))

    def count(self) -> Count:
        return Count(self.value, len(self.people))

    def __add__(self, other: People) -> People:
        return People(self.value + other.value, self.people | other.people)


EMPTY = People(0, frozenset())


def group_network(leaves: Sequence[str], combined: Mapping[str, Sequence[str]],
                  figures: Mapping[str, Count]) -> tuple[list[Edge], list[str]]:
    """The edges of the table, and which figure each edge is (a group code or TOTAL)."""
    member_of = {leaf: code for code, parts in combined.items() for leaf in parts}
    edges, keys = [], []
    edges.append(Edge(GROUND, _SUM, figures[TOTAL].value, GRAND_WEIGHT * (1 + figures[TOTAL].value)))
    keys.append(TOTAL)
    for code in combined:
        edges.append(Edge(_SUM, ("combined", code), figures[code].value, MARGIN_WEIGHT * (1 + figures[code].value)))
        keys.append(code)
    for leaf in leaves:
        tail = ("combined", member_of[leaf]) if leaf in member_of else _SUM
        edges.append(Edge(tail, GROUND, figures[leaf].value, CELL_WEIGHT * (1 + figures[leaf].value)))
        keys.append(leaf)
    return edges, keys


def protect_groups(leaves: Sequence[str], combined: Mapping[str, Sequence[str]], figures: Mapping[str, Count], *,
                   threshold: int = SUPPRESSION_THRESHOLD, forced: Iterable[str] = ()) -> dict[str, Shown]:
    """Every figure of the table as published: each from fewer than `threshold` people
    hidden, each in `forced` hidden, and enough others that none of them can be worked out."""
    for code, parts in combined.items():
        if sum(figures[leaf].value for leaf in parts) != figures[code].value:
            raise ValueError(f"the group {code!r} must add up its parts")
    if sum(figures[leaf].value for leaf in leaves) != figures[TOTAL].value:
        raise ValueError("the total must add up the groups")
    edges, keys = group_network(leaves, combined, figures)
    forced = set(forced)
    primary = {
        index for index, key in enumerate(keys)
        if key in forced or figure_shown(figures[key].value, contributors=figures[key].contributors,
                                         threshold=threshold).suppressed
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
    return shown


def table_figures(leaves: Sequence[str], combined: Mapping[str, Sequence[str]],
                  by_leaf: Mapping[str, People]) -> dict[str, People]:
    """The leaves, the combined groups and the total, from what each leaf holds."""
    found = {leaf: by_leaf.get(leaf, EMPTY) for leaf in leaves}
    for code, parts in combined.items():
        found[code] = sum((found[leaf] for leaf in parts), EMPTY)
    found[TOTAL] = sum((found[leaf] for leaf in leaves), EMPTY)
    return found


def protect_tables(tables: Mapping[Hashable, tuple[Sequence[str], Mapping[str, Sequence[str]], Mapping[str, People]]],
                   *, threshold: int = SUPPRESSION_THRESHOLD,
                   forced: Mapping[Hashable, set[str]] | None = None) -> dict[Hashable, dict[str, Shown]]:
    """Several tables with the same total (one per characteristic, for the same things
    counted): a total hidden in one is hidden in all, and every table protected again
    until they agree."""
    forced = {name: set((forced or {}).get(name, ())) for name in tables}
    while True:
        result = {
            name: protect_groups(leaves, combined, {key: people.count() for key, people in figures.items()},
                                 threshold=threshold, forced=forced[name])
            for name, (leaves, combined, figures) in tables.items()
        }
        total_hidden = any(shown[TOTAL].suppressed for shown in result.values())
        if not total_hidden or all(TOTAL in forced[name] for name in tables):
            return result
        for name in tables:
            forced[name].add(TOTAL)


def pooled_remainders(pooled: Mapping[str, People], years: Sequence[Mapping[str, People]],
                      shown_years: Sequence[Mapping[str, Shown]], *, threshold: int) -> set[str]:
    """The figures of a pooled table (several years added up) to hide because of the
    years published beside it: the pooled figure less the years shown is what the hidden
    years add up to, so it is hidden when that part is about fewer than `threshold`
    people (one hidden year alone would otherwise be given away)."""
    hide = set()
    for key in pooled:
        remainder = EMPTY
        for figures, shown in zip(years, shown_years, strict=True):
            if shown[key].suppressed:
                remainder = remainder + figures[key]
        if remainder.value and figure_shown(remainder.value, contributors=len(remainder.people),
                                            threshold=threshold).suppressed:
            hide.add(key)
    return hide


# --------------------------------------------------------------------------- groups by columns


def group_grid_network(leaves: Sequence[str], combined: Mapping[str, Sequence[str]], columns: Sequence[str],
                       figures: Mapping[tuple, Count]) -> tuple[list[Edge], list[tuple]]:
    """A table of groups (leaves and combined groups) by columns (colours, say), with
    every row total, column total and the grand total, as a network. Keys: ("cell", group,
    column), ("row", group), ("column", column), ("grand",)."""
    member_of = {leaf: code for code, parts in combined.items() for leaf in parts}
    edges: list[Edge] = []
    keys: list[tuple] = []

    def add(tail, head, key, weight):
        value = figures[key].value
        edges.append(Edge(tail, head, value, weight * (1 + value)))
        keys.append(key)

    add("columns", "rows", ("grand",), GRAND_WEIGHT)
    for code in combined:
        add("rows", ("combined rows", code), ("row", code), MARGIN_WEIGHT)
    for leaf in leaves:
        add(("combined rows", member_of[leaf]) if leaf in member_of else "rows", ("row", leaf), ("row", leaf),
            MARGIN_WEIGHT)
    for column in columns:
        add(("column", column), "columns", ("column", column), MARGIN_WEIGHT)
        for code in combined:
            add(("combined column", code, column), ("column", column), ("cell", code, column), CELL_WEIGHT)
        for leaf in leaves:
            head = ("combined column", member_of[leaf], column) if leaf in member_of else ("column", column)
            add(("row", leaf), head, ("cell", leaf, column), CELL_WEIGHT)
    return edges, keys


def grid_figures(leaves: Sequence[str], combined: Mapping[str, Sequence[str]], columns: Sequence[str],
                 by_cell: Mapping[tuple[str, str], People]) -> dict[tuple, People]:
    """Every figure of a groups-by-columns table from what each leaf cell holds."""
    found: dict[tuple, People] = {}
    groups = {leaf: (leaf,) for leaf in leaves} | {code: tuple(parts) for code, parts in combined.items()}
    for group, parts in groups.items():
        for column in columns:
            found[("cell", group, column)] = sum((by_cell.get((leaf, column), EMPTY) for leaf in parts), EMPTY)
        found[("row", group)] = sum((found[("cell", group, column)] for column in columns), EMPTY)
    for column in columns:
        found[("column", column)] = sum((found[("cell", leaf, column)] for leaf in leaves), EMPTY)
    found[("grand",)] = sum((found[("column", column)] for column in columns), EMPTY)
    return found


def protect_grids(tables: Mapping[Hashable, tuple[Sequence[str], Mapping[str, Sequence[str]], Sequence[str],
                                                   Mapping[tuple, People]]],
                  *, threshold: int = SUPPRESSION_THRESHOLD,
                  forced: Mapping[Hashable, set[tuple]] | None = None) -> dict[Hashable, dict[tuple, Shown]]:
    """Several groups-by-columns tables of the same things (one per characteristic): they
    share the column totals and the grand total, so one hidden in any is hidden in all.
    `forced` hides given figures of a table whatever their size."""
    shared_forced: set[tuple] = set()
    while True:
        result = {}
        for name, (leaves, combined, columns, figures) in tables.items():
            edges, keys = group_grid_network(leaves, combined, columns, {k: v.count() for k, v in figures.items()})
            also = shared_forced | set((forced or {}).get(name, ()))
            primary = {
                index for index, key in enumerate(keys)
                if key in also or figure_shown(figures[key].value, contributors=len(figures[key].people),
                                                 threshold=threshold).suppressed
            }
            hidden = protect(edges, primary)
            result[name] = {
                key: Shown(None, PRIMARY) if index in primary else Shown(None, SECONDARY) if index in hidden
                else Shown(figures[key].value)
                for index, key in enumerate(keys)
            }
        shared = {key for shown in result.values() for key, one in shown.items()
                  if key[0] in ("column", "grand") and one.suppressed}
        if shared <= shared_forced:
            return result
        shared_forced |= shared

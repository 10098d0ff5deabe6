"""Fairness of triage, by group: the colours and scores given, which way scores moved once
a reviewer who scored blind saw who the practitioner was, how often an independent second
review disagreed, and how long triage and the outcome letter took. Pure: no Django import.

Counts come from protected groups-by-columns tables (lotus.insights.equity.network); the
colour table is the one the dashboard's "triaged red" stage is protected with, so the two
publish the same figures. Medians are hidden when fewer than the threshold of people are
behind them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lotus.core.suppression import SUPPRESSION_THRESHOLD, figure_shown
from lotus.insights.equity.figures import COLOURS, NOT_SHOWN, CaseFacts
from lotus.insights.equity.groups import Characteristic, characteristics
from lotus.insights.equity.network import People, grid_figures, protect_grids
from lotus.insights.suppression import Shown

CHANGES = (("up", "Went up"), ("same", "Stayed the same"), ("down", "Went down"))
SECOND = (("differed", "Colour differed"), ("agreed", "Same colour"))
COLOUR_LABELS = (("red", "Red"), ("amber", "Amber"), ("green", "Green"))


@dataclass(frozen=True)
class FairnessTable:
    slug: str
    characteristic: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    #: For charts: per row, the published values (None when hidden) of the counted columns.
    values: tuple[tuple[float | None, ...], ...] = ()

    def csv_rows(self) -> list[list[str]]:
        return [[label, *cells] for label, cells in self.rows]


def _text(shown: Shown) -> str:
    return NOT_SHOWN if shown.suppressed else f"{shown.value:,}"


def _share(part: Shown, whole: Shown) -> str:
    if part.suppressed or whole.suppressed:
        return NOT_SHOWN
    if not whole.value:
        return "No cases"
    return f"{round(100 * part.value / whole.value)}%"


def _order(one: Characteristic) -> list[tuple[str, str]]:
    return [(code, label) for code, label, _ in one.combined] + list(one.groups)


def grid_table(slug: str, one: Characteristic, columns: Sequence[tuple[str, str]], shown: Mapping[tuple, Shown],
               *, share_of: str | None = None) -> FairnessTable:
    """A protected groups-by-columns table as rows of text, with the row totals and, when
    `share_of` names a column, its share of each row."""
    headings = [label for _, label in columns] + ["Total"] + (["Share"] if share_of else [])
    rows, values = [], []
    for code, label in [*_order(one), ("total", "All practitioners")]:
        cells = [shown[("cell", code, key)] if code != "total" else shown[("column", key)] for key, _ in columns]
        total = shown[("row", code)] if code != "total" else shown[("grand",)]
        texts = [_text(cell) for cell in cells] + [_text(total)]
        if share_of:
            part = shown[("cell", code, share_of)] if code != "total" else shown[("column", share_of)]
            texts.append(_share(part, total))
        rows.append((label, tuple(texts)))
        values.append(tuple(cell.value for cell in cells))
    return FairnessTable(slug, one.code, one.label, tuple(headings), tuple(rows), tuple(values))


def _grids(cases: Sequence[CaseFacts], column_of, columns: Sequence[str], *, threshold: int) -> dict:
    by_cell: dict[str, dict[tuple[str, str], list]] = defaultdict(lambda: defaultdict(list))
    for facts in cases:
        column = column_of(facts)
        if column is None:
            continue
        for code, group in facts.groups.items():
            by_cell[code][(group, column)].append((facts.case_id, facts.person))
    tables = {}
    for one in characteristics():
        combined = {code: leaves for code, _, leaves in one.combined}
        cells = {key: People.of(pairs) for key, pairs in by_cell[one.code].items()}
        tables[one.code] = (one.leaf_codes, combined, columns, grid_figures(one.leaf_codes, combined, columns, cells))
    return protect_grids(tables, threshold=threshold)


def median_text(values: Sequence[float], people: int, *, threshold: int, unit: str = "") -> str:
    if not values:
        return "No cases"
    middle = statistics.median(values)
    if figure_shown(middle, contributors=people, threshold=threshold).suppressed:
        return NOT_SHOWN
    number = f"{middle:.1f}".removesuffix(".0")
    return f"{number}{unit}"


def median_table(slug: str, one: Characteristic, cases: Sequence[CaseFacts], measures: Sequence[tuple[str, str]],
                 *, threshold: int) -> FairnessTable:
    """Medians of case attributes (`measures`: attribute, heading) for each group."""
    rows = []
    for code, label in [*_order(one), ("total", "All practitioners")]:
        members = set(one.members(code)) if code != "total" else None
        chosen = [f for f in cases if members is None or f.groups[one.code] in members]
        texts = []
        for attribute, _ in measures:
            found = [(getattr(f, attribute), f.person) for f in chosen if getattr(f, attribute) is not None]
            texts.append(median_text([v for v, _ in found], len({p for _, p in found}), threshold=threshold))
        rows.append((label, tuple(texts)))
    return FairnessTable(slug, one.code, one.label, tuple(heading for _, heading in measures), tuple(rows))


@dataclass(frozen=True)
class Fairness:
    colours: tuple[FairnessTable, ...]
    scores: tuple[FairnessTable, ...]
    changes: tuple[FairnessTable, ...]
    second: tuple[FairnessTable, ...]
    days: tuple[FairnessTable, ...]

    def tables_for(self, code: str) -> list[FairnessTable]:
        return [table for group in (self.colours, self.scores, self.changes, self.second, self.days)
                for table in group if table.characteristic == code]


def build_fairness(cases: Sequence[CaseFacts], colour_shown: Mapping[str, Mapping[tuple, Shown]], *,
                   threshold: int = SUPPRESSION_THRESHOLD) -> Fairness:
    """The fairness tables for one year's cases. `colour_shown` is that year's protected
    colour table (from the dashboard's figures), so both publish the same counts."""
    changes = _grids(cases, lambda f: f.blind_change or None, [key for key, _ in CHANGES], threshold=threshold)
    second = _grids(cases, lambda f: None if f.second_differs is None else ("differed" if f.second_differs else "agreed"),
                    [key for key, _ in SECOND], threshold=threshold)
    triaged = [f for f in cases if f.colour in COLOURS]
    out = {"colours": [], "scores": [], "changes": [], "second": [], "days": []}
    for one in characteristics():
        out["colours"].append(grid_table(f"colours-{one.code}", one, COLOUR_LABELS, colour_shown[one.code],
                                         share_of="red"))
        out["scores"].append(median_table(f"scores-{one.code}", one, triaged, [("score", "Median risk score")],
                                          threshold=threshold))
        out["changes"].append(grid_table(f"changes-{one.code}", one, CHANGES, changes[one.code], share_of="up"))
        out["second"].append(grid_table(f"second-{one.code}", one, SECOND, second[one.code], share_of="differed"))
        out["days"].append(median_table(f"days-{one.code}", one, cases,
                                        [("days_to_triage", "To triage"), ("days_to_letter", "Panel to outcome letter")],
                                        threshold=threshold))
    return Fairness(**{key: tuple(value) for key, value in out.items()})


__all__ = ["CHANGES", "SECOND", "Fairness", "FairnessTable", "build_fairness"]

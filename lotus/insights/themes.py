"""Themes and trends: from counted records to the tables and charts a page shows, with
small numbers suppressed. Pure: no Django import.

A section of the page gives its figures as blocks of records, one record per thing
counted (a concern, a decision's outcome) with the quarter, the row it counts in, the
group it belongs to (the practitioner's profession), the person it is about and how many
things it stands for (a loader may count in the database, one record per person).
`block_views` turns a block into what the page shows for a period, by quarter or by
year, and, if chosen, one group.

Which figures are protected together (ADRs 0020 and 0025). Each quarter of a count block
is one table, rows by groups, with its row totals (and for a block whose rows add up, its
group totals and grand total); each calendar year is one more table of the same shape,
every figure the sum of its quarters'. Every figure any view shows is one of these
tables': the view for all groups shows row totals and grand totals, the view for one
group that group's column, the view by year the year's table. So a year's quarters and
the year are protected once, together (lotus.insights.linked), whatever the filter, and
looking at the page with and without a filter, by quarter and by year, tells a reader
nothing the protection did not allow for. The quarters of a year are those up to this
quarter (`current`), never the ones the period happens to show, so every period that
touches a year gets the same protection. Totals across quarters or years are shown only
when every part is (`suppression.derived_total`), so they add nothing a reader could not
add up.

Medians are not sums, so no total gives one away: each is hidden when fewer than the
threshold of people are behind it, and only then.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from lotus.core.suppression import SUPPRESSION_THRESHOLD, figure_shown
from lotus.insights import charts
from lotus.insights.linked import protect_year
from lotus.insights.periods import BY_QUARTER, BY_YEAR, Period, Quarter, year_label
from lotus.insights.suppression import Count, Grid, ProtectedGrid, Shown, derived_total

WHOLE_PERIOD = "Whole period"
TOTAL = "Total"
NO_CASES = "No cases"
NONE_TO_SHARE = "None to share"


def hidden_text(threshold: int = SUPPRESSION_THRESHOLD) -> str:
    """What every hidden figure says, primary or secondary alike (ADR 0025): the same
    words for both, so a reader cannot tell a small figure from one hidden to protect it."""
    return f"Fewer than {threshold} people or protected"


class CountRecord(NamedTuple):
    quarter: Quarter
    row: str
    group: str
    person: Hashable
    #: How many things this record counts (all about `person`, in this row and quarter).
    weight: int = 1


class ValueRecord(NamedTuple):
    quarter: Quarter
    row: str
    group: str
    person: Hashable
    value: float


@dataclass(frozen=True)
class Wording:
    """The words for one block, from lotus/insights/content/themes.yaml."""

    title: str
    row_heading: str
    unit: str
    note: str = ""


@dataclass(frozen=True)
class CountBlock:
    """Counts per quarter. `additive`: each thing counted is in exactly one row, so the
    rows add up to a total that is shown; otherwise (a concern with two categories) no
    total is shown. `chart` is "stacked", "line" or "bar" (the whole period, per row)."""

    slug: str
    words: Wording
    rows: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, str], ...]
    records: Sequence[CountRecord]
    additive: bool
    chart: str = "stacked"
    #: (slug, words) for a table of the group totals, shown when no group is chosen.
    by_group: tuple[str, Wording] | None = None
    #: (slug, words, block) for a table of each row as a percentage of `block`'s total
    #: (an additive block: the reviews that could have named a factor, say).
    share: tuple[str, Wording, CountBlock] | None = None
    #: Rows in order of their figure for the whole period, largest first; rows whose
    #: figure is zero or hidden keep their own order after them, so the order gives
    #: nothing away.
    sort_rows: bool = False


@dataclass(frozen=True)
class MedianBlock:
    """Medians per quarter of a value (working days), one per row."""

    slug: str
    words: Wording
    rows: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, str], ...]
    records: Sequence[ValueRecord]
    chart: str = "line"


@dataclass(frozen=True)
class Options:
    """How a page shows its blocks: the period, by quarter or by year, for every group or
    one, the threshold, and this quarter (which bounds the year being protected)."""

    period: Period
    current: Quarter
    by: str = BY_QUARTER
    group: str | None = None
    threshold: int = SUPPRESSION_THRESHOLD

    def __post_init__(self):
        if self.by not in (BY_QUARTER, BY_YEAR):
            raise ValueError("show figures by quarter or by year")
        if self.period.last > self.current:
            raise ValueError("the period cannot end after this quarter")

    @property
    def columns(self) -> list[tuple[str, Quarter | int]]:
        """(heading, key) per column: each quarter of the period, or each year."""
        if self.by == BY_YEAR:
            return [(year_label(year, self.current), year) for year in self.period.years]
        return [(quarter.label, quarter) for quarter in self.period.quarters]

    @property
    def hidden(self) -> str:
        return hidden_text(self.threshold)


@dataclass(frozen=True)
class Cell:
    value: float | None
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class BlockView:
    """One block as shown: the table (the same figures as the chart) and the chart."""

    slug: str
    words: Wording
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    chart_svg: str
    hidden_count: int = field(default=0)

    def csv_rows(self) -> list[list[str]]:
        return [[row.label, *(cell.text for cell in row.cells)] for row in self.rows]

    @property
    def csv_header(self) -> list[str]:
        return [self.words.row_heading, *self.columns]


def _cell(shown: Shown, hidden: str) -> Cell:
    return Cell(shown.value, charts.number_text(shown.value, hidden), hidden=shown.suppressed)


def _group_index(groups, group: str | None) -> int | None:
    if group is None:
        return None
    keys = [key for key, _ in groups]
    if group not in keys:
        raise ValueError("unknown group")
    return keys.index(group)


def grid_of(block: CountBlock, records: Sequence[CountRecord]) -> Grid:
    """The table of `records` (one quarter's, or one year's): rows by groups, with the
    totals the block publishes, each figure with the number of people behind it."""
    return _grids(block, {None: records})[None]


def _grids(block: CountBlock, parts: dict) -> dict:
    """{key: table} for each {key: records}, and the table of all of them under None
    if None is not a key already: one pass over the records."""
    row_index = {key: i for i, (key, _) in enumerate(block.rows)}
    group_index = {key: j for j, (key, _) in enumerate(block.groups)}
    rows, groups = len(block.rows), len(block.groups)
    keys = [*parts, *([] if None in parts else [None])]
    counts = {key: [[0] * groups for _ in range(rows)] for key in keys}
    people = {key: defaultdict(set) for key in keys}
    for key, records in parts.items():
        for record in records:
            i, j = row_index.get(record.row), group_index.get(record.group)
            if i is None or j is None:
                continue
            for target in (key, None) if key is not None else (None,):
                counts[target][i][j] += record.weight
                seen = people[target]
                person = record.person
                seen[("cell", i, j)].add(person)
                seen[("row", i)].add(person)
                seen[("column", j)].add(person)
                seen[("grand",)].add(person)
    return {key: _grid(block, counts[key], people[key]) for key in keys}


def _grid(block: CountBlock, counts, people) -> Grid:
    rows, groups = len(block.rows), len(block.groups)

    def count(value, key):
        return Count(value, len(people[key]))

    cells = tuple(tuple(count(counts[i][j], ("cell", i, j)) for j in range(groups)) for i in range(rows))
    row_totals = tuple(count(sum(counts[i]), ("row", i)) for i in range(rows))
    if not block.additive:
        return Grid(cells, row_totals=row_totals)
    column_totals = tuple(count(sum(counts[i][j] for i in range(rows)), ("column", j)) for j in range(groups))
    grand = count(sum(map(sum, counts)), ("grand",))
    return Grid(cells, row_totals=row_totals, column_totals=column_totals, grand_total=grand)


def quarter_grid(block: CountBlock, quarter: Quarter, records: Sequence[CountRecord]) -> Grid:
    """One quarter's table."""
    return grid_of(block, [record for record in records if record.quarter == quarter])


def year_quarters(year: int, current: Quarter) -> list[Quarter]:
    """The quarters of `year` that have begun by `current`."""
    return [Quarter(year, n) for n in range(1, 5) if Quarter(year, n) <= current]


def protected_tables(block: CountBlock, years: Sequence[int], current: Quarter,
                     threshold: int) -> dict[Quarter | int, ProtectedGrid]:
    """Each year's quarters and the year, protected together: {quarter or year: table}."""
    by_quarter: dict[Quarter, list[CountRecord]] = defaultdict(list)
    for record in block.records:
        by_quarter[record.quarter].append(record)
    found: dict[Quarter | int, ProtectedGrid] = {}
    for year in years:
        quarters = year_quarters(year, current)
        tables = _grids(block, {q: by_quarter[q] for q in quarters})
        protected, whole = protect_year([tables[q] for q in quarters], tables[None], threshold=threshold)
        found.update(zip(quarters, protected, strict=True))
        found[year] = whole
    return found


def _tables(block: CountBlock, options: Options) -> list[ProtectedGrid]:
    tables = protected_tables(block, options.period.years, options.current, options.threshold)
    return [tables[key] for _, key in options.columns]


def count_views(block: CountBlock, options: Options) -> list[BlockView]:
    """The block's table and chart for the options' period, by quarter or by year, for
    every group or just one; for every group, the block's group totals as a table of their
    own (`by_group`); and each row as a share of another block's total (`share`)."""
    column = _group_index(block.groups, options.group)
    protected = _tables(block, options)
    series = [
        [grid.row_totals[i] if column is None else grid.cells[i][column] for grid in protected]
        for i in range(len(block.rows))
    ]
    totals = None
    if block.additive:
        totals = [grid.grand_total if column is None else grid.column_totals[column] for grid in protected]
    views = [_view(block.slug, block.words, block.chart, options, block.rows, series, totals,
                   sort_rows=block.sort_rows)]
    if block.by_group is not None and block.additive and column is None:
        slug, words = block.by_group
        groups = [[grid.column_totals[j] for grid in protected] for j in range(len(block.groups))]
        views.append(_view(slug, words, block.chart, options, block.groups, groups, totals))
    if block.share is not None:
        slug, words, of = block.share
        views.append(_share_view(slug, words, block, options, series, of))
    return views


def _share_view(slug: str, words: Wording, block: CountBlock, options: Options, series: list[list[Shown]],
                of: CountBlock) -> BlockView:
    """Each row's figure as a percentage of `of`'s total in the same column: shown only
    when both are, so it tells a reader nothing the two figures do not."""
    if not of.additive:
        raise ValueError("a share is of an additive block's total")
    column = _group_index(of.groups, options.group)
    whole = [grid.grand_total if column is None else grid.column_totals[column] for grid in _tables(of, options)]
    whole = [*whole, derived_total(whole)]
    rows = []
    for (_, label), values in zip(block.rows, series, strict=True):
        cells = []
        for part, total in zip([*values, derived_total(values)], whole, strict=True):
            if part.suppressed or total.suppressed:
                cells.append(Cell(None, options.hidden, hidden=True))
            elif not total.value:
                cells.append(Cell(None, NONE_TO_SHARE))
            else:
                percent = round(100 * part.value / total.value)
                cells.append(Cell(percent, f"{percent}%"))
        rows.append(TableRow(label, tuple(cells)))
    if block.sort_rows:
        rows = _sorted(rows)
    labels = [label for label, _ in options.columns]
    chart = _chart(slug, words, "bar" if block.chart == "bar" else "line", options, labels, rows)
    hidden = sum(1 for row in rows for cell in row.cells if cell.hidden)
    return BlockView(slug, words, (*labels, WHOLE_PERIOD), tuple(rows), chart, hidden)


def _sorted(rows: list[TableRow]) -> list[TableRow]:
    """Rows with a figure above zero for the whole period, largest first (ties in their
    own order); then the rest, zero or hidden, in their own order."""
    shown = [row for row in rows if row.cells[-1].value]
    rest = [row for row in rows if not row.cells[-1].value]
    return sorted(shown, key=lambda row: -row.cells[-1].value) + rest


def _view(slug: str, words: Wording, kind: str, options: Options, rows: Sequence[tuple[str, str]],
          series: list[list[Shown]], totals: list[Shown] | None, *, sort_rows: bool = False) -> BlockView:
    hidden = options.hidden
    table = [
        TableRow(label, tuple(_cell(s, hidden) for s in (*values, derived_total(values))))
        for (_, label), values in zip(rows, series, strict=True)
    ]
    if sort_rows:
        table = _sorted(table)
    if totals is not None:
        table.append(TableRow(TOTAL, tuple(_cell(s, hidden) for s in (*totals, derived_total(totals))),
                              is_total=True))
    labels = [label for label, _ in options.columns]
    chart = _chart(slug, words, kind, options, labels, table)
    count = sum(1 for row in table for cell in row.cells if cell.hidden)
    return BlockView(slug, words, (*labels, WHOLE_PERIOD), tuple(table), chart, count)


def _description(words: Wording, period: Period, extra: str = "") -> str:
    text = f"{words.title}, {period.label}. The table below the chart gives the same figures."
    return f"{text} {extra}".strip()


def _chart(slug: str, words: Wording, kind: str, options: Options, labels: list[str],
           rows: Sequence[TableRow]) -> str:
    """The chart for a table. One column, or a "bar" block: bars, one per row, for the
    whole period (a bar block leaves out rows with nothing shown but zero, and says so).
    Otherwise a stacked column per quarter or year (rows that add up to the total) or a
    line per row; a line with nothing to show but zeros and hidden figures is left out
    (the table has every row)."""
    period, hidden = options.period, options.hidden
    body = [row for row in rows if not row.is_total]
    title = f"{words.title}, {period.label}"
    if kind == "bar" or len(labels) == 1:
        drawn = body
        extra = ""
        if kind == "bar":
            drawn = [row for row in body if row.cells[-1].value]
            left_out = len(body) - len(drawn)
            extra = f"{left_out} rows with nothing to show are left out of the chart." if left_out else ""
        return charts.bar_chart(
            chart_id=slug, title=title, description=_description(words, period, extra),
            labels=[row.label for row in drawn], values=[row.cells[-1].value for row in drawn], unit=words.unit,
            hidden=hidden,
        )
    series = [charts.Series(row.label, tuple(cell.value for cell in row.cells[:-1])) for row in body]
    total = next((row for row in rows if row.is_total), None)
    if kind == "stacked" and total is not None:
        return charts.stacked_bar_chart(
            chart_id=slug, title=title, description=_description(words, period), labels=labels, series=series,
            totals=[cell.value for cell in total.cells[:-1]], unit=words.unit, hidden=hidden,
        )
    drawn = [one for one in series if any(one.values)]
    left_out = len(series) - len(drawn)
    extra = f"{left_out} rows with nothing to show are left out of the chart." if left_out else ""
    return charts.line_chart(
        chart_id=slug, title=title, description=_description(words, period, extra), labels=labels, series=drawn,
        unit=words.unit,
    )


def median_figure(values: Sequence[float], people: int, *, threshold: int = SUPPRESSION_THRESHOLD,
                  hidden: str | None = None) -> Cell:
    """The median of `values`, hidden when fewer than `threshold` people are behind it."""
    if not values:
        return Cell(None, NO_CASES)
    middle = statistics.median(values)
    middle = int(middle) if float(middle).is_integer() else float(middle)
    figure = figure_shown(middle, contributors=people, threshold=threshold)
    return Cell(figure.value, charts.number_text(figure.value, hidden or hidden_text(threshold)),
                hidden=figure.suppressed)


def median_view(block: MedianBlock, options: Options) -> BlockView:
    group = options.group
    _group_index(block.groups, group)
    key_of = (lambda q: q.year) if options.by == BY_YEAR else (lambda q: q)
    inside = set(options.period.quarters)
    values: dict[tuple, list[float]] = defaultdict(list)
    people: dict[tuple, set] = defaultdict(set)
    for record in block.records:
        if record.quarter not in inside or (group is not None and record.group != group):
            continue
        for key in ((record.row, key_of(record.quarter)), (record.row, None)):
            values[key].append(record.value)
            people[key].add(record.person)
    rows = []
    columns = [key for _, key in options.columns]
    for key, label in block.rows:
        cells = tuple(
            median_figure(values[(key, column)], len(people[(key, column)]), threshold=options.threshold,
                          hidden=options.hidden)
            for column in (*columns, None)
        )
        rows.append(TableRow(label, cells))
    labels = [label for label, _ in options.columns]
    chart = _chart(block.slug, block.words, block.chart, options, labels, rows)
    hidden = sum(1 for row in rows for cell in row.cells if cell.hidden)
    return BlockView(block.slug, block.words, (*labels, WHOLE_PERIOD), tuple(rows), chart, hidden)


def block_views(block: CountBlock | MedianBlock, options: Options) -> list[BlockView]:
    if isinstance(block, MedianBlock):
        return [median_view(block, options)]
    return count_views(block, options)


# --------------------------------------------------------------------------- status spells


class Move(NamedTuple):
    day: object  # a date
    source: str
    target: str


class Spell(NamedTuple):
    status: str
    started: object  # a date
    ended: object  # a date


def status_spells(received_on, moves: Sequence[Move], *, first_status: str) -> list[Spell]:
    """The time a case spent in each status it has left, from its moves in time order: the
    first status from the day the concern was received, each later one from the move into it."""
    spells = []
    started, status = received_on, first_status
    for move in moves:
        # The move says which status it left; trust it over our running guess.
        status = move.source or status
        spells.append(Spell(status, started, move.day))
        started, status = move.day, move.target
    return spells


def title_moves(labels: dict[str, str]) -> dict[str, tuple[str, str]]:
    """How each status-change timeline title ("Triage to Awaiting panel") reads back as
    (source, target), from the status labels ({status: label})."""
    return {
        f"{source_label} to {target_label}": (source, target)
        for source, source_label in labels.items()
        for target, target_label in labels.items()
        if source != target
    }

"""The themes and trends figures the annual report and the ICB's view use, and how a
report keeps them as plain JSON values and reads them back. Pure: no Django import (the
loaders it calls do their own).

This is the one module of lotus/insights/reports that knows how the themes page makes its
tables (lotus.insights.sections, themes, charts): `section_figures` runs every registered
section for one organisation, exactly as the themes page would for it, and the rest turns
a table into JSON and back. When the themes page changes how it builds figures, this is
the module to change (docs/adr/0023).

An approved report keeps each table exactly as it was shown (every cell's number, or None
where it was hidden, and the words shown for it), so the issued report is read from what
was kept and never counted again. The chart is drawn again from the kept figures when the
report is shown: drawing is presentation, the figures are the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.insights.periods import Period, Quarter
from lotus.insights.sections import Section, registered
from lotus.insights.themes import (
    BlockView,
    Cell,
    Options,
    TableRow,
    Wording,
    _chart,
    block_views,
    hidden_text,
)


@dataclass(frozen=True)
class OrganisationScope:
    """Whose figures a themes loader counts, standing where the user stands on the themes
    page: a loader reads `organisation_id` and nothing else of it, and asks no permission
    (the caller has). It is nobody's account."""

    organisation_id: int
    #: what day it is, for what is overdue and which quarters of this year have begun
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Figure:
    """One table of a section, as the themes page would show it, with how to draw it."""

    view: BlockView
    chart: str
    #: The table of group totals beside a block (its note points at the page's filter).
    group_totals: bool


def up_to(period: Period, today: dt.date) -> Period:
    """The period, ending no later than today's quarter (a report for this year so far)."""
    return Period(period.first, min(period.last, Quarter.of(today)))


def section_figures(organisation_id: int, period: Period, *, threshold: int, profession: str | None = None,
                    today: dt.date | None = None) -> list[tuple[Section, list[Figure]]]:
    """Every registered section's tables for one organisation and period, each protected
    on its own with the organisation's threshold. One query per loader."""
    today = dt.date.today() if today is None else today
    current = Quarter.of(today)
    period = up_to(period, today)
    scope = OrganisationScope(organisation_id, today)
    options = Options(period=period, current=current, group=profession, threshold=threshold)
    found = []
    for section in registered():
        tables = []
        for block in section.load(scope, period.whole_years(current)):
            by_group = getattr(block, "by_group", None)
            for view in block_views(block, options):
                tables.append(Figure(view, block.chart, by_group is not None and view.slug == by_group[0]))
        found.append((section, tables))
    return found


def hidden_words(threshold: int) -> str:
    """What every hidden figure says, as the themes page says it (ADR 0025)."""
    return hidden_text(threshold)


def quarter_from_label(label: str) -> Quarter:
    year, number = label.split(" Q")
    return Quarter(int(year), int(number))


def period_data(period: Period) -> dict:
    return {"first": period.first.label, "last": period.last.label, "span": period.span}


def period_from_data(data: dict) -> Period:
    return Period(quarter_from_label(data["first"]), quarter_from_label(data["last"]))


def block_data(view: BlockView, chart: str) -> dict:
    """One table as kept in a report."""
    return {
        "slug": view.slug,
        "title": view.words.title,
        "row_heading": view.words.row_heading,
        "unit": view.words.unit,
        "note": view.words.note,
        "chart": chart,
        "columns": list(view.columns),
        "rows": [
            {"label": row.label, "is_total": row.is_total,
             "cells": [{"value": cell.value, "text": cell.text, "hidden": cell.hidden} for cell in row.cells]}
            for row in view.rows
        ],
    }


def _kept_cell(cell: dict) -> Cell:
    return Cell(cell["value"], cell["text"], hidden=cell.get("hidden", False))


def block_from_data(data: dict, period: Period, *, threshold: int = SUPPRESSION_THRESHOLD) -> BlockView:
    """A kept table as the page shows it, by quarter, its chart drawn from the kept
    figures with the words for a hidden figure that the kept threshold gives."""
    words = Wording(title=data["title"], row_heading=data["row_heading"], unit=data["unit"], note=data["note"])
    rows = tuple(
        TableRow(row["label"], tuple(_kept_cell(cell) for cell in row["cells"]), row["is_total"])
        for row in data["rows"]
    )
    options = Options(period=period, current=period.last, threshold=threshold)
    labels = [label for label, _ in options.columns]
    svg = _chart(data["slug"], words, data["chart"], options, labels, rows)
    hidden = sum(1 for row in rows for cell in row.cells if cell.hidden)
    return BlockView(data["slug"], words, tuple(data["columns"]), rows, svg, hidden)


def table_rows(data: dict) -> tuple[tuple[str, ...], ...]:
    """A kept table as rows of words, its header first (for paper and the API)."""
    header = (data["row_heading"], *data["columns"])
    body = tuple((row["label"], *(cell["text"] for cell in row["cells"])) for row in data["rows"])
    return (header, *body)

"""The equity dashboard's tables and charts, ready for the page and its CSV downloads
(the same objects serve both, so the download holds what the page shows). Pure: no
Django import."""

from __future__ import annotations

from dataclasses import dataclass

from lotus.insights import charts as theme_charts
from lotus.insights.equity.charts import IntervalRow, interval_chart
from lotus.insights.equity.fairness import Fairness, FairnessTable
from lotus.insights.equity.figures import (
    NOT_COMPUTABLE,
    CharacteristicFigures,
    Comparison,
    Dashboard,
    StageTable,
    base_title,
    count_text,
)
from lotus.insights.equity.groups import content


@dataclass(frozen=True)
class PageTable:
    slug: str
    title: str
    row_heading: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    note: str = ""
    chart_svg: str = ""

    @property
    def csv_header(self) -> list[str]:
        return [self.row_heading, *self.header]

    def csv_rows(self) -> list[list[str]]:
        return [[label, *cells] for label, cells in self.rows]


def _words(section: str) -> dict:
    return {key: " ".join(str(value).split()) for key, value in content()[section].items()}


def _comparison_cells(comparison: Comparison | None) -> tuple[str, str, str]:
    if comparison is None:
        return ("Not compared", "", "")  # "Not known": no group to compare it with
    return (comparison.text, comparison.interval, comparison.verdict)


SUMMARY_HEADER = ("Count", "Out of", "Rate", "Reference count", "Reference out of", "Reference rate",
                  "Relative likelihood", "95% interval", "Against 0.80 to 1.25", "Recorded")
STAGE_HEADER = ("Count", "Out of", "Rate", "Relative likelihood", "95% interval", "Against 0.80 to 1.25")


def _summary(slug: str, one: CharacteristicFigures, tables: tuple[StageTable, ...], period: str, group: str) -> PageTable:
    reference = one.characteristic.reference
    label = one.characteristic.label_of(group)
    ref_label = one.characteristic.label_of(reference)
    rows, chart_rows = [], []
    for table in tables:
        if not table.stage.recorded:
            rows.append((table.stage.title, ("Not recorded yet", *[""] * (len(SUMMARY_HEADER) - 1))))
            continue
        row, ref = table.row(group), table.row(reference)
        ratio, interval, verdict = _comparison_cells(row.comparison)
        rows.append((table.stage.title, (
            count_text(row.events), count_text(row.population), row.rate, count_text(ref.events),
            count_text(ref.population), ref.rate, ratio, interval, verdict, table.recorded,
        )))
        value = row.comparison.value if row.comparison is not None else None
        shown = value is not None and not row.comparison.hidden and value.ratio is not None
        chart_rows.append(IntervalRow(table.stage.title, value.ratio if shown else None,
                                      value.low if shown else None, value.high if shown else None,
                                      note="" if shown else (row.comparison.text if row.comparison else "")))
    title = f"{label} compared with {ref_label.lower()}, {period}"
    description = (f"Relative likelihood at each stage for {label.lower()} compared with {ref_label.lower()}, "
                   f"{period}, with 95% intervals and the non-adverse range 0.80 to 1.25 shaded. "
                   "The table below the chart gives the same figures.")
    chart = interval_chart(chart_id=slug, title=title, description=description, rows=chart_rows)
    return PageTable(slug, title, "Stage", SUMMARY_HEADER, tuple(rows), chart_svg=chart)


def _stage_table(slug: str, one: CharacteristicFigures, table: StageTable) -> PageTable:
    rows = []
    for row in table.rows:
        label = row.label + (" (compared with)" if row.is_reference else "")
        ratio, interval, verdict = _comparison_cells(row.comparison) if row.kind != "total" else ("", "", "")
        if row.is_reference:
            ratio = "Compared with"
        rows.append((label, (count_text(row.events), count_text(row.population), row.rate, ratio, interval, verdict)))
    out_of = "the workforce headcount" if table.stage.base is None else base_title(table.stage.base).lower()
    note = f"Out of {out_of}. {one.characteristic.label} recorded for {table.recorded}."
    return PageTable(slug, f"{table.stage.title}, {table.period}", one.characteristic.label, STAGE_HEADER,
                     tuple(rows), note=note)


def _trend(slug: str, dashboard: Dashboard, one: CharacteristicFigures) -> PageTable:
    years = [str(year) for year in dashboard.years]
    rows = []
    for trend in one.trend:
        cells = []
        for cell in trend.cells:
            cells.append(f"{cell.text} ({cell.interval})" if cell.interval else cell.text)
        rows.append((f"{trend.stage.title}: {trend.label}", tuple(cells)))
    headline = one.characteristic.compared[0]
    series = []
    for trend in one.trend:
        if trend.group != headline:
            continue
        values = tuple(None if cell.value is None or cell.hidden or cell.value.ratio is None else
                       round(cell.value.ratio, 2) for cell in trend.cells)
        if any(value is not None for value in values):
            series.append(theme_charts.Series(trend.stage.title, values))
    label = one.characteristic.label_of(headline)
    title = f"Relative likelihood by year: {label.lower()}"
    description = (f"The relative likelihood for {label.lower()} at each stage, year by year. Stages with nothing "
                   "to show are left out. The table below the chart gives every group.")
    chart = theme_charts.line_chart(chart_id=slug, title=title, description=description, labels=years,
                                    series=series, unit="relative likelihood")
    return PageTable(slug, f"Relative likelihood by year, {years[0]} to {years[-1]}", "Stage and group",
                     tuple(years), tuple(rows), chart_svg=chart)


def _fairness_table(table: FairnessTable, title: str, note: str = "", chart: str = "") -> PageTable:
    return PageTable(table.slug, title, table.row_heading, table.columns, table.rows, note=note, chart_svg=chart)


def _colour_chart(table: FairnessTable, title: str) -> str:
    """Bars of the share of each group's triaged cases that were red (horizontal, so long
    group names fit); a share built on a hidden figure is not drawn."""
    labels, values = [], []
    for label, cells in table.rows:
        share = cells[-1]
        if share == "No cases":
            continue
        labels.append(label)
        values.append(float(share.rstrip("%")) if share.endswith("%") else None)
    return theme_charts.bar_chart(
        chart_id=table.slug, title=f"Share triaged red, {title.rsplit(', ', 1)[-1]}",
        description=f"{title}: the share of each group's triaged cases that were red. The table below the chart "
                    "gives every colour. Groups with no cases triaged are left out.", labels=labels, values=values, unit="% of cases triaged red",
    )


@dataclass(frozen=True)
class CharacteristicPage:
    code: str
    label: str
    reference_note: str
    workforce_note: str
    summary: PageTable
    stages: tuple[PageTable, ...]
    pooled: PageTable
    pooled_stages: tuple[PageTable, ...]
    trend: PageTable
    fairness: tuple[PageTable, ...]

    def tables(self) -> list[PageTable]:
        return [self.summary, *self.stages, self.pooled, *self.pooled_stages, self.trend, *self.fairness]

    def table(self, slug: str) -> PageTable | None:
        return next((table for table in self.tables() if table.slug == slug), None)


def characteristic_page(dashboard: Dashboard, fairness: Fairness, code: str) -> CharacteristicPage:
    one = dashboard.figures_for(code)
    headline = one.characteristic.compared[0]
    year = str(dashboard.year)
    words = _words("triage")
    fair = {table.slug.split("-")[0]: table for table in fairness.tables_for(code)}
    colour_title = f"{words['colours']}, {year}"
    fairness_tables = (
        _fairness_table(fair["colours"], colour_title, chart=_colour_chart(fair["colours"], colour_title)),
        _fairness_table(fair["scores"], f"{words['scores']}, {year}"),
        _fairness_table(fair["changes"], f"{words['changes']}, {year}", note=words["changes_note"]),
        _fairness_table(fair["second"], f"{words['second']}, {year}", note=words["second_note"]),
        _fairness_table(fair["days"], f"{words['days']}, {year}", note=words["days_note"]),
    )
    return CharacteristicPage(
        code=code, label=one.characteristic.label, reference_note=one.characteristic.reference_note,
        workforce_note=one.workforce_note,
        summary=_summary(f"summary-{code}", one, one.year, year, headline),
        stages=tuple(_stage_table(f"stage-{table.stage.code}-{code}", one, table) for table in one.year
                     if table.stage.recorded),
        pooled=_summary(f"pooled-{code}", one, one.pooled, dashboard.pooled_label, headline),
        pooled_stages=tuple(_stage_table(f"pooled-{table.stage.code}-{code}", one, table) for table in one.pooled
                            if table.stage.recorded),
        trend=_trend(f"trend-{code}", dashboard, one),
        fairness=fairness_tables,
    )


__all__ = ["NOT_COMPUTABLE", "CharacteristicPage", "PageTable", "characteristic_page"]

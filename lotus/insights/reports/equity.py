"""The parts of the annual equity report (issue 13): the equity dashboard's tables for one
year, for every characteristic it compares by, kept when the report is approved.

Two parts: how far cases go, stage by stage, for each group against its reference group
(with the three-year pooled figures and the trend by year); and the fairness of triage
(colours, scores, changes after blind scoring, second reviews, working days). The figures
come from lotus.insights.equity.selectors.equity_figures, already suppressed and holding
no person, and are kept as the tables the dashboard shows (title, headings, rows of text,
note, chart), so the report reads exactly as the dashboard did on the day it was approved
and never computes again (lotus/insights/reports/parts.py).
"""

from __future__ import annotations

import functools

from lotus.core.documents import Line
from lotus.insights.equity.groups import characteristics
from lotus.insights.equity.presenters import CharacteristicPage, PageTable, characteristic_page
from lotus.insights.equity.selectors import equity_figures
from lotus.insights.reports.parts import Part, ReportContext, register
from lotus.insights.reports.words import words

EQUITY = frozenset({"equity"})


def _table(table: PageTable) -> dict:
    return {
        "slug": table.slug, "title": table.title, "row_heading": table.row_heading, "header": list(table.header),
        "rows": [[label, list(cells)] for label, cells in table.rows], "note": table.note, "chart_svg": table.chart_svg,
    }


@functools.lru_cache(maxsize=4)
def _pages(context: ReportContext) -> list[CharacteristicPage]:
    """Every characteristic's page of the dashboard, once for both parts of one build (the
    context holds the moment of the build, so a later build never reads these again)."""
    figures = equity_figures(context.organisation_id, context.year, threshold=context.threshold)
    return [characteristic_page(figures.dashboard, figures.fairness, one.code) for one in characteristics()]


def _characteristic(page: CharacteristicPage, tables: list[PageTable]) -> dict:
    return {"code": page.code, "label": page.label, "reference_note": page.reference_note,
            "workforce_note": page.workforce_note, "tables": [_table(table) for table in tables]}


def build_stages(context: ReportContext) -> dict:
    """Each characteristic's stage-by-stage figures for the year, its pooled years and its trend."""
    kept = [_characteristic(page, [page.summary, *page.stages, page.pooled, *page.pooled_stages, page.trend])
            for page in _pages(context)]
    return {"year": context.year, "threshold": context.threshold, "characteristics": kept}


def build_triage(context: ReportContext) -> dict:
    """Each characteristic's fairness-of-triage tables for the year (from the same figures
    as `build_stages`, worked out once)."""
    kept = [_characteristic(page, list(page.fairness)) for page in _pages(context)]
    return {"year": context.year, "threshold": context.threshold, "characteristics": kept}


def _present(slug: str):
    def present(data: dict) -> dict:
        return {**data, "summary": words("parts", slug, "summary", year=data["year"])}
    return present


def _workforce_words(note: str) -> str:
    return words("parts", "equity-stages", "no_workforce", note=note) if note else ""


def _lines(slug: str):
    def lines(data: dict) -> list[Line]:
        found = [Line(words("parts", slug, "summary", year=data["year"]))]
        for one in data["characteristics"]:
            found.append(Line(one["label"], "subheading"))
            found.append(Line(one["reference_note"]))
            if slug == "equity-stages" and one["workforce_note"]:
                found.append(Line(_workforce_words(one["workforce_note"])))
            for table in one["tables"]:
                found.append(Line(table["note"], "field", label=table["title"]))
                rows = ((table["row_heading"], *table["header"]), *((label, *cells) for label, cells in table["rows"]))
                found.append(Line(style="table", rows=tuple(tuple(str(cell) for cell in row) for row in rows)))
        return found
    return lines


def present_stages(data: dict) -> dict:
    shown = _present("equity-stages")(data)
    shown["characteristics"] = [{**one, "workforce_words": _workforce_words(one["workforce_note"])}
                                for one in data["characteristics"]]
    return shown


def _title(slug: str) -> str:
    return words("parts", slug, "title")


register(Part(slug="equity-stages", title=_title("equity-stages"), order=10, kinds=EQUITY, build=build_stages,
              lines=_lines("equity-stages"), template="insights/reports/parts/equity.jinja", present=present_stages))
register(Part(slug="equity-triage", title=_title("equity-triage"), order=20, kinds=EQUITY, build=build_triage,
              lines=_lines("equity-triage"), template="insights/reports/parts/equity.jinja",
              present=_present("equity-triage")))

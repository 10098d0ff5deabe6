"""The parts of the annual lessons-learnt report (issue 12): the themes and trends figures
for the year, every learning summary approved for sharing in it, and the improvement
actions with their assurance. Each `build` reads one organisation in a fixed number of
queries, whatever the number of cases; `lines` and the templates read only what `build`
returned (lotus/insights/reports/parts.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from lotus.core.documents import Line
from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.insights.periods import Period, Quarter
from lotus.insights.reports.figures import (
    block_data,
    block_from_data,
    period_data,
    period_from_data,
    section_figures,
    table_rows,
    up_to,
)
from lotus.insights.reports.parts import Part, ReportContext, register
from lotus.insights.reports.words import words
from lotus.learning import selectors_report as learning
from lotus.practitioners.models import Profession

LESSONS = frozenset({"lessons_learnt"})
PROFESSIONS = dict(Profession.choices)


def year_period(year: int) -> Period:
    return Period(Quarter(year, 1), Quarter(year, 4))


def month_words(iso_month: str) -> str:
    """ "2025-03" as "March 2025"."""
    return f"{dt.date.fromisoformat(iso_month + '-01'):%B %Y}"


# --------------------------------------------------------------------------- themes and trends


def build_themes(context: ReportContext) -> dict:
    """Every registered section of the themes page, for the year, all professions."""
    today = context.as_at.date()
    period = up_to(year_period(context.year), today)
    sections = []
    for section, figures in section_figures(context.organisation_id, period, threshold=context.threshold,
                                            today=today):
        blocks = []
        for figure in figures:
            kept = block_data(figure.view, figure.chart)
            if figure.group_totals:
                kept["note"] = ""  # it points to the page's profession filter, which a report has not
            blocks.append(kept)
        sections.append({"slug": section.slug, "title": section.title, "summary": section.summary, "blocks": blocks})
    return {"year": context.year, "period": period_data(period), "threshold": context.threshold,
            "sections": sections}


def _summary(slug: str, data: dict) -> str:
    return words("parts", slug, "summary", year=data["year"], as_at=data.get("as_at", ""))


def present_themes(data: dict) -> dict:
    """The kept sections with their tables as the page shows them, charts drawn again."""
    period = period_from_data(data["period"])
    threshold = data.get("threshold", SUPPRESSION_THRESHOLD)
    sections = [
        {**section, "views": [block_from_data(block, period, threshold=threshold) for block in section["blocks"]]}
        for section in data["sections"]
    ]
    return {"summary": _summary("themes", data), "sections": sections}


def themes_lines(data: dict) -> list[Line]:
    lines = [Line(_summary("themes", data))]
    for section in data["sections"]:
        lines.append(Line(section["title"], "subheading"))
        lines.append(Line(section["summary"]))
        for block in section["blocks"]:
            lines.append(Line(block["note"], "field", label=block["title"]))
            lines.append(Line(style="table", rows=table_rows(block)))
    return lines


# --------------------------------------------------------------------------- learning summaries


def build_learning(context: ReportContext) -> dict:
    summaries = learning.shared_summaries(context.organisation_id, start=context.start, end=context.end)
    kept = []
    counts: Counter[str] = Counter()
    for summary in summaries:
        factors = [{"title": f.title, "category": f.category.title} for f in summary.factors.all()]
        counts.update(factor["title"] for factor in factors)
        kept.append({
            "id": summary.pk,
            "title": summary.title,
            "month": f"{summary.month:%Y-%m}",
            "profession": PROFESSIONS.get(summary.profession, "") if summary.profession else "",
            "what_happened": summary.what_happened,
            "what_was_learnt": summary.what_was_learnt,
            "what_changed": summary.what_changed,
            "factors": factors,
        })
    factor_counts = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {"year": context.year, "summaries": kept,
            "factor_counts": [[title, count] for title, count in factor_counts]}


def present_learning(data: dict) -> dict:
    return {
        **data,
        "summary": _summary("learning", data),
        "none": words("parts", "learning", "none", year=data["year"]),
        "summaries": [{**summary, "month_words": month_words(summary["month"])} for summary in data["summaries"]],
    }


def learning_lines(data: dict) -> list[Line]:
    lines = [Line(_summary("learning", data))]
    if not data["summaries"]:
        return [*lines, Line(words("parts", "learning", "none", year=data["year"]))]
    if data["factor_counts"]:
        lines.append(Line(words("parts", "learning", "factors_heading"), "subheading"))
        rows = (("Factor", "Summaries naming it"), *((title, str(count)) for title, count in data["factor_counts"]))
        lines.append(Line(style="table", rows=rows))
    for summary in data["summaries"]:
        lines.append(Line(summary["title"], "subheading"))
        when = month_words(summary["month"])
        if summary["profession"]:
            when += f"; {summary['profession'].lower()} profession"
        lines.append(Line(when, "field", label="When"))
        lines.append(Line(summary["what_happened"], "field", label="What happened"))
        lines.append(Line(summary["what_was_learnt"], "field", label="What was learnt"))
        if summary["what_changed"]:
            lines.append(Line(summary["what_changed"], "field", label="What was changed"))
        if summary["factors"]:
            lines.append(Line("; ".join(f["title"] for f in summary["factors"]), "field", label="Factors"))
    return lines


# --------------------------------------------------------------------------- actions and assurance

#: The rows of the actions' counts table, in order: (key, words).
COUNT_ROWS = (
    ("total", "All actions"),
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("overdue", "Overdue (open or in progress after the due date)"),
    ("done", "Done"),
    ("assured", "Done and assured"),
    ("not_assured", "Done, waiting for assurance"),
    ("not_done", "Not done, with a reason"),
)


def build_actions(context: ReportContext) -> dict:
    actions = learning.report_actions(context.organisation_id, start=context.start, end=context.end)
    statuses, priorities = learning.status_labels(), learning.priority_labels()
    today = context.as_at.date()
    counts = Counter(action.status for action in actions)
    counts["total"] = len(actions)
    counts["assured"] = sum(1 for a in actions if a.assured)
    counts["not_assured"] = counts["done"] - counts["assured"]
    counts["overdue"] = sum(1 for a in actions if a.status in ("open", "in_progress") and a.due_on < today)
    kept = [
        {
            "description": action.description,
            "categories": list(action.categories),
            "priority": priorities.get(action.priority, action.priority),
            "due_month": f"{action.due_on:%Y-%m}",
            "status": statuses.get(action.status, action.status),
            "assured": action.assured,
            "owner": "outside" if action.owner_outside else "inside",
        }
        for action in actions
    ]
    return {
        "year": context.year,
        "as_at": f"{today:%d %B %Y}".lstrip("0"),
        "counts": [[label, counts.get(key, 0)] for key, label in COUNT_ROWS],
        "actions": kept,
        "taken_out": sum(1 for action in actions if action.taken_out),
    }


def _owner_words(owner: str) -> str:
    return "Outside the organisation" if owner == "outside" else "Inside the organisation"


def present_actions(data: dict) -> dict:
    return {
        **data,
        "summary": _summary("actions", data),
        "none": words("parts", "actions", "none", year=data["year"]),
        "taken_out_words": words("parts", "actions", "taken_out", count=data["taken_out"]),
        "actions": [
            {**action, "due_words": month_words(action["due_month"]), "owner_words": _owner_words(action["owner"])}
            for action in data["actions"]
        ],
    }


def actions_lines(data: dict) -> list[Line]:
    lines = [Line(_summary("actions", data))]
    if not data["actions"]:
        return [*lines, Line(words("parts", "actions", "none", year=data["year"]))]
    lines.append(Line(style="table", rows=(("Actions", "Number"), *((label, str(n)) for label, n in data["counts"]))))
    if data["taken_out"]:
        lines.append(Line(words("parts", "actions", "taken_out", count=data["taken_out"])))
    rows = [("Action", "Factor categories", "Priority", "Due", "Owner", "Status", "Assured")]
    for action in data["actions"]:
        rows.append((
            action["description"], "; ".join(action["categories"]) or "None recorded", action["priority"],
            month_words(action["due_month"]), _owner_words(action["owner"]), action["status"],
            "Yes" if action["assured"] else "No",
        ))
    lines.append(Line(style="table", rows=tuple(rows)))
    return lines


# --------------------------------------------------------------------------- registration


def _title(slug: str) -> str:
    return words("parts", slug, "title")


register(Part(slug="themes", title=_title("themes"), order=10, kinds=LESSONS, build=build_themes,
              lines=themes_lines, template="insights/reports/parts/themes.jinja", present=present_themes))
register(Part(slug="learning", title=_title("learning"), order=20, kinds=LESSONS, build=build_learning,
              lines=learning_lines, template="insights/reports/parts/learning.jinja", present=present_learning))
register(Part(slug="actions", title=_title("actions"), order=30, kinds=LESSONS, build=build_actions,
              lines=actions_lines, template="insights/reports/parts/actions.jinja", present=present_actions))

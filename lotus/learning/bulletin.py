"""The monthly learning bulletin laid out for paper (lotus.core.documents): the same
words as its print page, as a title and a list of lines."""

from lotus.core.documents import Line
from lotus.core.jinja2 import nhs_date
from lotus.practitioners.models import Profession

PROFESSIONS = dict(Profession.choices)


def _month(value) -> str:
    return f"{value:%B %Y}"


def bulletin_lines(bulletin, *, organisation: str) -> list[Line]:
    lines = [
        Line(bulletin.title, "title"),
        Line(f"{organisation}. What our lessons-learnt reviews found about the system, shared without names, "
             f"case references or exact dates."),
    ]
    if not bulletin.summaries:
        lines.append(Line("No learning summaries were shared this month."))
        return lines
    if bulletin.factor_counts:
        lines.append(Line("Factors this month", "heading"))
        rows = [("Factor", "Summaries naming it")] + [(title, str(count)) for title, count in bulletin.factor_counts]
        lines.append(Line(style="table", rows=tuple(rows)))
    for summary in bulletin.summaries:
        lines.append(Line(summary.title, "heading"))
        about = _month(summary.month)
        if summary.profession:
            about += f"; {PROFESSIONS.get(summary.profession, summary.profession).lower()} profession"
        lines.append(Line(about, "field", label="When"))
        lines.append(Line(summary.what_happened, "field", label="What happened"))
        lines.append(Line(summary.what_was_learnt, "field", label="What was learnt"))
        if summary.what_changed:
            lines.append(Line(summary.what_changed, "field", label="What was changed"))
        factors = "; ".join(factor.title for factor in summary.factors.all())
        if factors:
            lines.append(Line(factors, "field", label="Factors"))
        lines.append(Line(f"Shared on {nhs_date(summary.approved_at)}."))
    return lines

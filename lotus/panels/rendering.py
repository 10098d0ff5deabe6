"""The meeting pack as DOCX or PDF. The pack is the panel's document; lotus.core.documents
lays it out, as it lays out letters (ADR 0014, ADR 0018)."""

from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, Line, document_docx, document_pdf
from lotus.core.jinja2 import nhs_date

__all__ = ["DOCX_MEDIA_TYPE", "PDF_MEDIA_TYPE", "pack_docx", "pack_lines", "pack_pdf"]


def _reflection_text(reflection) -> str:
    sent = f"Sent on {nhs_date(reflection.sent_at)}."
    names = [document.name for document in reflection.documents]
    if names:
        sent += " Documents sent with it (read them in LOTUS): " + ", ".join(names) + "."
    return f"{reflection.text}\n{sent}" if reflection.text else sent


def _withheld_reason(item) -> str:
    if item.withheld_because_conflicted:
        return "You declared a conflict of interest for this item, so its papers are not included."
    if item.withheld_until_declared:
        return ("Declare any conflict of interest for this item in LOTUS (or declare none), "
                "then download the pack again to see its papers.")
    return "You are not on this case's team, so its papers are not included."


def pack_lines(pack) -> list[Line]:
    """The pack as lines, the same for both formats."""
    lines = [Line(pack.title, "title"), Line(pack.meeting_line), Line("Members: " + ", ".join(pack.members))]
    if pack.attended:
        lines.append(Line("Attended: " + ", ".join(pack.attended)))
        if pack.absent:
            lines.append(Line("Absent: " + ", ".join(pack.absent)))
    for item in pack.items:
        lines.append(Line(f"Item {item.position}: case {item.reference}, {item.practitioner}", "heading"))
        if item.decisions_sought:
            lines.append(Line("Decisions asked for: " + item.decisions_sought))
        if item.withheld or item.papers is None:
            lines.append(Line(_withheld_reason(item)))
            continue
        papers = item.papers
        lines.append(Line("Risk score: " + (papers.risk or "no submitted triage review")))
        if papers.summary:
            lines += [Line("Summary of the concern", "subheading"), Line(papers.summary)]
        if papers.rationale:
            lines += [Line("The advisor's rationale", "subheading"), Line(papers.rationale)]
        if papers.recommendation:
            lines.append(Line("Recommendation: " + papers.recommendation))
        if papers.review is not None:
            lines.append(Line("Evidence the triage looked at", "subheading"))
            lines += [Line(entry) for entry in papers.evidence] or [Line("No documents were listed.")]
        if papers.just_culture:
            lines.append(Line("Just culture check", "subheading"))
            lines += [Line(f"{question} {answer}") for question, answer in papers.just_culture]
        lines.append(Line("The practitioner's own words", "subheading"))
        lines += [Line(_reflection_text(r)) for r in papers.reflections] or [
            Line("The practitioner has not sent reflections.")
        ]
    return lines


def pack_pdf(pack) -> bytes:
    return document_pdf(pack.title, pack_lines(pack))


def pack_docx(pack) -> bytes:
    return document_docx(pack.title, pack_lines(pack))

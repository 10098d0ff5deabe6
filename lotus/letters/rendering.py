"""Letters and meeting packs as DOCX (python-docx) and PDF (fpdf2). Pure Python: no
system libraries, so rendering works the same on every machine (ADR 0014).

Text is only ever laid out as text: nothing in a letter or a merge value is interpreted
as markup, so script or HTML in a value appears as the characters typed.
"""

import io

from docx import Document as DocxDocument
from docx.shared import Pt

from lotus.core.documents import DOCX_MEDIA_TYPE, Line, document_docx, document_pdf, needs_unicode
from lotus.core.documents import Pdf as _Pdf

__all__ = ["DOCX_MEDIA_TYPE", "letter_docx", "letter_pdf", "needs_unicode", "pack_docx", "pack_pdf"]


def _blocks(body: str) -> list[str]:
    return [block.strip("\n") for block in body.replace("\r\n", "\n").split("\n\n") if block.strip()]


def letter_pdf(subject: str, body: str) -> bytes:
    pdf = _Pdf(unicode=needs_unicode(subject, body))
    pdf.set_title(pdf.text_safe(subject))
    blocks = _blocks(body)
    greeting_at = next((i for i, b in enumerate(blocks) if b.lower().startswith("dear ")), None)
    for index, block in enumerate(blocks):
        pdf.paragraph(block)
        if index == greeting_at:
            pdf.paragraph(subject, bold=True)
    return bytes(pdf.output())


def letter_docx(subject: str, body: str) -> bytes:
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = subject
    blocks = _blocks(body)
    greeting_at = next((i for i, b in enumerate(blocks) if b.lower().startswith("dear ")), None)
    for index, block in enumerate(blocks):
        paragraph = document.add_paragraph()
        lines = block.split("\n")
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            if n < len(lines) - 1:
                run.add_break()
        if index == greeting_at:
            heading = document.add_paragraph()
            heading.add_run(subject).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pack_sections(pack) -> list[tuple[str, str, bool]]:
    """(text, style, bold) lines shared by both pack formats."""
    lines = [(pack.title, "title", True), (pack.meeting_line, "body", False),
             ("Members: " + ", ".join(pack.members), "body", False)]
    for item in pack.items:
        lines.append((f"Item {item.position}: case {item.reference}, {item.practitioner}", "heading", True))
        if item.decisions_sought:
            lines.append(("Decisions asked for: " + item.decisions_sought, "body", False))
        if item.withheld:
            lines.append((
                "You declared a conflict of interest for this item, so its papers are not included."
                if item.withheld_because_conflicted
                else "You are not on this case's team, so its papers are not included.",
                "body", False))
            continue
        lines.append(("Risk score: " + (item.risk or "no submitted triage review"), "body", False))
        if item.summary:
            lines.append(("Summary of the concern", "subheading", True))
            lines.append((item.summary, "body", False))
        if item.rationale:
            lines.append(("The advisor's rationale", "subheading", True))
            lines.append((item.rationale, "body", False))
        if item.recommendation:
            lines.append(("Recommendation: " + item.recommendation, "body", False))
        if item.just_culture:
            lines.append(("Just culture check", "subheading", True))
            lines.extend((f"{question} {answer}", "body", False) for question, answer in item.just_culture)
        lines.append(("The practitioner's own words", "subheading", True))
        if item.reflections:
            lines.extend((text, "body", False) for text in item.reflections)
        else:
            lines.append(("The practitioner has not sent reflections.", "body", False))
    return lines


def _pack_lines(pack) -> list[Line]:
    return [Line(text, style) for text, style, _bold in _pack_sections(pack)]


def pack_pdf(pack) -> bytes:
    return document_pdf(pack.title, _pack_lines(pack))


def pack_docx(pack) -> bytes:
    return document_docx(pack.title, _pack_lines(pack))

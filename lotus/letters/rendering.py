"""Letters as DOCX (python-docx) and PDF (fpdf2). Pure Python: no
system libraries, so rendering works the same on every machine (ADR 0014).

Text is only ever laid out as text: nothing in a letter or a merge value is interpreted
as markup, so script or HTML in a value appears as the characters typed.
"""

import io

from docx import Document as DocxDocument
from docx.shared import Pt

from lotus.core.documents import DOCX_MEDIA_TYPE, needs_unicode
from lotus.core.documents import Pdf as _Pdf

__all__ = ["DOCX_MEDIA_TYPE", "letter_docx", "letter_pdf", "needs_unicode"]

# The meeting pack is the panel's document: lotus/panels/rendering.py.


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

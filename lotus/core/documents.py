"""Documents for paper: a title and a list of lines, laid out as DOCX (python-docx) or PDF
(fpdf2). Pure Python, no system libraries, so output is the same on every machine.

Text is only ever laid out as text: nothing in a line is interpreted as markup, so script
or HTML typed into a record appears as the characters typed. Letters, meeting packs and
triage reviews all use this (ADR 0014).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as DocxDocument
from docx.shared import Pt
from fpdf import FPDF

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
_LATIN1 = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "•": "-",
                         "×": "x", "\u00a0": " "})


@dataclass(frozen=True)
class Line:
    """One piece of a document. `style` is title, heading, subheading, body, field (a
    label and its value) or table (rows of cells, the first row the header)."""

    text: str = ""
    style: str = "body"
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def texts(self) -> list[str]:
        return [self.text, self.label, *(cell for row in self.rows for cell in row)]


def _font_file(name: str) -> Path | None:
    for folder in _FONT_DIRS:
        path = folder / name
        if path.exists():
            return path
    return None


def needs_unicode(*texts: str) -> bool:
    """Whether the text has characters beyond Latin-1 once typographic quotes and dashes
    are simplified (a name such as Łukasz does; most letters do not)."""
    try:
        for text in texts:
            text.translate(_LATIN1).encode("latin-1")
    except UnicodeEncodeError:
        return True
    return False


class Pdf(FPDF):
    """An A4 page. The built-in Helvetica is used when the text fits Latin-1, because
    loading a TrueType font costs more than the rest of a letter; DejaVu Sans otherwise."""

    def __init__(self, *, unicode: bool = True):
        super().__init__(format="A4")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        regular, bold = _font_file("DejaVuSans.ttf"), _font_file("DejaVuSans-Bold.ttf")
        if unicode and regular and bold:
            self.add_font("Body", "", str(regular))
            self.add_font("Body", "B", str(bold))
            self.family_name, self.unicode = "Body", True
        else:  # the core fonts hold Latin-1 only
            self.family_name, self.unicode = "Helvetica", False
        self.add_page()

    def text_safe(self, text: str) -> str:
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def paragraph(self, text: str, *, bold: bool = False, size: int = 11, after: float = 3) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.text_safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(after)


_SIZES = {"title": 16, "heading": 13, "subheading": 11, "body": 11, "field": 11}


def document_pdf(title: str, lines: list[Line]) -> bytes:
    pdf = Pdf(unicode=needs_unicode(title, *(text for line in lines for text in line.texts())))
    pdf.set_title(pdf.text_safe(title))
    for line in lines:
        if line.style == "heading":
            pdf.ln(4)
        if line.style == "field":
            pdf.paragraph(line.label, bold=True, after=0.5)
            pdf.paragraph(line.text)
        elif line.style == "table":
            pdf.set_font(pdf.family_name, "", 9)
            with pdf.table(text_align="CENTER", first_row_as_headings=True) as table:
                for row in line.rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(pdf.text_safe(cell))
            pdf.ln(3)
        else:
            pdf.paragraph(line.text, bold=line.style != "body", size=_SIZES.get(line.style, 11))
    return bytes(pdf.output())


def document_docx(title: str, lines: list[Line]) -> bytes:
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title
    for line in lines:
        if line.style == "title":
            document.add_heading(line.text, level=0)
        elif line.style == "heading":
            document.add_heading(line.text, level=1)
        elif line.style == "subheading":
            document.add_heading(line.text, level=2)
        elif line.style == "field":
            paragraph = document.add_paragraph()
            paragraph.add_run(line.label).bold = True
            paragraph.add_run().add_break()
            paragraph.add_run(line.text)
        elif line.style == "table":
            table = document.add_table(rows=0, cols=max(len(row) for row in line.rows))
            table.style = "Table Grid"
            for index, row in enumerate(line.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = text
                    if index == 0 or cell is cells[0]:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        else:
            document.add_paragraph(line.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

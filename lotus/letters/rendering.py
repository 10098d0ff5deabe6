"""Letters and meeting packs as DOCX (python-docx) and PDF (fpdf2). Pure Python: no
system libraries, so rendering works the same on every machine (ADR 0014).

Text is only ever laid out as text: nothing in a letter or a merge value is interpreted
as markup, so script or HTML in a value appears as the characters typed.
"""

import io
from pathlib import Path

from docx import Document as DocxDocument
from docx.shared import Pt
from fpdf import FPDF

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
_LATIN1 = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "•": "-",
                         "×": "x", "\u00a0": " "})


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


class _Pdf(FPDF):
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
            lines.append(("You declared a conflict of interest for this item, so its papers are not included.",
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


def pack_pdf(pack) -> bytes:
    pdf = _Pdf(unicode=needs_unicode(*(text for text, _style, _bold in _pack_sections(pack))))
    pdf.set_title(pdf.text_safe(pack.title))
    sizes = {"title": 16, "heading": 13, "subheading": 11, "body": 11}
    for text, style, bold in _pack_sections(pack):
        if style == "heading":
            pdf.ln(4)
        pdf.paragraph(text, bold=bold, size=sizes[style])
    return bytes(pdf.output())


def pack_docx(pack) -> bytes:
    document = DocxDocument()
    for text, style, _bold in _pack_sections(pack):
        if style == "title":
            document.add_heading(text, level=0)
        elif style == "heading":
            document.add_heading(text, level=1)
        elif style == "subheading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

"""Long documents, quickly: the same `Line`s as lotus.core.documents, laid out as PDF and
DOCX at a speed that does not fall away with length. Pure Python.

PDF: fpdf2's `multi_cell` and `table` measure a line afresh for every character added to
it, which costs milliseconds a paragraph: a year's annual report (a thousand summaries,
thousands of actions) took minutes. Here each word is measured once per font and size,
lines are filled word by word and drawn with fpdf2's plain `text()`, and table rows are
measured before they are drawn, so a row moves whole to the next page and the header row
is repeated on each page.

DOCX: python-docx finds the end of the body again for every paragraph it adds, so a long
document takes time in the square of its length. Here the body's paragraphs and tables are
built as XML first and put in place once, in python-docx's own template (so the styles are
Word's: Title, Heading 1 and 2, Table Grid).

Text is only ever text: nothing in it is read as markup (docs/adr/0023).
"""

from __future__ import annotations

import io
import re

from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from lotus.core.documents import _SIZES, Line, Pdf, needs_unicode

#: Space around the text in a table cell, in millimetres.
PADDING = 1.5
#: A line's height as a share of the font size in points (as lotus.core.documents: 11 pt, 5.5 mm).
LEADING = 0.5
#: Where the baseline sits in a line, as a share of the line's height.
BASELINE = 0.75


class QuickPdf(Pdf):
    def __init__(self, *, unicode: bool = True):
        self._fonts: dict[tuple, dict] = {}
        self._measured: dict[str, float] = {}
        self._wrapped: dict[tuple, list[str]] = {}
        super().__init__(unicode=unicode)

    # ------------------------------------------------------------------ measuring

    def _use(self, *, bold: bool, size: float) -> None:
        """Set the font, and the words measured in it so far."""
        key = ("B" if bold else "", size)
        if (self.font_style, self.font_size_pt) != key:
            self.set_font(self.family_name, *key)
        self._measured = self._fonts.setdefault(key, {})

    def _width(self, word: str) -> float:
        found = self._measured.get(word)
        if found is None:
            found = self._measured[word] = self.get_string_width(word)
        return found

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` (already safe for the font) in lines no wider than `width` millimetres.
        A word wider than the line is broken between characters; line breaks in the text
        are kept."""
        lines: list[str] = []
        space = self._width(" ")
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                size = self._width(word)
                while size > width and len(word) > 1:  # a very long word, a web address
                    if current:
                        lines.append(" ".join(current))
                        current, used = [], 0.0
                    cut = self._fit(word, width)
                    lines.append(word[:cut])
                    word = word[cut:]
                    size = self._width(word)
                if current and used + space + size > width:
                    lines.append(" ".join(current))
                    current, used = [word], size
                else:
                    used = used + space + size if current else size
                    current.append(word)
            lines.append(" ".join(current))
        return lines

    def _fit(self, word: str, width: float) -> int:
        """How many of `word`'s first characters fit in `width` (at least one)."""
        used = 0.0
        for index, character in enumerate(word):
            used += self._width(character)
            if used > width:
                return max(index, 1)
        return len(word)

    # ------------------------------------------------------------------ drawing

    def _room_for(self, height: float) -> None:
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def block(self, text: str, *, bold: bool = False, size: float = 11, after: float = 3) -> None:
        """A paragraph: wrapped to the page, breaking to a new page between lines."""
        self._use(bold=bold, size=size)
        height = size * LEADING
        for line in self.wrap(self.text_safe(text), self.epw):
            self._room_for(height)
            if line:
                self.text(self.l_margin, self.y + height * BASELINE, line)
            self.y += height
        self.y += after

    def grid(self, rows: tuple[tuple[str, ...], ...], *, size: float = 9) -> None:
        """A table with a border round every cell, the first row the header (bold, and
        repeated at the top of each page the table runs on to). A row moves whole to the
        next page when it does not fit; one taller than a page runs on across pages."""
        if not rows:
            return
        columns = max(len(row) for row in rows)
        rows = tuple(tuple(self.text_safe(cell) for cell in row) + ("",) * (columns - len(row)) for row in rows)
        widths = self._column_widths(rows, columns, size)
        height = size * LEADING
        header = self._cells(rows[0], widths, bold=True, size=size)
        self._row(header, widths, height, bold=True, size=size)
        full_page = self.page_break_trigger - self.t_margin
        for row in rows[1:]:
            cells = self._cells(row, widths, bold=False, size=size)
            needed = max(len(lines) for lines in cells) * height + 2 * PADDING
            if self.y + needed > self.page_break_trigger and needed <= full_page - self._height(header, height):
                self._new_page_with(header, widths, height, size)
            start = 0
            while True:
                fit = int((self.page_break_trigger - self.y - 2 * PADDING) // height)
                if fit < 1:
                    self._new_page_with(header, widths, height, size)
                    continue
                part = [lines[start : start + fit] for lines in cells]
                self._row(part, widths, height, bold=False, size=size)
                start += fit
                if all(len(lines) <= start for lines in cells):
                    break
                self._new_page_with(header, widths, height, size)
        self.y += 3

    def _height(self, cells: list[list[str]], height: float) -> float:
        return max(len(lines) for lines in cells) * height + 2 * PADDING

    def _new_page_with(self, header, widths, height: float, size: float) -> None:
        self.add_page()
        self._row(header, widths, height, bold=True, size=size)

    def _cells(self, row, widths, *, bold: bool, size: float) -> list[list[str]]:
        """Each cell's lines. A table repeats many short cells (a status, a priority), so a
        cell's lines are kept for the next time the same words meet the same width."""
        self._use(bold=bold, size=size)
        found = []
        for cell, width in zip(row, widths, strict=True):
            key = (bold, size, width, cell)
            lines = self._wrapped.get(key)
            if lines is None:
                lines = self._wrapped[key] = self.wrap(cell, width - 2 * PADDING)
            found.append(lines)
        return found

    def _row(self, cells: list[list[str]], widths: list[float], height: float, *, bold: bool, size: float) -> None:
        self._use(bold=bold, size=size)
        row_height = max(max(len(lines) for lines in cells), 1) * height + 2 * PADDING
        x, top = self.l_margin, self.y
        for lines, width in zip(cells, widths, strict=True):
            self.rect(x, top, width, row_height)
            for number, line in enumerate(lines):
                if line:
                    self.text(x + PADDING, top + PADDING + number * height + height * BASELINE, line)
            x += width
        self.y = top + row_height

    def _column_widths(self, rows, columns: int, size: float) -> list[float]:
        """Widths that fit the page: each column's longest word at least, and the rest of
        the page shared by how much more each column's text would like."""
        self._use(bold=True, size=size)
        smallest = [0.0] * columns
        natural = [0.0] * columns
        for row in rows:
            for index, cell in enumerate(row):
                words = cell.split() or [""]
                smallest[index] = max(smallest[index], min(max(self._width(w) for w in words), self.epw / columns))
                natural[index] = max(natural[index], self._width(cell))
        smallest = [width + 2 * PADDING for width in smallest]
        natural = [max(width + 2 * PADDING, low) for width, low in zip(natural, smallest, strict=True)]
        room = self.epw - sum(smallest)
        wanted = sum(n - s for n, s in zip(natural, smallest, strict=True))
        if room <= 0:
            return [self.epw * s / sum(smallest) for s in smallest]
        if wanted <= room:  # everything fits on one line: share what is left by natural width
            spare = self.epw - sum(natural)
            return [n + spare * n / sum(natural) for n in natural]
        return [s + room * (n - s) / wanted for n, s in zip(natural, smallest, strict=True)]


def quick_document_pdf(title: str, lines: list[Line]) -> bytes:
    """As lotus.core.documents.document_pdf, laid out by QuickPdf."""
    pdf = QuickPdf(unicode=needs_unicode(title, *(text for line in lines for text in line.texts())))
    pdf.set_title(pdf.text_safe(title))
    for line in lines:
        if line.style == "heading":
            pdf.y += 4
        if line.style == "field":
            pdf.block(line.label, bold=True, after=0.5)
            pdf.block(line.text)
        elif line.style == "table":
            pdf.grid(line.rows)
        else:
            pdf.block(line.text, bold=line.style != "body", size=_SIZES.get(line.style, 11))
    return bytes(pdf.output())


# ---------------------------------------------------------------------- DOCX

#: Characters XML 1.0 cannot hold (control characters but tab, line feed and return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLES = {"title": "Title", "heading": "Heading1", "subheading": "Heading2"}
#: The width between the margins of python-docx's template page, in twentieths of a point.
TEXT_WIDTH_TWIPS = 8640


def _element(tag: str, parent=None, **attributes):
    attrs = {qn(f"w:{name}"): value for name, value in attributes.items()}
    if parent is None:
        return etree.Element(qn(f"w:{tag}"), attrs)
    return etree.SubElement(parent, qn(f"w:{tag}"), attrs)


def _runs(paragraph, text: str, *, bold: bool = False) -> None:
    """`text` as runs of the paragraph, a line break for each line break in it."""
    for number, part in enumerate(_NOT_XML.sub("", text).split("\n")):
        run = _element("r", paragraph)
        if bold:
            _element("b", _element("rPr", run))
        if number:
            _element("br", run)
        piece = _element("t", run)
        piece.text = part
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _paragraph(text: str = "", *, style: str | None = None, bold: bool = False):
    paragraph = _element("p")
    if style:
        _element("pStyle", _element("pPr", paragraph), val=style)
    if text:
        _runs(paragraph, text, bold=bold)
    return paragraph


def _table(rows: tuple[tuple[str, ...], ...]):
    columns = max(len(row) for row in rows)
    table = _element("tbl")
    properties = _element("tblPr", table)
    _element("tblStyle", properties, val="TableGrid")
    _element("tblW", properties, w="0", type="auto")
    grid = _element("tblGrid", table)
    for _ in range(columns):
        _element("gridCol", grid, w=str(TEXT_WIDTH_TWIPS // columns))
    for index, row in enumerate(rows):
        line = _element("tr", table)
        if index == 0:
            _element("tblHeader", _element("trPr", line))
        for number, cell in enumerate((*row, *("",) * (columns - len(row)))):
            paragraph = _element("p", _element("tc", line))
            _runs(paragraph, cell, bold=index == 0 or number == 0)
    return table


def quick_document_docx(title: str, lines: list[Line]) -> bytes:
    """As lotus.core.documents.document_docx, built as XML in one go."""
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title
    elements = []
    for line in lines:
        if line.style in _STYLES:
            elements.append(_paragraph(line.text, style=_STYLES[line.style]))
        elif line.style == "field":
            paragraph = _paragraph()
            _runs(paragraph, line.label, bold=True)
            _element("br", _element("r", paragraph))
            _runs(paragraph, line.text)
            elements.append(paragraph)
        elif line.style == "table":
            if line.rows:
                elements.append(_table(line.rows))
                elements.append(_paragraph())  # Word needs a paragraph between tables
        else:
            elements.append(_paragraph(line.text))
    body = document.element.body
    section = body[-1]
    for element in elements:
        section.addprevious(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

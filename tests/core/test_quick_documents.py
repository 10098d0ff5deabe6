"""Long documents laid out quickly (lotus/core/quick_documents.py): no word is lost or
cut, no line is wider than the page, a table row never splits unless it is taller than a
page, and the DOCX reads back in Word's terms with every word as typed."""

import io
import zipfile

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.core.documents import Line
from lotus.core.quick_documents import QuickPdf, quick_document_docx, quick_document_pdf

WORDS = st.text(alphabet=st.characters(codec="latin-1", categories=("L", "N", "P")), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.floats(min_value=8, max_value=170))
def test_wrapping_keeps_every_word_and_no_line_is_too_wide(words, width):
    pdf = QuickPdf(unicode=False)
    pdf._use(bold=False, size=11)
    text = " ".join(words)
    lines = pdf.wrap(text, width)
    assert "".join("".join(lines).split()) == "".join(text.split())  # nothing lost, nothing added
    for line in lines:
        assert pdf.get_string_width(line) <= width + 1e-6 or len(line) == 1


def test_a_word_longer_than_the_line_is_broken_and_line_breaks_are_kept():
    pdf = QuickPdf(unicode=False)
    pdf._use(bold=False, size=11)
    lines = pdf.wrap("short\n" + "x" * 400, 50)
    assert lines[0] == "short" and len(lines) > 2 and "".join(lines[1:]) == "x" * 400


def test_a_table_row_moves_whole_to_the_next_page_with_the_header_again():
    pdf = QuickPdf(unicode=False)
    rows = (("Action", "Status"), *((f"Action number {n} " * 3, "Open") for n in range(200)))
    tops = []
    original = pdf._row

    def spy(cells, widths, height, *, bold, size):
        tops.append((pdf.page, pdf.y, bold, cells[0][:1]))
        original(cells, widths, height, bold=bold, size=size)
        assert pdf.y <= pdf.page_break_trigger + 1e-6

    pdf._row = spy
    pdf.grid(rows)
    pages = {page for page, *_ in tops}
    assert len(pages) > 2
    for page in pages:  # every page starts with the header
        first = next(row for row in tops if row[0] == page)
        assert first[2] is True and first[3] == ["Action"]


def test_a_row_taller_than_a_page_runs_on_across_pages():
    pdf = QuickPdf(unicode=False)
    pdf.grid((("Text", "Status"), ("word " * 3000, "Open")))
    assert pdf.page > 2


def test_a_long_report_of_text_and_tables_becomes_a_pdf_in_any_script():
    rows = (("Factor", "Summaries"), ("Łukasz's team", "3"), ("Induction", "12"))
    lines = [Line("Zażółć report", "title"), Line("A heading", "heading"), Line("Body text " * 50),
             Line("Its text", "field", label="A label"), Line(style="table", rows=rows), Line(style="table", rows=())]
    assert quick_document_pdf("Zażółć", lines).startswith(b"%PDF")
    assert quick_document_pdf("Plain", [Line("Plain words")]).startswith(b"%PDF")


def test_the_docx_reads_back_with_its_styles_and_every_word_as_typed():
    lines = [
        Line("The report", "title"), Line("Introduction", "heading"), Line("Part", "subheading"),
        Line("First line\nsecond line <b>not bold</b> & \x01done"), Line("Its text", "field", label="A label"),
        Line(style="table", rows=(("Factor", "Count"), ("Induction", "3"), ("Short",))),
    ]
    content = quick_document_docx("The report", lines)
    document = docx.Document(io.BytesIO(content))
    styles = [paragraph.style.name for paragraph in document.paragraphs[:3]]
    assert styles == ["Title", "Heading 1", "Heading 2"]
    assert document.paragraphs[3].text == "First line\nsecond line <b>not bold</b> & done"
    assert document.paragraphs[4].text == "A label\nIts text"
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Factor", "Count"], ["Induction", "3"], ["Short", ""]
    ]
    assert document.core_properties.title == "The report"
    assert b"<w:tblHeader/>" in zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")

"""CSV exports never hand a spreadsheet a formula (issue 3, "CSV and spreadsheet exports")."""

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lotus.core.exports import FORMULA_TRIGGERS, SafeCSVWriter, csv_response, neutralise

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
formula_text = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_TRIGGERS), any_text)
cells = st.one_of(any_text, formula_text, st.none(), st.integers(), st.booleans())


def read_back(rows) -> list[list[str]]:
    handle = io.StringIO(newline="")
    writer = SafeCSVWriter(handle)
    writer.writerows(rows)
    handle.seek(0)
    return list(csv.reader(handle))


@given(st.one_of(any_text, formula_text))
def test_no_text_cell_starts_like_a_formula(text):
    assert not neutralise(text).startswith(FORMULA_TRIGGERS)


@given(st.one_of(any_text, formula_text))
def test_only_a_leading_quote_is_added_and_only_when_needed(text):
    cell = neutralise(text)
    if text.startswith(FORMULA_TRIGGERS):
        assert cell == "'" + text
    else:
        assert cell == text


@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=6))
def test_written_rows_read_back_safe_and_complete(rows):
    """Through the real csv module: same shape, every cell safe, nothing else changed."""
    back = read_back(rows)
    assert len(back) == len(rows)
    for written, read in zip(rows, back, strict=True):
        assert len(read) == len(written)
        for original, cell in zip(written, read, strict=True):
            if isinstance(original, str):
                assert not cell.startswith(FORMULA_TRIGGERS)
                assert cell == ("'" + original if original.startswith(FORMULA_TRIGGERS) else original)
            elif not isinstance(original, int | Decimal) or isinstance(original, bool):
                assert not cell.startswith(FORMULA_TRIGGERS)


def test_known_attacks_are_neutralised():
    attacks = [
        "=HYPERLINK(\"https://evil.example\",\"Click\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ]
    for attack in attacks:
        assert neutralise(attack) == "'" + attack


def test_values_written_by_lotus_keep_their_meaning():
    assert neutralise(None) == ""
    assert neutralise(-5) == "-5"
    assert neutralise(Decimal("-1.50")) == "-1.50"
    assert neutralise(True) == "Yes"
    assert neutralise(dt.date(2026, 3, 27)) == "2026-03-27"
    assert neutralise("Dr O'Neil") == "Dr O'Neil"
    assert neutralise("-5") == "'-5"  # typed text that looks like a number stays text


def test_csv_response_is_a_safe_download():
    response = csv_response("cases export.csv", ["Reference", "Summary"], [["TST-1", "=1+2"]])
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="casesexport.csv"'
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["Reference", "Summary"], ["TST-1", "'=1+2"]]

"""CSV exports that a spreadsheet cannot turn into formulas.

Spreadsheet programs treat a cell that starts with `=`, `+`, `-` or `@` as a formula (and
some also after a leading tab or carriage return), so a practitioner's name or a case
summary typed as `=HYPERLINK(...)` could run when a colleague opens an export. Every
such cell is written with a leading single quote, which spreadsheets show as text and
which keeps the original value readable (OWASP "CSV injection").

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = SafeCSVWriter(handle)
        writer.writerow(["Reference", "Summary"])
        writer.writerows(rows)

For an HTTP download, `csv_response(filename, header, rows)` returns an
HttpResponse with the same protection.
"""

import csv
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The text for one cell: formulas defused with a leading `'`; None is empty.

    Numbers written by LOTUS itself (int, Decimal, float) are left as they are, so a
    negative number stays a number; any text that merely looks like one is still
    quoted, because text is what people type.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeCSVWriter:
    """A `csv.writer` whose every cell goes through `neutralise`; all cells quoted."""

    def __init__(self, handle, **kwargs):
        kwargs.setdefault("quoting", csv.QUOTE_ALL)
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download (UTF-8 with a byte-order mark, so Excel reads accents correctly)."""
    safe_name = "".join(c for c in filename if c.isalnum() or c in "-_.") or "export.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = SafeCSVWriter(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response

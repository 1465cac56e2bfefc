"""CSV files people open in a spreadsheet: every text cell neutralised against formulas.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a line
break before one) as a formula, so a name such as ``=HYPERLINK(...)`` typed into a profile
could run on a coordinator's machine (OWASP's "CSV injection"). Such text gets a leading
apostrophe, which spreadsheets show as text. Numbers are left as numbers: ``-0.4`` is a
change, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])


def csv_download(filename: str, rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    """Stream ``rows`` (the header first) as a CSV attachment, every cell made safe."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

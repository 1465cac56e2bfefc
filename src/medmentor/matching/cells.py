"""CSV cells people open in a spreadsheet, made safe against formulas: the one neutraliser.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a line
break before one) as a formula, so a name or an id such as ``=HYPERLINK(...)`` could run on
the reader's machine (OWASP's "CSV injection"). Such text gets a leading apostrophe, which
spreadsheets show as text. Numbers are left as numbers: ``-0.4`` is a change, not a
formula. It lives in the engine, the lowest layer, so that the offline ``medmentor match``
files and the site's downloads (``core.spreadsheet``) share it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_rows(out: Any, rows: Iterable[Iterable[object]]) -> None:
    """Write ``rows`` (the header first) to ``out`` as CSV, every cell made safe."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])

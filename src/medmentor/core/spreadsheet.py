"""CSV downloads of the site: every cell neutralised against formulas by the one
neutraliser, ``matching.cells.spreadsheet_cell`` (see there why)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from medmentor.matching.cells import FORMULA_STARTS, spreadsheet_cell

__all__ = ["FORMULA_STARTS", "csv_download", "csv_lines", "spreadsheet_cell"]


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

"""Every CSV cell a spreadsheet would run as a formula is made plain text; numbers stay."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from medmentor.core.spreadsheet import csv_download, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Dr. Amira Haddad", "Dr. Amira Haddad"),
        ("", ""),
        (None, ""),
        (-0.4, -0.4),
        (7, 7),
        (Decimal("-1.5"), Decimal("-1.5")),
    ],
)
def test_cells(value, shown):
    assert spreadsheet_cell(value) == shown


def test_a_download_streams_safe_rows():
    response = csv_download("x.csv", [["name", "change"], ["=cmd|' /C calc'!A0", -0.25]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows == [["name", "change"], ["'=cmd|' /C calc'!A0", "-0.25"]]

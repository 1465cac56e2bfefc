"""How a report's figures read, on the page and in CSV files, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from medmentor.reports.tables import Hidden, Kind, Label, Row, Table, Value

NO_FIGURE = "\u2013"  # an en dash: no figure can be given
DIGITS: dict[Kind, int] = {
    "count": 0,
    "percent": 1,
    "mean": 2,
    "change": 2,
    "days": 1,
    "hours": 1,
    "number": 2,
}


def figure_text(value: Value, kind: Kind, k: int) -> str:
    """``< 5`` for a count of too few people, "hidden" for one hidden so that such a count
    cannot be worked out, a dash for a figure that cannot be given."""
    if value is Hidden.FEW:
        return f"< {k}"
    if value is Hidden.COMPLEMENT:
        return str(_("hidden"))
    if value is None:
        return NO_FIGURE
    if kind == "count":
        return formats.number_format(value, 0, force_grouping=True)
    text = formats.number_format(value, DIGITS[kind], force_grouping=True)
    if kind == "percent":
        return f"{text} %"
    if kind == "change" and value > 0:
        return f"+{text}"
    return text


def csv_value(value: Value, k: int) -> object:
    """The figure as a spreadsheet reads it: a number, else why there is none."""
    if value is Hidden.FEW:
        return f"<{k}"
    if value is Hidden.COMPLEMENT:
        return str(_("hidden"))
    return "" if value is None else value


def number(value: Value) -> int | float | None:
    """The figure when there is one to show (for the API's ``null`` and for charts)."""
    return None if value is None or isinstance(value, Hidden) else value


@dataclass(frozen=True)
class ShownRow:
    row: Row
    texts: list[str]


def shown_rows(table: Table, k: int) -> list[ShownRow]:
    return [
        ShownRow(
            row,
            [figure_text(row.cells.get(c.key), row.kind_in(c), k) for c in table.columns],
        )
        for row in table.rows
    ]


def csv_rows(table: Table, k: int, heading: Label) -> list[list[object]]:
    rows: list[list[object]] = [[str(heading), *(str(c.label) for c in table.columns)]]
    for row in table.rows:
        label = ("  " * row.level) + str(row.label)
        rows.append([label, *(csv_value(row.cells.get(c.key), k) for c in table.columns)])
    return rows

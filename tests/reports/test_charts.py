"""Charts are drawn from their table's figures: sizes follow the figures, hidden ones draw
nothing and read as they do in the table."""

from __future__ import annotations

from medmentor.reports.charts import SCALE_LEFT, SCALE_RIGHT, bars, before_after, monthly
from medmentor.reports.tables import Chart, Column, Hidden, Row, Table


def table(rows, columns=("n",)):
    return Table("t", "T", [Column(c, c) for c in columns], rows)


def test_bars_are_as_long_as_their_figures():
    rows = [Row("a", "A", {"n": 40}), Row("b", "B", {"n": 10}), Row("c", "C", {"n": Hidden.FEW})]
    drawn = bars(Chart("bars", table(rows), rows=["a", "b", "c"], columns=["n"]), k=5)
    a, b, c = drawn.bars
    assert a.width == 4 * b.width > 0
    assert c.width == 0
    assert (a.text, b.text, c.text) == ("40", "10", "< 5")
    assert a.y < b.y < c.y


def test_months_rise_with_their_meetings():
    rows = [
        Row("2026-01-01", "January 2026", {"meetings": 10}),
        Row("2026-02-01", "February 2026", {"meetings": 20}),
        Row("2026-03-01", "March 2026", {"meetings": Hidden.FEW}),
    ]
    drawn = monthly(Chart("monthly", table(rows, ("meetings",))), k=5)
    jan, feb, mar = drawn.bars
    assert feb.height == 2 * jan.height
    assert jan.y + jan.height == feb.y + feb.height == drawn.axis_y  # on the same axis
    assert mar.height == 0
    assert (jan.label, mar.title) == ("Jan", "March 2026: < 5")


def test_before_and_after_sit_on_the_one_to_five_scale():
    rows = [
        Row("x", "X", {"before": 1.0, "after": 5.0}),
        Row("y", "Y", {"before": 3.0, "after": None}),
    ]
    drawn = before_after(
        Chart("before_after", table(rows, ("before", "after")), columns=["before", "after"]),
        k=5,
    )
    x, y = drawn.rows
    assert (x.start_x, x.closure_x) == (SCALE_LEFT, SCALE_RIGHT)
    assert y.start_x == (SCALE_LEFT + SCALE_RIGHT) / 2
    assert y.closure_x is None
    assert [score for _x, score in drawn.ticks] == [1, 2, 3, 4, 5]

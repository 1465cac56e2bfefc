"""Charts drawn on the server as SVG: no script to load, crisp when printed, and each one
sits beside the table it is drawn from (the table is the accessible version).

These functions only compute shapes from a table's figures; the templates draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import formats

from medmentor.reports.display import figure_text, number
from medmentor.reports.tables import Chart, Label

WIDTH = 640  # the SVG's coordinate width; it scales to the page
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, VALUE_WIDTH = 22, 8, 250, 60


@dataclass(frozen=True)
class Bar:
    label: Label
    text: str  # the figure as read, "< 5" when hidden
    x: float
    y: float
    width: float
    height: float

    @property
    def text_y(self) -> float:
        return self.y + self.height * 0.72

    @property
    def value_x(self) -> float:
        return self.x + self.width + 6


@dataclass(frozen=True)
class BarChart:
    title: Label
    width: int
    height: int
    bars: list[Bar]
    label_x: int = LABEL_WIDTH - 8


def bars(chart: Chart, k: int) -> BarChart:
    """Horizontal bars, one per row, for the chart's one column (the funnel)."""
    column = chart.columns[0]
    rows = [chart.table.row(key) for key in chart.rows]
    values = [number(row.cells.get(column)) for row in rows]
    longest = max((v for v in values if v), default=1)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    shapes = []
    for n, (row, value) in enumerate(zip(rows, values, strict=True)):
        shapes.append(
            Bar(
                label=chart.labels.get(row.key, row.label),
                text=figure_text(row.cells.get(column), "count", k),
                x=LABEL_WIDTH,
                y=n * (BAR_HEIGHT + BAR_GAP),
                width=round(room * (value or 0) / longest, 1),
                height=BAR_HEIGHT,
            )
        )
    return BarChart(chart.table.title, WIDTH, len(shapes) * (BAR_HEIGHT + BAR_GAP), shapes)


@dataclass(frozen=True)
class MonthBar:
    label: str  # the month, short
    title: str  # what a pointer over the bar reads
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class MonthlyChart:
    title: Label
    width: int
    height: int
    axis_y: int
    bars: list[MonthBar]
    top: str  # the figure at the top of the scale

    @property
    def tick_y(self) -> int:
        return self.axis_y + 18


MONTHLY_TOP, MONTHLY_HEIGHT, MONTHLY_AXIS = 22, 180, 30  # room for the scale, bars, months


def monthly(chart: Chart, k: int) -> MonthlyChart:
    """Meetings held each month, as vertical bars."""
    rows = chart.table.rows
    values = [number(row.cells.get("meetings")) for row in rows]
    highest = max((v for v in values if v), default=0)
    slot = WIDTH / max(len(rows), 1)
    shapes = []
    for n, (row, value) in enumerate(zip(rows, values, strict=True)):
        height = round(MONTHLY_HEIGHT * (value or 0) / highest, 1) if highest else 0
        shapes.append(
            MonthBar(
                label=formats.date_format(date.fromisoformat(row.key), "M"),
                title=f"{row.label}: {figure_text(row.cells.get('meetings'), 'number', k)}",
                x=round(n * slot + slot * 0.15, 1),
                y=MONTHLY_TOP + MONTHLY_HEIGHT - height,
                width=round(slot * 0.7, 1),
                height=height,
            )
        )
    return MonthlyChart(
        title=chart.table.title,
        width=WIDTH,
        height=MONTHLY_TOP + MONTHLY_HEIGHT + MONTHLY_AXIS,
        axis_y=MONTHLY_TOP + MONTHLY_HEIGHT,
        bars=shapes,
        top=figure_text(highest, "count", k) if highest else "0",
    )


@dataclass(frozen=True)
class Dumbbell:
    label: Label
    y: float
    start_x: float | None  # None: not enough answers to show
    closure_x: float | None
    start_text: str
    closure_text: str

    @property
    def text_y(self) -> float:
        return self.y + 5


@dataclass(frozen=True)
class BeforeAfterChart:
    title: Label
    width: int
    height: int
    rows: list[Dumbbell]
    ticks: list[tuple[float, int]]  # (x, score) for the 1-5 scale
    label_x: int = LABEL_WIDTH - 8

    @property
    def grid_bottom(self) -> int:
        return self.height - 24

    @property
    def tick_y(self) -> int:
        return self.height - 8


ROW_HEIGHT = 28
SCALE_LEFT, SCALE_RIGHT = LABEL_WIDTH + 10, WIDTH - 20


def _score_x(score: float) -> float:
    return round(SCALE_LEFT + (score - 1) / 4 * (SCALE_RIGHT - SCALE_LEFT), 1)


def before_after(chart: Chart, k: int) -> BeforeAfterChart:
    """Each dimension's mean at the start and at closure on the 1-5 scale."""
    start_key, closure_key = chart.columns
    rows = []
    for n, row in enumerate(chart.table.rows):
        start, closure = number(row.cells.get(start_key)), number(row.cells.get(closure_key))
        rows.append(
            Dumbbell(
                label=row.label,
                y=n * ROW_HEIGHT + ROW_HEIGHT / 2,
                start_x=_score_x(start) if start is not None else None,
                closure_x=_score_x(closure) if closure is not None else None,
                start_text=figure_text(start, "mean", k),
                closure_text=figure_text(closure, "mean", k),
            )
        )
    return BeforeAfterChart(
        title=chart.table.title,
        width=WIDTH,
        height=len(rows) * ROW_HEIGHT + MONTHLY_AXIS,
        rows=rows,
        ticks=[(_score_x(score), score) for score in range(1, 6)],
    )


DRAW = {"bars": bars, "monthly": monthly, "before_after": before_after}


def drawn(chart: Chart, k: int) -> object:
    return DRAW[chart.kind](chart, k)

"""What a report shows: sections of tables with keyed rows and columns. The page, the CSV
exports and the API all read the same tables, so they always agree.

A table's counts are filled into a ``CountGrid`` first, which hides small counts (and
their complements) before anything is derived from them: a share or a mean is shown only
when every count it is made of is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from statistics import median
from typing import Literal, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medmentor.reports.suppression import Group, hidden_counts


class Hidden(Enum):
    """Why a count is not shown."""

    FEW = "few"  # it describes fewer than k people (or its group has fewer than k)
    COMPLEMENT = "complement"  # it would give a small count away by subtraction


Value = int | float | Hidden | None  # None: no figure can be given
Kind = Literal["count", "percent", "mean", "change", "days", "hours", "number"]
Label = str | Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: Label
    kind: Kind = "count"


@dataclass
class Row:
    key: str
    label: Label
    cells: dict[str, Value]
    level: int = 0  # 1: a part of the row above (a status of all mentees, say)
    kind: Kind | None = None  # when the row's figures are not of its columns' kind

    def kind_in(self, column: Column) -> Kind:
        return self.kind or column.kind


@dataclass
class Table:
    key: str
    title: Label
    columns: list[Column]
    rows: list[Row]
    caption: Label = ""  # how the figures are counted
    withheld: Label = ""  # set when the whole table is withheld, and why

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)


@dataclass
class Chart:
    """A chart drawn from some rows and columns of a table (the table is shown beside it)."""

    kind: Literal["bars", "monthly", "before_after"]
    table: Table
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    labels: dict[str, Label] = field(default_factory=dict)  # shorter row labels


@dataclass
class Section:
    key: str
    title: Label
    intro: Label
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


Key = tuple[Hashable, Hashable]
# The rows of a mapping, all of one hashable type (a mapping is invariant in its keys).
RowKey = TypeVar("RowKey", bound=Hashable)


class CountGrid:
    """Counts of people keyed by (row, column), and the groups of them that add up.

    Fill it (``put``, ``add``, ``complete``, ``withhold``), then read it (``get``,
    ``distribution``, ``share``): what is hidden is worked out once, on the first read.
    """

    def __init__(self, *, k: int) -> None:
        self.k = k
        self.counts: dict[Key, int] = {}
        self.groups: list[Group[Key]] = []
        self.withheld: set[Key] = set()
        self._hidden: tuple[set[Key], set[Key]] | None = None  # (few, complements)

    def put(self, row: Hashable, column: Hashable, n: int) -> None:
        self.counts[(row, column)] = n
        self._hidden = None

    def add(self, row: Hashable, column: Hashable, n: int) -> None:
        self.put(row, column, self.counts.get((row, column), 0) + n)

    def raw(self, row: Hashable, column: Hashable) -> int:
        return self.counts.get((row, column), 0)

    def adds_up(self, total: Key, parts: Iterable[Key]) -> None:
        """``parts`` add up to ``total``: hiding one of them alone would give it away."""
        self.groups.append(Group(total=total, cells=tuple(parts)))
        self._hidden = None

    def total_over(self, columns: Sequence[Hashable], total: Hashable) -> None:
        """Fill column ``total`` with the sum of ``columns`` for every row, as a group."""
        rows = {row for row, _column in self.counts}
        for row in rows:
            self.put(row, total, sum(self.raw(row, column) for column in columns))
            self.adds_up((row, total), [(row, column) for column in columns])

    def complete(
        self,
        columns: Sequence[Hashable],
        total_column: Hashable | None,
        sums: Mapping[RowKey, Sequence[Hashable]],
    ) -> None:
        """Once every count is in: each row of ``sums`` becomes the sum of its part rows in
        each column, the ``total_column`` (a roll-up's) the sum of ``columns``, and every
        sum is noted as a group for suppression."""
        for total, parts in sums.items():
            for column in columns:
                self.put(total, column, sum(self.raw(part, column) for part in parts))
        every_column = list(columns)
        if total_column is not None:
            self.total_over(columns, total_column)
            every_column.append(total_column)
        for total, parts in sums.items():
            for column in every_column:
                self.adds_up((total, column), [(part, column) for part in parts])

    def withhold(self, keys: Iterable[Key]) -> None:
        """Hide these counts whatever their size (all of a group that is too small: its
        zeros would otherwise tell what every one of its few people answered)."""
        self.withheld.update(keys)
        self._hidden = None

    def withhold_if_few(self, total: Key, parts: Iterable[Key]) -> None:
        if self.raw(*total) < self.k:
            self.withhold([total, *parts])

    def _split(self) -> tuple[set[Key], set[Key]]:
        if self._hidden is None:
            few = {key for key, n in self.counts.items() if 0 < n < self.k} | self.withheld
            every = hidden_counts(self.counts, self.groups, k=self.k, also=self.withheld)
            self._hidden = (few, every - few)
        return self._hidden

    def get(self, row: Hashable, column: Hashable) -> int | Hidden:
        few, complements = self._split()
        if (row, column) in few:
            return Hidden.FEW
        if (row, column) in complements:
            return Hidden.COMPLEMENT
        return self.counts.get((row, column), 0)

    def distribution(
        self, total: Key, parts: Sequence[Key], scores: Sequence[int] = ()
    ) -> tuple[list[int | Hidden], float | None]:
        """The shown ``total`` and ``parts`` (in that order), and with ``scores`` the mean
        score when the total shows."""
        shown = [self.get(*key) for key in (total, *parts)]
        n = self.raw(*total)
        if not scores or isinstance(shown[0], Hidden):
            return shown, None
        weighted = sum(score * self.raw(*part) for score, part in zip(scores, parts, strict=False))
        return shown, mean_of(weighted, n, k=self.k)

    def share(self, part: Key, whole: Key) -> float | None:
        """``part`` as a percentage of ``whole``; None unless both show."""
        numerator, denominator = self.get(*part), self.get(*whole)
        if isinstance(numerator, Hidden) or isinstance(denominator, Hidden) or not denominator:
            return None
        return round(100 * numerator / denominator, 1)


SCORES = (1, 2, 3, 4, 5)


def score_rows(
    grid: CountGrid,
    columns: Sequence[str],
    total_column: str | None,
    *,
    total: tuple[str, Label],
    score_label: Label,
    mean_label: Label,
) -> list[Row]:
    """The rows of a 1-5 distribution whose counts are in ``grid`` as rows ``score_1`` to
    ``score_5``: the number of answers, one row a score, the mean; for each column and
    the total column of a roll-up. Fewer than k answers in a column: nothing shows."""
    parts = [f"score_{s}" for s in SCORES]
    grid.complete(columns, total_column, {total[0]: parts})
    every = [*columns, *([total_column] if total_column else [])]
    for column in every:
        grid.withhold_if_few((total[0], column), [(part, column) for part in parts])
    rows = [Row(total[0], total[1], {})]
    rows += [
        Row(part, score_label % {"n": s}, {}, 1) for part, s in zip(parts, SCORES, strict=True)
    ]
    rows.append(Row("mean", mean_label, {}, kind="mean"))
    for column in every:
        shown, mean = grid.distribution(
            (total[0], column), [(part, column) for part in parts], SCORES
        )
        for row, value in zip(rows, [*shown, mean], strict=True):
            row.cells[column] = value
    return rows


def mean_of(total: float, n: int, *, k: int, digits: int = 2) -> float | None:
    """A mean over ``n`` people, shown only when at least ``k`` gave it."""
    return round(total / n, digits) if n >= k and n else None


def median_of(values: Sequence[float], *, k: int) -> float | None:
    return round(float(median(values)), 1) if len(values) >= k else None


def withheld_below(answers: int, k: int) -> str:
    """Why a table shows nothing, when fewer than ``k`` people answered."""
    if answers >= k:
        return ""
    return str(
        _("Fewer than %(k)s answers: no figures, so that nobody's answers can be told.") % {"k": k}
    )

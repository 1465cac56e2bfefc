"""What the ``--circles`` and ``--groups`` branches of ``medmentor match`` share.

Both read PEOPLE.csv and, with ``--exclusions``, EXCL.csv (header ``id,other_id``;
one unordered pair a row: never in one circle or group), take a size range
``MIN-MAX`` and an optional institution cap, and report bad input the same way: one
message on stderr naming the file, row and column, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from typing import TypeVar

from medmentor.matching.csvio import locate, read_people
from medmentor.matching.encode import RankPositions
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import Problem, Rules

USAGE_ERROR = 2
EXCLUSION_COLUMNS = ("id", "other_id")
R = TypeVar("R")


def size_range(text: str) -> tuple[int, int]:
    """``"5-8"`` -> ``(5, 8)``; argparse reports the error under the option's name."""
    lo_text, sep, hi_text = text.strip().partition("-")
    try:
        if not sep:
            raise ValueError
        lo, hi = int(lo_text), int(hi_text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size range MIN-MAX such as 5-8"
        ) from None
    if lo < 2:
        raise argparse.ArgumentTypeError(f"MIN must be at least 2, not {lo} (in {text!r})")
    if lo > hi:
        raise argparse.ArgumentTypeError(f"MIN {lo} is larger than MAX {hi} (in {text!r})")
    return lo, hi


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def read_exclusions(data: bytes, ids: set[str]) -> list[tuple[str, str]]:
    """EXCL.csv bytes -> pairs of known ids (errors name row and column)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MatchingInputError("the file is not UTF-8", row=1, column="id", field="id") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(rows, [])]
    if tuple(header) != EXCLUSION_COLUMNS:
        raise MatchingInputError("expected the header id,other_id", row=1, column="id", field="id")
    pairs: list[tuple[str, str]] = []
    for row, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 2:
            raise MatchingInputError(
                f"expected two cells, found {len(cells)}", row=row, column="other_id"
            )
        a, b = (c.strip() for c in cells)
        for value, column in ((a, "id"), (b, "other_id")):
            if value not in ids:
                raise MatchingInputError(
                    f"unknown id {value!r}", row=row, column=column, field=column
                )
        if a == b:
            raise MatchingInputError(
                f"{a!r} is excluded from being with themselves", row=row, column="other_id"
            )
        pairs.append((a, b))
    return pairs


Solve = Callable[[Problem, RankPositions | None, list[tuple[str, str]]], R]


def read_and_solve(args: argparse.Namespace, rules: Rules, solve: Solve[R]) -> R | None:
    """Read ``args.people`` (with ``rules``, ``args.weights`` and ``args.question``)
    and ``args.exclusions`` if given, then return ``solve(problem, ranks,
    exclusions)`` (``ranks`` as :func:`read_people` gives them).

    On bad input, whether found by a reader or by ``solve``, print one message naming
    the file, row and column to stderr and return None. The engine's errors name a
    person and a field: they get that person's PEOPLE.csv row.
    """
    rows: dict[str, int] = {}
    where = args.people
    try:
        try:
            with open(args.people, "rb") as fh:
                data = fh.read()
            excl_data = None
            if args.exclusions is not None:
                with open(args.exclusions, "rb") as fh:
                    excl_data = fh.read()
        except OSError as exc:
            print(f"medmentor match: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
            return None
        problem, rows, ranks = read_people(
            data, weights=args.weights, rules=rules, questions=args.question
        )
        pairs: list[tuple[str, str]] = []
        if excl_data is not None:
            where = args.exclusions
            pairs = read_exclusions(excl_data, set(rows))
            where = args.people
        return solve(problem, ranks, pairs)
    except MatchingInputError as exc:
        shown = locate(exc, rows) if where == args.people else exc
        print(f"medmentor match: {where}: {shown}", file=sys.stderr)
        return None

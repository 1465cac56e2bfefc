"""``medmentor match PEOPLE.csv --circles MIN-MAX [--exclusions EXCL.csv] [--out CIRCLES.csv]``.

Peer circles (issue 19) from the same PEOPLE.csv as pair matching: every row is a
peer whatever its ``role`` (mentee or mentor; ``capacity`` and ``ranks`` are not
used), each person's ``exclude`` column is honoured, and so are the pairs of
EXCL.csv (header ``id,other_id``; one unordered pair a row: never in one circle).
``--no-shared-language``, ``--weights``, ``--question`` and ``--seed`` apply as for
pairs; ``--max-per-institution N`` caps one institution's members in a circle;
``--algorithm``, ``--seniority`` and ``--picks`` are about pairs and are not used.

CIRCLES.csv: ``circle,person_id,circle_score,reasons`` (circle numbers from 1; the
score is the circle's mean symmetric pair score; reasons are what its members
share), then one row per unplaced person with an empty circle and the reason. A
summary, unplaced people with their reasons included, goes to stderr. Bad input: one
message on stderr, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from typing import Any

from medmentor.matching.cells import write_rows
from medmentor.matching.circles import CirclesResult, form_circles
from medmentor.matching.csvio import locate, read_people
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import Rules

USAGE_ERROR = 2
EXCLUSION_COLUMNS = ("id", "other_id")


def size_range(text: str) -> tuple[int, int]:
    """``"5-8"`` -> ``(5, 8)``; argparse reports the error under ``--circles``."""
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
                f"{a!r} excluded from a circle with themselves", row=row, column="other_id"
            )
        pairs.append((a, b))
    return pairs


def write_circles(result: CirclesResult, out: Any) -> None:
    write_rows(
        out,
        [
            ["circle", "person_id", "circle_score", "reasons"],
            *(
                [k, m, f"{c.score:.4f}", "; ".join(c.reasons)]
                for k, c in enumerate(result.circles, start=1)
                for m in c.members
            ),
            *(["", u.person_id, "", u.message] for u in result.unplaced),
        ],
    )


def run(args: argparse.Namespace, write: Any) -> int:
    """The ``--circles`` branch of ``medmentor match`` (``write(text, out)`` writes)."""
    size_min, size_max = args.circles
    rules = Rules(require_shared_language=not args.no_shared_language)
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
            return USAGE_ERROR
        problem, rows, _ = read_people(data, weights=args.weights, questions=args.question)
        people = [*problem.mentees, *problem.mentors]
        pairs: list[tuple[str, str]] = []
        if excl_data is not None:
            where = args.exclusions
            pairs = read_exclusions(excl_data, set(rows))
            where = args.people
        result = form_circles(
            people,
            size_min=size_min,
            size_max=size_max,
            weights=args.weights,
            rules=rules,
            questions=args.question,
            exclusions=pairs,
            max_per_institution=args.max_per_institution,
            seed=args.seed,
        )
    except MatchingInputError as exc:
        shown = locate(exc, rows) if where == args.people else exc
        print(f"medmentor match: {where}: {shown}", file=sys.stderr)
        return USAGE_ERROR
    buf = io.StringIO()
    write_circles(result, buf)
    write(buf.getvalue(), args.out)
    placed = sum(len(c.members) for c in result.circles)
    mean = (
        f"{sum(c.score for c in result.circles) / len(result.circles):.3f}"
        if result.circles
        else "-"
    )
    print(
        f"circles {size_min}-{size_max}: {len(result.circles)} circles, placed {placed} "
        f"of {len(people)} people, mean circle score {mean}",
        file=sys.stderr,
    )
    for u in result.unplaced:
        print(f"  unplaced {u.person_id}: {u.message} ({u.reason})", file=sys.stderr)
    return 0

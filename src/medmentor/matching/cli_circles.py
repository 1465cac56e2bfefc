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
import io
import sys
from typing import Any

from medmentor.matching.cells import write_rows
from medmentor.matching.circles import CirclesResult, form_circles
from medmentor.matching.cli_shared import USAGE_ERROR, read_and_solve
from medmentor.matching.encode import RankPositions
from medmentor.matching.inputs import Problem, Rules


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

    def solve(
        problem: Problem, _ranks: RankPositions | None, exclusions: list[tuple[str, str]]
    ) -> CirclesResult:
        return form_circles(
            [*problem.mentees, *problem.mentors],
            size_min=size_min,
            size_max=size_max,
            weights=args.weights,
            rules=rules,
            questions=args.question,
            exclusions=exclusions,
            max_per_institution=args.max_per_institution,
            seed=args.seed,
        )

    result = read_and_solve(args, rules, solve)
    if result is None:
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
        f"of {placed + len(result.unplaced)} people, mean circle score {mean}",
        file=sys.stderr,
    )
    for u in result.unplaced:
        print(f"  unplaced {u.person_id}: {u.message} ({u.reason})", file=sys.stderr)
    return 0

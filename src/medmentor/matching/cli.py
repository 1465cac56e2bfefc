"""``medmentor match PEOPLE.csv [--algorithm stable|optimal] [--seed N] [--out MATCHES.csv]``.

With ``--circles MIN-MAX`` the same PEOPLE.csv is grouped into peer circles instead
of pairs (``medmentor match --circles 5-8 people.csv --exclusions excl.csv -o
circles.csv``; see :mod:`medmentor.matching.cli_circles`), and with ``--groups
MIN-MAX`` into mentoring groups, each mentor leading MIN to MAX mentees
(``medmentor match --groups 3-5 people.csv -o groups.csv``; see
:mod:`medmentor.matching.cli_groups`). The two are exclusive.

Exit status 0 on success, 2 on bad input (one message naming row and column on
stderr; no output file is written).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Sequence

from medmentor.matching import cli_circles, cli_groups
from medmentor.matching.api import solve_encoded_ranks
from medmentor.matching.cli_shared import USAGE_ERROR, positive, size_range
from medmentor.matching.csvio import locate, read_people, write_matches
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import COMPONENTS, Question, Rules, Weights


def _weights(text: str) -> Weights:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError("weights: four numbers, e.g. 1,1,2,1") from None
    if len(values) != len(COMPONENTS):
        raise argparse.ArgumentTypeError("weights: four numbers, e.g. 1,1,2,1")
    return Weights(*values)


def _question(text: str) -> Question:
    parts = text.split(":")
    if not 2 <= len(parts) <= 4:
        raise argparse.ArgumentTypeError("question: CODE:RULE[:WEIGHT[:COMPONENT]]")
    try:
        weight = float(parts[2]) if len(parts) > 2 else 1.0
    except ValueError:
        raise argparse.ArgumentTypeError("question weight must be a number") from None
    return Question(parts[0], parts[1], weight, parts[3] if len(parts) > 3 else "camaraderie")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="medmentor match",
        description="Match mentees with mentors from a spreadsheet (see docs/matching.md).",
    )
    p.add_argument("people", metavar="PEOPLE.csv")
    p.add_argument("--algorithm", choices=("stable", "optimal"), default="stable")
    p.add_argument("--seed", type=int, default=0, help="tie-break seed (default 0)")
    p.add_argument("-o", "--out", metavar="MATCHES.csv", help="output file (default: stdout)")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument(
        "--circles",
        type=size_range,
        metavar="MIN-MAX",
        help="peer circles of MIN to MAX people instead of pairs (e.g. 5-8)",
    )
    shape.add_argument(
        "--groups",
        type=size_range,
        metavar="MIN-MAX",
        help="mentoring groups: each mentor leads MIN to MAX mentees, at most their capacity",
    )
    p.add_argument(
        "--exclusions",
        metavar="EXCL.csv",
        help="with --circles or --groups: pairs never in one circle or group (header id,other_id)",
    )
    p.add_argument(
        "--max-per-institution",
        type=positive,
        metavar="N",
        help="with --circles or --groups: at most N of one institution per circle or group",
    )
    p.add_argument(
        "--weights",
        type=_weights,
        default=Weights(),
        help="consideration,camaraderie,commonality,confidentiality (default 1,1,1,1)",
    )
    p.add_argument(
        "--seniority",
        choices=("any", "peer", "strict"),
        default="any",
        help="mentor's career stage above the mentee's (strict) or at least equal (peer)",
    )
    p.add_argument(
        "--no-shared-language", action="store_true", help="do not require a shared language"
    )
    p.add_argument(
        "--picks",
        action="store_true",
        help="ranks come first, then everyone else by score (default: only ranked)",
    )
    p.add_argument(
        "--question",
        type=_question,
        action="append",
        default=[],
        metavar="CODE:RULE[:WEIGHT[:COMPONENT]]",
        help="use column answer:CODE; RULE is same, different or covers",
    )
    return p


def _write(result_text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(result_text)
        return
    folder = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".matches-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(result_text)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.circles is not None:
        return cli_circles.run(args, _write)
    if args.groups is not None:
        return cli_groups.run(args, _write)
    for name, value in (
        ("--exclusions", args.exclusions),
        ("--max-per-institution", args.max_per_institution),
    ):
        if value is not None:
            p.error(f"{name} needs --circles MIN-MAX or --groups MIN-MAX")
    rules = Rules(
        seniority=args.seniority,
        require_shared_language=not args.no_shared_language,
        ranks_exclusive=not args.picks,
    )
    rows: dict[str, int] = {}
    try:
        try:
            with open(args.people, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            print(f"medmentor match: cannot read {args.people}: {exc.strerror}", file=sys.stderr)
            return USAGE_ERROR
        problem, rows, ranks = read_people(
            data, weights=args.weights, rules=rules, questions=args.question
        )
        result = solve_encoded_ranks(problem, args.algorithm, args.seed, ranks)
    except MatchingInputError as exc:
        print(f"medmentor match: {args.people}: {locate(exc, rows)}", file=sys.stderr)
        return USAGE_ERROR
    buf = io.StringIO()
    write_matches(result, buf)
    _write(buf.getvalue(), args.out)
    s = result.summary
    mean = "-" if s.mean_score is None else f"{s.mean_score:.3f}"
    print(
        f"{args.algorithm}: matched {s.matched} of {s.mentees} mentees "
        f"({100 * s.matched_share:.1f}%), mean score {mean}, "
        f"{s.mentors_full} of {s.mentors} mentors full",
        file=sys.stderr,
    )
    return 0

"""``medmentor match PEOPLE.csv --groups MIN-MAX [--exclusions EXCL.csv] [--out GROUPS.csv]``.

Mentoring groups (issue 19) from the same PEOPLE.csv as pair matching: each mentor
leads at most one group of ``MIN`` to ``MAX`` mentees, no more than their
``capacity`` (the group's seats). Every mentor-mentee pair of a group passes the
pair rules (``--seniority``, ``--no-shared-language``, ``--picks`` and the ``ranks``,
``exclude`` and preference columns, as for pairs); the pairs of EXCL.csv (header
``id,other_id``, mentees or mentors) are never in one group;
``--max-per-institution N`` caps one institution's mentees in a group. ``--weights``,
``--question`` and ``--seed`` apply as for pairs; ``--algorithm`` is not used.

GROUPS.csv: ``group,mentor_id,mentee_id,group_score,reasons``, one row per placed
mentee with their group's number (from 1, in mentor input order), mentor, mean pair
score and what the members share; then one row per unplaced mentee with empty
``group``, ``mentor_id`` and ``group_score`` and the reason. A summary, unplaced
mentees with their reason codes included, goes to stderr. Bad input: one message on
stderr naming the file, row and column, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import replace
from typing import Any

from medmentor.matching.cells import write_rows
from medmentor.matching.cli_shared import USAGE_ERROR, read_and_solve
from medmentor.matching.encode import RankPositions
from medmentor.matching.groups import GroupsResult, form_groups
from medmentor.matching.inputs import Problem, Rules


def with_rank_ids(problem: Problem, ranks: RankPositions | None) -> Problem:
    """The problem with every rank list back on its person as ids.

    ``read_people`` hands long rank lists over as positions for the pair engine's
    fast path; ``form_groups`` reads the people's own ``ranks``. ``None``: the lists
    are already on the people.
    """
    if ranks is None:
        return problem
    mentee_ranks, mentor_ranks = ranks
    mentor_ids = [t.id for t in problem.mentors]
    mentee_ids = [e.id for e in problem.mentees]
    mentees = tuple(
        e if at is None else replace(e, ranks=tuple(mentor_ids[j] for j in at.tolist()))
        for e, at in zip(problem.mentees, mentee_ranks, strict=True)
    )
    mentors = tuple(
        t if at is None else replace(t, ranks=tuple(mentee_ids[i] for i in at.tolist()))
        for t, at in zip(problem.mentors, mentor_ranks, strict=True)
    )
    return replace(problem, mentees=mentees, mentors=mentors)


def write_groups(result: GroupsResult, out: Any) -> None:
    write_rows(
        out,
        [
            ["group", "mentor_id", "mentee_id", "group_score", "reasons"],
            *(
                [k, g.mentor_id, e, f"{g.score:.4f}", "; ".join(g.reasons)]
                for k, g in enumerate(result.groups, start=1)
                for e in g.mentee_ids
            ),
            *(["", "", u.mentee_id, "", u.message] for u in result.unplaced),
        ],
    )


def run(args: argparse.Namespace, write: Any) -> int:
    """The ``--groups`` branch of ``medmentor match`` (``write(text, out)`` writes)."""
    size_min, size_max = args.groups
    rules = Rules(
        seniority=args.seniority,
        require_shared_language=not args.no_shared_language,
        ranks_exclusive=not args.picks,
    )

    def solve(
        problem: Problem, ranks: RankPositions | None, exclusions: list[tuple[str, str]]
    ) -> GroupsResult:
        return form_groups(
            with_rank_ids(problem, ranks),
            size_min=size_min,
            size_max=size_max,
            max_per_institution=args.max_per_institution,
            exclusions=exclusions,
            seed=args.seed,
        )

    result = read_and_solve(args, rules, solve)
    if result is None:
        return USAGE_ERROR
    buf = io.StringIO()
    write_groups(result, buf)
    write(buf.getvalue(), args.out)
    placed = sum(len(g.mentee_ids) for g in result.groups)
    mean = (
        f"{sum(g.score for g in result.groups) / len(result.groups):.3f}" if result.groups else "-"
    )
    print(
        f"groups {size_min}-{size_max}: {len(result.groups)} groups, placed {placed} "
        f"of {placed + len(result.unplaced)} mentees, mean group score {mean}",
        file=sys.stderr,
    )
    for u in result.unplaced:
        print(f"  unplaced {u.mentee_id}: {u.message} ({u.reason})", file=sys.stderr)
    return 0

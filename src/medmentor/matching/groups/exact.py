"""Mentoring groups: the exact reference on small instances (OR-Tools CP-SAT) and a
naive greedy baseline. Both read the rules from the same encoded problem as
:func:`form_groups` (dense: small instances only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from medmentor.matching.features import SCALE
from medmentor.matching.groups.form import setup
from medmentor.matching.groups.model import GroupsResult, checked_problem
from medmentor.matching.groups.search import Grouping, PairTable
from medmentor.matching.inputs import Problem
from medmentor.matching.scoring import pair_scores, score_rows


@dataclass(frozen=True, slots=True)
class ExactGroups:
    """CP-SAT's best grouping: mentees placed, total score, an upper bound on the
    total among groupings placing as many (None when the bound allows more placed),
    and whether it is proved optimal. ``placed`` is None when nothing was found."""

    placed: int | None
    total: float | None
    bound: float | None
    proved: bool


def exact_groups(
    problem: Problem,
    *,
    size_min: int,
    size_max: int,
    max_per_institution: int | None = None,
    exclusions: Iterable[tuple[str, str]] = (),
    time_limit: float = 30.0,
) -> ExactGroups:
    """The most mentees placed, then the best total score, by CP-SAT.

    Model: ``x[i, j]`` per eligible pair (mentee i in mentor j's group), ``y[j]``
    mentor j leads; each mentee in at most one group; ``size_min * y_j <= sum_i x_ij
    <= seats_j * y_j``; ``x_aj + x_bj <= 1`` per excluded mentee pair and mentor;
    at most ``cap`` mentees of one institution per group; locked pairs fixed (their
    groups exempt from the minimum, as in :func:`form_groups`).
    """
    from ortools.sat.python import cp_model

    problem, peer = checked_problem(problem, size_min, size_max, max_per_institution, exclusions)
    n, m = len(problem.mentees), len(problem.mentors)
    if n == 0 or m == 0:
        return ExactGroups(0, 0.0, 0.0, True)
    s = setup(problem, size_min, size_max, max_per_institution, peer, 0)
    rows = np.arange(n, dtype=np.int64)
    ok = score_rows(s.enc, rows) >= 0
    for i in np.flatnonzero(s.pinned_at >= 0).tolist():
        ok[i] = False
        ok[i, s.pinned_at[i]] = True
    pi, pj = np.nonzero(ok)
    q = pair_scores(s.enc, pi.astype(np.int64), pj.astype(np.int64)).tolist()
    model = cp_model.CpModel()
    x = {
        (i, j): model.new_bool_var(f"x{i}_{j}")
        for i, j in zip(pi.tolist(), pj.tolist(), strict=True)
    }
    y = [model.new_bool_var(f"y{j}") for j in range(m)]
    by_mentee: dict[int, list[cp_model.IntVar]] = {}
    by_mentor: dict[int, list[int]] = {}
    for i, j in x:
        by_mentee.setdefault(i, []).append(x[i, j])
        by_mentor.setdefault(j, []).append(i)
    for i, j in x:
        model.add_implication(x[i, j], y[j])
        if s.pinned_at[i] == j:
            model.add(x[i, j] == 1)
    for xs in by_mentee.values():
        model.add(sum(xs) <= 1)
    locked_groups = set(s.pinned_at[s.pinned_at >= 0].tolist())
    for j in range(m):
        members = by_mentor.get(j, [])
        size = sum(x[i, j] for i in members)
        model.add(size <= int(s.seats[j]) * y[j])
        if j not in locked_groups:
            model.add(size >= size_min * y[j])
        for i in members:
            for k in s.conflicts.get(i, ()):
                if k > i and (k, j) in x:
                    model.add(x[i, j] + x[k, j] <= 1)
        insts: dict[int, list[int]] = {}
        for i in members:
            if s.inst[i] >= 0:
                insts.setdefault(int(s.inst[i]), []).append(i)
        for same in insts.values():
            if len(same) > s.cap:
                model.add(sum(x[i, j] for i in same) <= s.cap)
    weight = SCALE * n + 1  # one more mentee placed outweighs any score
    model.maximize(sum((weight + qq) * v for qq, v in zip(q, x.values(), strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactGroups(None, None, None, False)
    best = round(solver.objective_value)
    placed = best // weight
    bound = int(solver.best_objective_bound)
    return ExactGroups(
        placed=placed,
        total=(best - placed * weight) / SCALE,
        bound=(bound - placed * weight) / SCALE if bound // weight == placed else None,
        proved=status == cp_model.OPTIMAL,
    )


def greedy_groups(
    problem: Problem,
    *,
    size_min: int,
    size_max: int,
    max_per_institution: int | None = None,
    exclusions: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> GroupsResult:
    """A naive baseline: mentees in input order join their best eligible mentor's
    group that has room and no rule against them; groups left below the minimum
    are dissolved. Locked pairs are not supported (ignored)."""
    from medmentor.matching.groups.form import _result

    problem, peer = checked_problem(problem, size_min, size_max, max_per_institution, exclusions)
    n, m = len(problem.mentees), len(problem.mentors)
    if n == 0 or m == 0:
        return GroupsResult((), (), 0.0, seed)
    s = setup(problem, size_min, size_max, max_per_institution, peer, seed)
    rows = np.arange(n, dtype=np.int64)
    sc = score_rows(s.enc, rows)
    pi, pj = np.nonzero(sc >= 0)
    table = PairTable(s.enc, pi.astype(np.int64), pj.astype(np.int64), sc[pi, pj].astype(np.int64))
    at = np.full(n, -1, dtype=np.int64)
    g = Grouping(
        table,
        at,
        s.seats,
        s.seats >= size_min,
        np.zeros(n, dtype=bool),
        s.conflicts,
        s.inst,
        s.cap,
        size_min,
        s.enc.tb_m,
    )
    for i in range(n):
        for j in sorted(g.opts[i], key=lambda j: (-g.opts[i][j], j)):
            if g.can_join(i, j):
                g.put(i, j)
                break
    for j in range(m):
        if g.below_min(j):
            for i in sorted(g.members[j]):
                g.take(i)
            g.is_open[j] = False
    return _result(problem, g, seed)

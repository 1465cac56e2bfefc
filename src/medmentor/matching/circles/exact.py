"""Peer circles: the exact reference on small instances (OR-Tools CP-SAT).

:func:`exact_circles` proves the best total affinity with everyone placed. Two models,
the pair model first for a quarter of the time limit, then the circle model:

**Pair model**: a 0/1 variable per compatible unordered pair "in the same circle";
transitivity (``y_pq + y_qr - y_pr <= 1``) makes the pairs a partition into cliques;
each person's size indicator (one of ``size_min..size_max``) fixes their degree; the
number of circles of each size is an integer (``s * k_s`` people have size ``s``) and
the pair count is ``sum(C(s, 2) * k_s)``; same-institution degree ``<= cap - 1`` is the
institution rule. The integer circle counts prove splits such as 17 English-only
people who cannot all sit in circles of 4. Its LP lets each person spread fractions of
a circle over many neighbours, so 40 people in circles of 4-6 keep a 3 % gap.

**Circle model**: set partitioning over every feasible circle. All groups of
``size_min`` to ``size_max`` people that break no hard rule are enumerated (NumPy, one
bit mask per person, so at most 64 people; 40 people in circles of 4-6 have 2.4
million), too many for CP-SAT at once, so:

1. **Column generation** (GLOP): the LP over a growing subset of circles, plus a row
   ``sum(pairs) <= most_pairs`` (without it the LP takes fractions of the largest
   circles: 6.67 circles of 6 for 40 people, 100 pairs where 96 is the most); each
   round prices *all* circles with the duals and adds the best ones per person, until
   no circle has a positive reduced cost ``rc(C) = w(C) - pi(C) - mu * pairs(C)``.
2. **Ceilings**: whatever the duals, a partition's value is ``sum(pi) + mu * its
   pairs + the reduced costs of its circles`` (each person is covered once), so one
   containing circle ``C`` is worth at most ``sum(pi) + mu * most_pairs + (k - 1) *
   max(0, max rc) + rc(C)`` (``k`` = most circles a partition can have), and no
   partition more than the LP bound (the same with no circle fixed).
3. **Targets**: CP-SAT on the circles whose ceiling reaches a target, with the total
   constrained to reach it. Every partition worth the target holds only such
   circles, so a partition found is optimal; when there is none, the target is a
   bound. The target starts 0.25 % under the LP bound and the step doubles: near the
   bound only a few hundred circles remain.

The bound reported is the lowest proved. Past 64 people or ``MAX_CIRCLES`` circles
only the pair model runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from medmentor.matching.circles.form import language_matrix
from medmentor.matching.circles.model import (
    BIG,
    F32,
    I64,
    as_mentee,
    as_mentor,
    pair_affinities,
)
from medmentor.matching.encode import encode
from medmentor.matching.features import SCALE
from medmentor.matching.inputs import (
    Participant,
    Problem,
    Question,
    Rules,
    Weights,
)

F64 = npt.NDArray[np.float64]
MAX_CIRCLES = 4_000_000  # feasible circles enumerated at most (~100 MB)
PRICED_PER_ROUND = 4  # circles added per person and column-generation round
PAIR_SHARE = 0.25  # of the time limit for the pair model, tried first
FIRST_STEP = 0.0025  # first target: the LP bound less 0.25 %; the step doubles
MARGIN = 1e-4  # slack of reduced-cost fixing against floating-point error (score units)
Exact = tuple[float | None, float | None, bool]


def circle_affinity(
    people: Sequence[Participant],
    *,
    weights: Weights | None = None,
    rules: Rules | None = None,
    questions: Sequence[Question] = (),
    exclusions: Iterable[tuple[str, str]] = (),
) -> F32:
    """Dense symmetric affinity of ``people`` as :func:`form_circles` uses it: exact
    integers in units of 1 / (2 * SCALE); -BIG where a hard rule forbids the pair."""
    people = tuple(people)
    pos = {p.id: k for k, p in enumerate(people)}
    problem = Problem(
        mentees=tuple(as_mentee(p) for p in people),
        mentors=tuple(as_mentor(p) for p in people),
        weights=weights or Weights(),
        rules=Rules(seniority="any", require_shared_language=False),
        questions=tuple(questions),
    )
    enc = encode(problem)
    excl = [(pos[str(a)], pos[str(b)]) for a, b in exclusions]
    for p in people:
        excl.extend((pos[p.id], pos[x]) for x in sorted(p.exclude))
    lang = language_matrix(people) if (rules or Rules()).require_shared_language else None
    return pair_affinities(enc.U, enc.Vt, np.arange(len(people), dtype=np.int64), lang, excl)


def exact_circles(
    people: Sequence[Participant],
    *,
    size_min: int,
    size_max: int,
    weights: Weights | None = None,
    rules: Rules | None = None,
    exclusions: Iterable[tuple[str, str]] = (),
    max_per_institution: int | None = None,
    time_limit: float = 30.0,
    model: Literal["auto", "pairs", "circles"] = "auto",
) -> Exact:
    """The best total affinity with everyone placed, by OR-Tools CP-SAT (a reference for
    small instances): (total, upper bound, proved optimal); totals None when infeasible
    or nothing was found in ``time_limit`` seconds. ``model``: the pair model first,
    then the circle model (``auto``), or one of them (``circles`` falls back to pairs
    past 64 people or ``MAX_CIRCLES``); see the module docstring."""
    deadline = time.monotonic() + time_limit
    A = circle_affinity(people, weights=weights, rules=rules, exclusions=exclusions)
    codes = {p.institution for p in people if p.institution is not None}
    code = {c: k for k, c in enumerate(sorted(codes))}
    inst = np.array(
        [-1 if p.institution is None else code[p.institution] for p in people], dtype=np.int64
    )
    cap = max_per_institution
    if len(A) == 0:
        return 0.0, 0.0, True
    circles = None
    if model != "pairs" and len(A) <= 64:
        circles = feasible_circles(A, inst, size_min, size_max, cap)
    if circles is None:
        return _pair_model(A, inst, size_min, size_max, cap, deadline)[0]
    first: Exact = None, None, False
    if model == "auto":
        share = min(deadline, time.monotonic() + PAIR_SHARE * time_limit)
        first, decided = _pair_model(A, inst, size_min, size_max, cap, share)
        if decided:
            return first
    second = _circle_model(*circles, n=len(A), most=len(A) // size_min, deadline=deadline)
    if second[2]:
        return second
    totals = [t for t in (first[0], second[0]) if t is not None]
    bounds = [b for b in (first[1], second[1]) if b is not None]
    return max(totals, default=None), min(bounds, default=None), False


def feasible_circles(
    A: F32, inst: I64, size_min: int, size_max: int, cap: int | None
) -> tuple[I64, I64] | None:
    """Every circle of ``size_min..size_max`` people that breaks no hard rule, as
    (members padded with ``n``, one row per circle; total affinity), or None past
    ``MAX_CIRCLES``. Grown one member at a time, the new member above the last one and
    compatible with all (the AND of the members' compatibility bit masks)."""
    n = len(A)
    ok = (A > -BIG / 2) & ~np.eye(n, dtype=bool)
    bit = np.uint64(1) << np.arange(n, dtype=np.uint64)
    compatible = (ok * bit[None, :]).sum(axis=1, dtype=np.uint64)
    above = ~((bit << np.uint64(1)) - np.uint64(1))  # bits of the people after each one
    W = np.rint(A).astype(np.int64)
    members = np.arange(n, dtype=np.int64)[:, None]
    common = compatible & above
    total = np.zeros(n, dtype=np.int64)
    found_members: list[I64] = []
    found_totals: list[I64] = []
    size, count = 1, 0
    while True:
        if size >= size_min:
            padded = np.full((len(members), size_max), n, dtype=np.int64)
            padded[:, :size] = members
            found_members.append(padded)
            found_totals.append(total)
            count += len(members)
            if count > MAX_CIRCLES:
                return None
        if size == size_max or len(members) == 0:
            break
        grown_m, grown_c, grown_t = [], [], []
        for r in range(n):
            rows = np.nonzero(common & bit[r])[0]
            if cap is not None and inst[r] >= 0:
                rows = rows[(inst[members[rows]] == inst[r]).sum(axis=1) < cap]
            grown_m.append(np.column_stack([members[rows], np.full(len(rows), r)]))
            grown_c.append(common[rows] & compatible[r] & above[r])
            grown_t.append(total[rows] + W[members[rows], r].sum(axis=1))
        members = np.concatenate(grown_m)
        common, total = np.concatenate(grown_c), np.concatenate(grown_t)
        size += 1
        if len(members) > MAX_CIRCLES:
            return None
    if not found_members:
        return np.zeros((0, size_max), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_members), np.concatenate(found_totals)


def _circle_model(members: I64, totals: I64, *, n: int, most: int, deadline: float) -> Exact:
    """The circle model (module docstring, steps 1-3)."""
    from ortools.sat.python import cp_model

    value = totals / (2 * SCALE)
    size = (members < n).sum(axis=1)
    pairs = size * (size - 1) // 2
    limit = most_pairs(n, sorted(set(size.tolist())))
    if limit is None:
        return None, None, False
    duals, pair_dual = _column_generation(members, value, pairs, limit, n, deadline)
    reduced = value - np.append(duals, 0.0)[members].sum(axis=1) - pair_dual * pairs
    slack = max(0.0, float(reduced.max(initial=0.0)))
    base = float(duals.sum()) + pair_dual * limit
    lp_bound = base + most * slack
    # Best total of a partition holding each circle (an upper bound).
    ceiling = base + (most - 1) * slack + reduced
    bound, step = lp_bound, max(lp_bound, 1.0) * FIRST_STEP
    while True:
        target = lp_bound - step
        keep = np.nonzero(ceiling >= target - MARGIN)[0]
        if len(keep) == len(members):
            target = -np.inf
        status, total, solver_bound = _solve_partition(
            members[keep], totals[keep], pairs[keep], limit, n, target * 2 * SCALE, deadline
        )
        if status == cp_model.OPTIMAL:
            return total / (2 * SCALE), total / (2 * SCALE), True
        if status == cp_model.FEASIBLE:  # out of time; the solver's bound is >= target
            return total / (2 * SCALE), min(bound, solver_bound / (2 * SCALE)), False
        if status != cp_model.INFEASIBLE or target == -np.inf:  # out of time, or no partition
            return None, None, False
        # Every partition worth ``target`` or more was in this model, and it has none.
        bound, step = min(bound, target), 2 * step


def most_pairs(n: int, sizes: Sequence[int]) -> int | None:
    """The most member pairs a partition of ``n`` people into circles of ``sizes`` can
    have (None when there is no such partition). The LP would otherwise take fractions
    of the largest circles (40 people: 6.67 circles of 6, 100 pairs, not 96)."""
    best: list[int | None] = [0] + [None] * n
    for m in range(1, n + 1):
        options = [b + s * (s - 1) // 2 for s in sizes if s <= m and (b := best[m - s]) is not None]
        best[m] = max(options, default=None)
    return best[n]


def _column_generation(
    members: I64, value: F64, pairs: I64, limit: int, n: int, deadline: float
) -> tuple[F64, float]:
    """Duals of the set-partitioning LP over all circles: one per person, one of the
    pair-count row ``sum(pairs) <= limit`` (never negative). A person may
    stay uncovered at a penalty above any circle's value, so every restricted LP is
    feasible; the duals' bound does not depend on it."""
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    cover = [lp.Constraint(1.0, 1.0) for _ in range(n)]
    pair_row = lp.Constraint(-lp.infinity(), float(limit))
    objective = lp.Objective()
    objective.SetMaximization()
    penalty = 2.0 * float(value.max(initial=1.0)) + 1.0
    for row in cover:
        alone = lp.NumVar(0.0, lp.infinity(), "")
        row.SetCoefficient(alone, 1.0)
        objective.SetCoefficient(alone, -penalty)
    in_lp = np.zeros(len(value), dtype=bool)
    duals, pair_dual = np.zeros(n), 0.0
    while True:
        reduced = value - np.append(duals, 0.0)[members].sum(axis=1) - pair_dual * pairs
        reduced[in_lp] = -np.inf
        best = _best_per_person(members, reduced, n)
        if len(best) == 0 or time.monotonic() > deadline:
            break
        for k in best.tolist():
            x = lp.NumVar(0.0, lp.infinity(), "")
            objective.SetCoefficient(x, float(value[k]))
            pair_row.SetCoefficient(x, float(pairs[k]))
            for p in members[k][members[k] < n].tolist():
                cover[p].SetCoefficient(x, 1.0)
        in_lp[best] = True
        lp.Solve()
        duals = np.array([row.dual_value() for row in cover])
        pair_dual = max(0.0, pair_row.dual_value())
    return duals, pair_dual


def _best_per_person(members: I64, reduced: F64, n: int) -> I64:
    """The ``PRICED_PER_ROUND`` circles of highest positive reduced cost among those
    holding each person (distinct circles), so every round improves every person."""
    positive = np.nonzero(reduced > 1e-9)[0]
    if len(positive) == 0:
        return positive
    order = positive[np.argsort(-reduced[positive], kind="stable")]
    picked: set[int] = set()
    left = np.full(n + 1, PRICED_PER_ROUND)
    left[n] = 0
    for k in order[: 50 * n * PRICED_PER_ROUND].tolist():
        held = members[k]
        if left[held].any():
            picked.add(k)
            left[held] = np.maximum(left[held] - 1, 0)
            left[n] = 0
            if not left.any():
                break
    return np.array(sorted(picked), dtype=np.int64)


def _solve_partition(
    members: I64,
    totals: I64,
    pairs: I64,
    limit: int,
    n: int,
    target: float,
    deadline: float,
) -> tuple[int, int, float]:
    """CP-SAT: choose circles covering every person once, total affinity at least
    ``target``, as much as possible: (status, total or 0 when none, bound)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.new_bool_var(f"c{k}") for k in range(len(members))]
    holding: list[list[cp_model.IntVar]] = [[] for _ in range(n)]
    for k, row in enumerate(members.tolist()):
        for p in row:
            if p < n:
                holding[p].append(x[k])
    for p in range(n):
        model.add_exactly_one(holding[p])
    model.add(sum(int(c) * var for c, var in zip(pairs.tolist(), x, strict=True)) <= limit)
    total = sum(int(w) * var for w, var in zip(totals.tolist(), x, strict=True))
    if target > -np.inf:
        model.add(total >= math.ceil(target))
    model.maximize(total)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.1)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return int(status), round(solver.objective_value) if found else 0, solver.best_objective_bound


def _pair_model(
    A: F32, inst: I64, size_min: int, size_max: int, cap: int | None, deadline: float
) -> tuple[Exact, bool]:
    """The pair model (module docstring) and whether it decided (optimum proved or no
    partition at all)."""
    from ortools.sat.python import cp_model

    n = len(A)
    model = cp_model.CpModel()
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for p in range(n):
        for q in range(p + 1, n):
            if A[p, q] > -BIG / 2:
                y[p, q] = model.new_bool_var(f"y{p}_{q}")

    def v(p: int, q: int) -> cp_model.IntVar | int:
        return y.get((min(p, q), max(p, q)), 0)

    for p in range(n):
        for q in range(p + 1, n):
            for r in range(q + 1, n):
                a, b, c = v(p, q), v(q, r), v(p, r)
                model.add(a + b - c <= 1)
                model.add(a - b + c <= 1)
                model.add(-a + b + c <= 1)
    sizes = range(size_min, size_max + 1)
    has_size = {(p, s): model.new_bool_var(f"s{p}_{s}") for p in range(n) for s in sizes}
    for p in range(n):
        model.add_exactly_one(has_size[p, s] for s in sizes)
        degree = sum(v(p, q) for q in range(n) if q != p)
        # Members of one circle share its size; the integer circle counts below then
        # cut fractional sizes (e.g. 17 people cannot all be in circles of 4).
        model.add(degree == sum((s - 1) * has_size[p, s] for s in sizes))
        if cap is not None and inst[p] >= 0:
            same = [v(p, q) for q in range(n) if q != p and inst[q] == inst[p]]
            if same:
                model.add(sum(same) <= cap - 1)
    circles_of = {s: model.new_int_var(0, n // s, f"k{s}") for s in sizes}
    for s in sizes:
        model.add(s * circles_of[s] == sum(has_size[p, s] for p in range(n)))
    model.add(sum(y.values()) == sum(s * (s - 1) // 2 * circles_of[s] for s in sizes))
    model.maximize(sum(int(A[p, q]) * var for (p, q), var in y.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.1)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return (None, None, False), status == cp_model.INFEASIBLE
    proved = status == cp_model.OPTIMAL
    total = solver.objective_value / (2 * SCALE)
    return (total, solver.best_objective_bound / (2 * SCALE), proved), proved

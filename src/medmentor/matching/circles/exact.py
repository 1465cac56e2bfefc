"""Peer circles: the exact reference on small instances (OR-Tools CP-SAT)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from medmentor.matching.circles.form import language_matrix
from medmentor.matching.circles.model import (
    BIG,
    F32,
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


# -- exact reference (small instances) -------------------------------------------------
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
) -> tuple[float | None, float | None, bool]:
    """The best total affinity with everyone placed, by OR-Tools CP-SAT (a reference for
    small instances): (total, upper bound, proved optimal); totals None when infeasible
    or nothing was found in ``time_limit``.

    Model: a 0/1 variable per compatible unordered pair "in the same circle";
    transitivity (``y_pq + y_qr - y_pr <= 1``) makes the pairs a partition into
    cliques, each person's degree in ``[size_min - 1, size_max - 1]`` bounds the circle
    sizes, and same-institution degree ``<= cap - 1`` the institution rule. Unlike an
    assignment model (person x circle slot) it has no slot symmetry.
    """
    from ortools.sat.python import cp_model

    A = circle_affinity(people, weights=weights, rules=rules, exclusions=exclusions)
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
    inst = [p.institution for p in people]
    for p in range(n):
        deg = sum(v(p, q) for q in range(n) if q != p)
        model.add(deg >= size_min - 1)
        model.add(deg <= size_max - 1)
        if max_per_institution is not None and inst[p] is not None:
            same = [v(p, q) for q in range(n) if q != p and inst[q] == inst[p]]
            if same:
                model.add(sum(same) <= max_per_institution - 1)
    model.maximize(sum(int(A[p, q]) * var for (p, q), var in y.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None, False
    return (
        solver.objective_value / (2 * SCALE),
        solver.best_objective_bound / (2 * SCALE),
        status == cp_model.OPTIMAL,
    )

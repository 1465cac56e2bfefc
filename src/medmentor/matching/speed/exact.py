"""Speed-mentoring schedules: the exact reference on small instances (OR-Tools
CP-SAT) and a naive greedy baseline. Both read the rules and fits from the same
setup as :func:`schedule_event`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from medmentor.matching.features import SCALE
from medmentor.matching.inputs import Problem
from medmentor.matching.speed.model import SpeedSchedule
from medmentor.matching.speed.schedule import Rotations, result, setup
from medmentor.matching.speed.select import levels, objective


@dataclass(frozen=True, slots=True)
class ExactSchedule:
    """CP-SAT's best schedule: its selection objective (balance + fit, as
    :func:`schedule_event` maximises it), total score, meetings (mentee id, mentor id,
    rotation) and whether it is proved optimal. None when nothing was found."""

    objective: int | None
    total: float | None
    meetings: tuple[tuple[str, str, int], ...]
    proved: bool


def exact_schedule(
    problem: Problem,
    *,
    rotations: int,
    table_size: int = 1,
    choices: Mapping[str, Sequence[str]] | None = None,
    locked: Iterable[tuple[str, str, int]] = (),
    time_limit: float = 30.0,
) -> ExactSchedule:
    """The best schedule by CP-SAT, for small instances.

    Model: ``x[i, j, r]`` per eligible pair and rotation; each pair at most once,
    each mentee at most once per rotation, each mentor at most ``table_size`` per
    rotation, locked meetings fixed. Objective: the mentee's k-th meeting and the
    mentor's k-th seat are worth the same bonuses as in the flow (booleans ``z`` whose
    count is the person's number of meetings; the bonuses decrease, so the best
    ``z`` are the first), plus the fit of every meeting.
    """
    from ortools.sat.python import cp_model

    s = setup(problem, rotations, table_size, choices, locked, 0)
    n, m, R = s.enc.n, s.enc.m, s.rotations
    if n == 0 or m == 0 or not len(s.ai):
        return ExactSchedule(0, 0.0, (), True)
    seats = R * s.table_size
    mentee_bonus, mentor_bonus = levels(n, m, len(s.ai), R, s.table_size)
    model = cp_model.CpModel()
    arcs = list(zip(s.ai.tolist(), s.aj.tolist(), strict=True))
    x = [[model.new_bool_var(f"x{a}_{r}") for r in range(R)] for a in range(len(arcs))]
    met = [sum(row) for row in x]
    for row in x:
        model.add(sum(row) <= 1)
    for a, c in zip(s.locked.tolist(), s.lock_c.tolist(), strict=True):
        model.add(x[a][c] == 1)
    by_e: dict[int, list[int]] = {}
    by_m: dict[int, list[int]] = {}
    for a, (i, j) in enumerate(arcs):
        by_e.setdefault(i, []).append(a)
        by_m.setdefault(j, []).append(a)
    terms: list[Any] = []
    for i, own in by_e.items():
        for r in range(R):
            model.add(sum(x[a][r] for a in own) <= 1)
        z = [model.new_bool_var(f"e{i}_{k}") for k in range(1, R + 1)]
        model.add(sum(z) == sum(met[a] for a in own))
        terms += [int(mentee_bonus[k]) * z[k - 1] for k in range(1, R + 1)]
    for j, own in by_m.items():
        for r in range(R):
            model.add(sum(x[a][r] for a in own) <= s.table_size)
        z = [model.new_bool_var(f"m{j}_{k}") for k in range(1, seats + 1)]
        model.add(sum(z) == sum(met[a] for a in own))
        terms += [int(mentor_bonus[k]) * z[k - 1] for k in range(1, seats + 1)]
    terms += [int(f) * met[a] for a, f in enumerate(s.fit.tolist())]
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactSchedule(None, None, (), False)
    chosen = [(a, r) for a in range(len(arcs)) for r in range(R) if solver.boolean_value(x[a][r])]
    problem = s.problem
    meetings = tuple(
        (problem.mentees[arcs[a][0]].id, problem.mentors[arcs[a][1]].id, r + 1) for a, r in chosen
    )
    idx = np.array([a for a, _ in chosen], dtype=np.int64)
    value = objective(n, m, s.ai[idx], s.aj[idx], s.fit[idx], (mentee_bonus, mentor_bonus))
    assert value == round(solver.objective_value)
    return ExactSchedule(
        objective=value,
        total=round(int(s.aq[idx].sum()) / SCALE, 6),
        meetings=meetings,
        proved=status == cp_model.OPTIMAL,
    )


def greedy_schedule(
    problem: Problem,
    *,
    rotations: int,
    table_size: int = 1,
    choices: Mapping[str, Sequence[str]] | None = None,
    locked: Iterable[tuple[str, str, int]] = (),
    seed: int = 0,
) -> SpeedSchedule:
    """A naive baseline: rotation by rotation, each mentee in input order takes the
    mentor of best fit (score plus choice bonus) they have not met whose table has
    room; locked meetings are placed first."""
    s = setup(problem, rotations, table_size, choices, locked, seed)
    n, m, R = s.enc.n, s.enc.m, s.rotations
    if n == 0 or m == 0:
        return SpeedSchedule((), (), 0.0, R, s.table_size, seed)
    options: list[list[int]] = [[] for _ in range(n)]
    for a in np.lexsort((s.enc.tb_m[s.aj], -s.fit, s.ai)).tolist():
        options[int(s.ai[a])].append(a)
    busy_e = np.zeros((n, R), dtype=bool)
    load = np.zeros((m, R), dtype=np.int64)
    colour = np.full(len(s.ai), -1, dtype=np.int64)
    for a, c in zip(s.locked.tolist(), s.lock_c.tolist(), strict=True):
        colour[a] = c
        busy_e[s.ai[a], c] = True
        load[s.aj[a], c] += 1
    for r in range(R):
        for i in range(n):
            if busy_e[i, r]:
                continue
            for a in options[i]:
                j = int(s.aj[a])
                if colour[a] < 0 and load[j, r] < s.table_size:
                    colour[a] = r
                    busy_e[i, r] = True
                    load[j, r] += 1
                    break
    arcs = np.flatnonzero(colour >= 0).astype(np.int64)
    bonus = levels(n, m, len(s.ai), R, s.table_size)
    value = objective(n, m, s.ai[arcs], s.aj[arcs], s.fit[arcs], bonus)
    return result(s, Rotations(arcs, colour[arcs], value))

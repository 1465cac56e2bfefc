"""Speed-mentoring schedules: which pairs meet, a degree-constrained subgraph of
maximum weight (a b-matching) by min-cost flow.

Network: source -> mentee -> mentor -> sink. A mentee has one unit arc from the
source per meeting they may still have (R minus their locked meetings), the k-th
worth ``mentee_bonus[k]``; a mentor has one unit arc to the sink per free seat (R x
table_size minus the locked meetings), the k-th worth ``mentor_bonus[k]``; every
eligible pair not locked is one unit arc worth its fit, so no pair meets twice. A
zero-cost arc from the source to the sink lets the flow leave meetings out. The
bonuses decrease with k (concave in the number of meetings, so parallel unit arcs
model them exactly) and their levels are lexicographic (see :func:`levels`): the
cheapest flow spreads the meetings evenly over the mentees first, then maximises
the total fit, with the mentors' seats spread as a small part of the fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from medmentor.matching.encode import Encoded
from medmentor.matching.exceptions import MatchingInternalError
from medmentor.matching.features import I64, SCALE

# Fit of a pair in units of 1 / TOP of a perfect score (the pair engine's integer
# scores, SCALE = 1.0, divided by QUANTUM).
TOP = 10_000
QUANTUM = SCALE // TOP
# Bonus of a chosen mentor by the mentee's rank (1..5), in units of a perfect score.
# Each is above 1.0, so a chosen eligible mentor always fits the mentee better than
# any mentor they did not choose (whose score is at most 1.0): the mentee's own wish
# outranks the engine's estimate. Ranks are 0.2 apart, so a better-ranked choice wins
# unless the other's score is more than 0.2 higher per rank between them.
CHOICE_BONUS = (2.0, 1.8, 1.6, 1.4, 1.2)
CHOICE_UNITS = np.array([0, *(round(b * TOP) for b in CHOICE_BONUS)], dtype=np.int64)
FIT_MAX = TOP + int(CHOICE_UNITS.max())
# A mentor's first seat is worth SPREAD more than their last (linear in between): at
# equal fit, or within 0.05 of a perfect score, the meeting goes to the less busy
# mentor; a choice (>= 1.2) or a clearly better fit always outweighs it.
SPREAD = TOP // 20


def fits(q: I64, rank: I64) -> I64:
    """Integer fit of pairs: score (in 1 / TOP) plus the bonus of the choice rank
    (0: not chosen)."""
    return q // QUANTUM + CHOICE_UNITS[rank]


def levels(n: int, m: int, arcs: int, rotations: int, table_size: int) -> tuple[I64, I64]:
    """(mentee_bonus, mentor_bonus): the value of a mentee's k-th meeting (index k,
    1..R; index 0 unused) and of a mentor's k-th seat (1..R x table_size).

    A mentor's k-th seat is worth ``step * (S - k)``, at most ``SPREAD``. A mentee's
    k-th meeting is worth ``A * (R + 1 - k)`` where ``A`` exceeds the largest total
    of fits and mentor bonuses that any schedule can have: any gain in balance (the
    sum of a strictly concave function of each mentee's count: the most balanced
    counts, also the most meetings, by Fujishige's lexicographically optimal bases of
    a polymatroid) outweighs every loss of fit.
    """
    seats = rotations * table_size
    step = max(1, SPREAD // max(seats - 1, 1))
    mentor = step * (seats - np.arange(seats + 1, dtype=np.int64))
    mentor[0] = 0
    most = min(n * rotations, m * seats, arcs)
    a = most * (FIT_MAX + int(mentor[1] if seats else 0)) + 1
    mentee = a * (rotations + 1 - np.arange(rotations + 1, dtype=np.int64))
    mentee[0] = 0
    return mentee, mentor


@dataclass(frozen=True)
class Selection:
    """The pairs that meet (indices into the arcs) and the objective value."""

    chosen: I64
    objective: int


def objective(n: int, m: int, ai: I64, aj: I64, fit: I64, bonus: tuple[I64, I64]) -> int:
    """The selection objective of the meetings ``(ai, aj)`` with fits ``fit``: each
    mentee's and mentor's bonuses for their counts, plus the total fit."""
    mentee, mentor = bonus
    deg_e = np.bincount(ai, minlength=n)
    deg_m = np.bincount(aj, minlength=m)
    cum_e = np.cumsum(mentee)
    cum_m = np.cumsum(mentor)
    return int(cum_e[deg_e].sum() + cum_m[deg_m].sum() + fit.sum())


def select(
    enc: Encoded,
    arcs: tuple[I64, I64, I64],
    locked: I64,
    rotations: int,
    table_size: int,
) -> Selection:
    """The maximum-objective set of meetings over ``arcs`` (mentee, mentor, fit), the
    arcs at the indices ``locked`` always in (each mentee at most R meetings, each
    mentor at most R x table_size, each pair once)."""
    ai, aj, fit = arcs
    n, m = enc.n, enc.m
    seats = rotations * table_size
    bonus = levels(n, m, len(ai), rotations, table_size)
    mentee, mentor = bonus
    is_locked = np.zeros(len(ai), dtype=bool)
    is_locked[locked] = True
    have_e = np.bincount(ai[locked], minlength=n)
    have_m = np.bincount(aj[locked], minlength=m)
    free = np.flatnonzero(~is_locked)
    # Arcs in the seed's order: which of several equally good selections is returned.
    free = free[np.lexsort((enc.tb_m[aj[free]], enc.tb_e[ai[free]]))]
    src, snk = n + m, n + m + 1
    # k-th meeting arcs of every mentee (k from have + 1 to R), of every mentor.
    e_node = np.repeat(np.arange(n, dtype=np.int64), rotations - have_e)
    e_k = np.concatenate([np.arange(h + 1, rotations + 1) for h in have_e.tolist()] or [e_node])
    m_node = np.repeat(np.arange(m, dtype=np.int64), seats - have_m)
    m_k = np.concatenate([np.arange(h + 1, seats + 1) for h in have_m.tolist()] or [m_node])
    supply = len(e_node)
    tails = np.concatenate([np.full(len(e_node), src), ai[free], n + m_node, [src]])
    heads = np.concatenate([e_node, n + aj[free], np.full(len(m_node), snk), [snk]])
    caps = np.ones(len(tails), dtype=np.int64)
    caps[-1] = supply
    costs = np.concatenate(
        [-mentee[e_k.astype(np.int64)], -fit[free], -mentor[m_k.astype(np.int64)], [0]]
    ).astype(np.int64)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64), heads.astype(np.int64), caps, costs
    )
    smcf.set_nodes_supplies(np.array([src, snk]), np.array([supply, -supply]))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise MatchingInternalError(f"min-cost flow failed with status {status}")
    start = len(e_node)
    used = smcf.flows(np.arange(start, start + len(free))) > 0
    chosen = np.sort(np.concatenate([np.asarray(locked, dtype=np.int64), free[used]]))
    return Selection(chosen, objective(n, m, ai[chosen], aj[chosen], fit[chosen], bonus))

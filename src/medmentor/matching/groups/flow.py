"""Mentoring groups: the starting assignment, a min-cost flow over candidate pairs.

``flow_assign`` solves source -> mentee -> mentor -> sink (each mentee one unit, an
"unplaced" arc from every mentee to the sink) with three lexicographic goals folded
into one integer cost per arc: first fill every open mentor's first ``tier`` seats
(the group minimum: a group below it is dissolved anyway), then place as many
mentees as possible, then the largest total score (see ``LEVEL``). The institution
cap is part of the network (one node per mentor and institution); mentee-mentee
exclusions are not (they are not a flow constraint) and are left to the repair.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from medmentor.matching.exceptions import MatchingInternalError
from medmentor.matching.features import I64, SCALE

# Scores enter the flow in steps of 1 / TOP; one more mentee placed is worth LEVEL
# best scores, one more seat of a group's minimum filled LEVEL times that. Strictly
# lexicographic levels (each above every possible total below) need costs near 2^60
# at 20,000 mentees and made the cost-scaling solver four times slower; the repair
# that follows places and fills what these weights leave, so near-lexicographic
# suffices.
TOP = 1000
LEVEL = 16


def _levels() -> tuple[int, int, int]:
    """(score quantum, placement bonus, tier bonus)."""
    place = TOP * LEVEL + 1
    return SCALE // TOP, place, (place + TOP) * LEVEL + 1


def flow_assign(
    n: int,
    free: I64,
    arcs: tuple[I64, I64, I64],
    room: I64,
    tier: I64,
    inst: I64,
    cap: int,
) -> I64:
    """Mentor of each mentee (-1: none) for the mentees ``free`` over ``arcs`` (mentee,
    mentor, integer score); mentor j takes at most ``room[j]`` mentees, of which the
    first ``tier[j]`` weigh most, and at most ``cap`` of one institution (``inst``:
    each mentee's institution code, -1 for none): arcs of mentees with an institution
    run through one node per (mentor, institution) whose outflow is capped. Arcs to
    mentors without room are ignored.
    """
    ai, aj, aq = arcs
    m = len(room)
    at = np.full(n, -1, dtype=np.int64)
    is_free = np.zeros(n, dtype=bool)
    is_free[free] = True
    keep = is_free[ai] & (room[aj] > 0)
    ai, aj, aq = ai[keep], aj[keep], aq[keep]
    if not len(ai):
        return at
    src, snk = n + m, n + m + 1
    # Institution nodes: one per (mentor, institution) met on an arc, after the sink.
    via = inst[ai] >= 0
    if cap >= int(room.max()):
        via[:] = False
    pair_key = aj[via] * (int(inst.max()) + 1) + inst[ai[via]]
    keys, node_of = np.unique(pair_key, return_inverse=True)
    n_inst_nodes = len(keys)
    head = n + aj
    head[via] = snk + 1 + node_of
    inst_mentor = keys // (int(inst.max()) + 1)
    quantum, place, tier_bonus = _levels()
    mentors = np.arange(m, dtype=np.int64)
    has_tier = tier > 0
    tails = np.concatenate(
        [
            np.full(len(free), src),
            free,
            ai,
            n + mentors,
            n + mentors[has_tier],
            snk + 1 + np.arange(n_inst_nodes, dtype=np.int64),
        ]
    )
    heads = np.concatenate(
        [
            free,
            np.full(len(free), snk),
            head,
            np.full(m, snk),
            np.full(int(has_tier.sum()), snk),
            n + inst_mentor,
        ]
    )
    caps = np.concatenate(
        [
            np.ones(2 * len(free) + len(ai), dtype=np.int64),
            room - np.minimum(tier, room),
            np.minimum(tier, room)[has_tier],
            np.full(n_inst_nodes, cap, dtype=np.int64),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(2 * len(free), dtype=np.int64),
            -(aq // quantum + place),
            np.zeros(m, dtype=np.int64),
            np.full(int(has_tier.sum()), -tier_bonus, dtype=np.int64),
            np.zeros(n_inst_nodes, dtype=np.int64),
        ]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_nodes_supplies(np.array([src, snk]), np.array([len(free), -len(free)]))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise MatchingInternalError(f"min-cost flow failed with status {status}")
    start = 2 * len(free)
    used = smcf.flows(np.arange(start, start + len(ai))) > 0
    at[ai[used]] = aj[used]
    return at


def open_mentors(
    at: I64,
    aq_of_pair: I64,
    seats: I64,
    size_min: int,
    forced: I64,
    tie: I64,
) -> I64:
    """Which mentors lead a group (a 0/1 array), from an assignment without minimums.

    The mentors the unconstrained optimum uses most come first (then by the scores
    they collect, then by the seed's tie-break), at most as many as the placed
    mentees can fill to ``size_min``; then more, in the same order, while the seats
    of the chosen do not hold everyone placed. ``forced`` mentors (locked pairs)
    always lead. Mentors with fewer seats than ``size_min`` never do.
    """
    m = len(seats)
    placed = at >= 0
    load = np.bincount(at[placed], minlength=m)
    gain = np.bincount(at[placed], weights=aq_of_pair[placed], minlength=m)
    is_open = np.zeros(m, dtype=bool)
    is_open[forced] = True
    usable = (seats >= size_min) & ~is_open
    order = np.lexsort((tie, -gain, -load))
    order = order[usable[order]]
    total = int(placed.sum())
    most = max(0, total // size_min - int(is_open.sum()))
    first = order[load[order] > 0][:most]
    is_open[first] = True
    rest = order[~is_open[order]]
    need = total - int(seats[is_open].sum())
    if need > 0 and len(rest):
        upto = int(np.searchsorted(np.cumsum(seats[rest]), need)) + 1
        is_open[rest[:upto]] = True
    return is_open.astype(np.int64)

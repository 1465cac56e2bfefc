"""Mentoring groups: the starting assignment, a min-cost flow over candidate pairs.

``flow_assign`` solves source -> mentee -> mentor -> sink (each mentee one unit, an
"unplaced" arc from every mentee to the sink) with three lexicographic goals folded
into one integer cost per arc: first fill every open mentor's first ``tier`` seats
(the group minimum: a group below it is dissolved anyway), then place as many
mentees as possible, then the largest total score. Scores are quantised so that the
three levels fit in 64-bit costs (OR-Tools scales costs by the node count).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from medmentor.matching.exceptions import MatchingInternalError
from medmentor.matching.features import I64, SCALE

COST_ROOM = 4 * 10**18  # what cost * nodes may reach in OR-Tools' cost scaling


def _levels(n: int, nodes: int) -> tuple[int, int, int]:
    """(score quantum, placement bonus, tier bonus): each level outweighs every
    possible total of the levels below it."""
    top = max(1, min(SCALE, COST_ROOM // (2 * (n + 1) ** 2 * max(nodes, 1))))
    place = top * (n + 1) + 1
    tier = (place + top) * (n + 1) + 1
    return max(1, SCALE // top), place, tier


def flow_assign(
    n: int,
    free: I64,
    ai: I64,
    aj: I64,
    aq: I64,
    room: I64,
    tier: I64,
) -> I64:
    """Mentor of each mentee (-1: none) for the mentees ``free`` over arcs (ai, aj, aq)
    (mentee, mentor, integer score); mentor j takes at most ``room[j]`` mentees, of
    which the first ``tier[j]`` weigh most. Arcs to mentors without room are ignored.
    """
    m = len(room)
    at = np.full(n, -1, dtype=np.int64)
    is_free = np.zeros(n, dtype=bool)
    is_free[free] = True
    keep = is_free[ai] & (room[aj] > 0)
    ai, aj, aq = ai[keep], aj[keep], aq[keep]
    if not len(ai):
        return at
    src, snk = n + m, n + m + 1
    quantum, place, tier_bonus = _levels(n, n + m + 2)
    mentors = np.arange(m, dtype=np.int64)
    has_tier = tier > 0
    tails = np.concatenate(
        [np.full(len(free), src), free, ai, n + mentors, n + mentors[has_tier]]
    )
    heads = np.concatenate(
        [free, np.full(len(free), snk), n + aj, np.full(m, snk), np.full(int(has_tier.sum()), snk)]
    )
    caps = np.concatenate(
        [
            np.ones(2 * len(free) + len(ai), dtype=np.int64),
            room - np.minimum(tier, room),
            np.minimum(tier, room)[has_tier],
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(2 * len(free), dtype=np.int64),
            -(aq // quantum + place),
            np.zeros(m, dtype=np.int64),
            np.full(int(has_tier.sum()), -tier_bonus, dtype=np.int64),
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

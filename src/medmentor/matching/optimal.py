"""Maximum total score within capacities: min-cost flow plus an optimality proof.

1. Candidate arcs: each mentee's best mentors by score, plus its best by relative fit
   (score minus the mentor's mean score), so popular mentors do not crowd every list.
2. OR-Tools' ``SimpleMinCostFlow`` on source -> mentee -> mentor -> sink, with an
   "unmatched" arc from every mentee to the sink. An arc's weight is
   ``score * (n + 1) + 1``: integers, so sums are exact and runs repeatable, and the
   ``+ 1`` matches as many mentees as possible among the score-maximal assignments
   without ever trading score for count.
3. A dual solution (u per mentee, v per mentor) of the assignment LP is recovered
   from the flow by a longest-path fixpoint over the arcs; its objective must equal
   the flow's total (a certificate of optimality on the candidate graph).
4. Every eligible pair left out of the graph is checked (see ``certificate``: only
   mentors cheaper than the mentee's threshold are read): if any has
   ``weight > u_i + v_j`` it could improve the total, so it is added, with the pairs
   within a quarter of the largest improvement (prices move when the flow is solved
   again, and those pairs would be found next), and the flow re-solved. When none
   remains, (u, v) is feasible for the full pair set and the total equals the dense
   optimum (LP duality; the constraint matrix is totally unimodular, so the LP optimum
   is integral).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from medmentor.matching.candidates import group_size, group_top, padded
from medmentor.matching.certificate import improving_pairs
from medmentor.matching.encode import Encoded
from medmentor.matching.exceptions import MatchingInternalError
from medmentor.matching.features import I64
from medmentor.matching.parallel import map_blocks
from medmentor.matching.scoring import block_rows, raw_block

K_SCORE = 12
K_FIT = 12
MAX_NEW_PER_ROW = 8
EMPTY: I64 = np.zeros(0, dtype=np.int64)
LOOKAHEAD = 4  # pairs within slack / LOOKAHEAD of improving are added with those improving
TRIAL_ROUNDS = 200  # price rounds before a restricted re-solve is given up


def _flow(enc: Encoded, ai: I64, aj: I64, aq: I64) -> I64:
    """Mentor of each mentee (or -1) in a maximum-weight flow over arcs (ai, aj, aq)."""
    n, m = enc.n, enc.m
    src, snk = n + m, n + m + 1
    mentees = np.arange(n, dtype=np.int64)
    mentors = np.arange(m, dtype=np.int64)
    tails = np.concatenate([np.full(n, src), mentees, ai, n + mentors])
    heads = np.concatenate([mentees, np.full(n, snk), n + aj, np.full(m, snk)])
    caps = np.concatenate([np.ones(2 * n + len(ai), dtype=np.int64), enc.capacity])
    costs = np.concatenate([np.zeros(2 * n, dtype=np.int64), -aq, np.zeros(m, dtype=np.int64)])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_nodes_supplies(np.array([src, snk]), np.array([n, -n]))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise MatchingInternalError(f"min-cost flow failed with status {status}")
    flows = smcf.flows(np.arange(2 * n, 2 * n + len(ai)))
    match = np.full(n, -1, dtype=np.int64)
    used = flows > 0
    match[ai[used]] = aj[used]
    return match


def _duals(
    enc: Encoded, ai: I64, aj: I64, aq: I64, match: I64, max_rounds: int | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Smallest mentor prices v and mentee values u with u_i + v_j >= q on every arc.

    ``v_j`` must reach every unmatched mentee's score with j, and ``v_mentor(i) - v_j``
    may not exceed what i loses by moving to j; iterate to the least fixpoint. Raises
    :class:`MatchingInternalError` when ``match`` is not optimal over the arcs (no
    fixpoint within ``max_rounds``, default ``n + m + 2``, or a duality gap).
    """
    n, m = enc.n, enc.m
    q_own = np.zeros(n, dtype=np.int64)
    is_own = match[ai] == aj
    q_own[ai[is_own]] = aq[is_own]
    matched = match >= 0
    v = np.zeros(m, dtype=np.int64)
    free_arc = ~matched[ai]
    np.maximum.at(v, aj[free_arc], aq[free_arc])
    moving = matched[ai] & ~is_own
    mi, mj, mq = ai[moving], aj[moving], aq[moving]
    order = np.argsort(mj, kind="stable")
    mi, mj, mq = mi[order], mj[order], mq[order]
    own_j = match[mi]
    gain = mq - q_own[mi]
    heads, first = np.unique(mj, return_index=True)
    for _ in range(n + m + 2 if max_rounds is None else max_rounds):
        if not len(mi):
            break
        pushed = np.maximum.reduceat(v[own_j] + gain, first)
        new = np.maximum(v[heads], pushed)
        if np.array_equal(new, v[heads]):
            break
        v[heads] = new
    else:
        raise MatchingInternalError("dual prices did not converge (flow not optimal)")
    u = np.where(matched, q_own - v[np.maximum(match, 0)], 0)
    load = np.bincount(match[matched], minlength=m)
    if (u < 0).any() or (v[load < enc.capacity] != 0).any():
        raise MatchingInternalError("no dual certificate for the flow")
    primal = int(q_own[matched].sum())
    dual = int(u.sum() + (enc.capacity * v).sum())
    if primal != dual:
        raise MatchingInternalError(f"duality gap {dual - primal}")
    return u, v


def _row_blocks(enc: Encoded) -> list[I64]:
    step = block_rows(enc)
    return [np.arange(a, min(enc.n, a + step), dtype=np.int64) for a in range(0, enc.n, step)]


def _mean_scores(enc: Encoded) -> npt.NDArray[np.float64]:
    """Each mentor's mean score over a sample of mentees (eligible pairs), kernel order."""
    rng = np.random.default_rng(7)
    rows = np.sort(rng.choice(enc.n, size=min(enc.n, 1024), replace=False)).astype(np.int64)
    s = raw_block(enc, rows).astype(np.float64)
    ok = s >= 0
    total = np.where(ok, s, 0).sum(axis=0)
    return np.asarray(total / np.maximum(ok.sum(axis=0), 1))


def _candidate_arcs(enc: Encoded) -> tuple[I64, I64, I64, I64]:
    """Each mentee's best mentors by score and by fit (score minus the mentor's mean),
    so that popular mentors do not crowd every list; one pass over the scores. Also
    each mentee's K_SCORE-th best score (-1: every eligible mentor is an arc)."""
    kern = enc.kernel
    w = group_size(enc.m, max(K_SCORE, K_FIT))
    mean = _mean_scores(enc)
    width = -(-kern.m // w) * w
    shift = np.zeros(width, dtype=np.float32)
    shift[: kern.m] = (mean.max(initial=0) - mean).astype(np.float32)

    def arcs(rows: I64) -> tuple[I64, I64, I64, I64]:
        s = padded(enc, rows, w)
        r1, p1, kth = group_top(s, K_SCORE, w)
        keys = r1 * width + p1
        if K_FIT:
            fit = s + shift  # non-negative where eligible
            np.copyto(fit, np.float32(-1.0), where=s < 0)
            r2, p2, _ = group_top(fit, K_FIT, w)
            keys = np.concatenate([keys, r2 * width + p2])
        keys = np.unique(keys)
        q = s.reshape(-1)[keys].astype(np.int64)
        return rows[keys // width], kern.perm[keys % width], q, np.maximum(kth, -1).astype(np.int64)

    found = map_blocks(arcs, _row_blocks(enc))
    return (
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
        np.concatenate([f[3] for f in found]),
    )


def _resolve(
    enc: Encoded, ai: I64, aj: I64, aq: I64, match: I64, u: I64, v: I64, slack: int
) -> tuple[I64, I64, I64]:
    """Solve again after improving arcs were added, first on the nearly tight arcs.

    ``match`` is optimal over the old arcs with prices (u, v); the new arcs beat
    u_i + v_j by at most ``slack``. An improving exchange mostly runs over arcs whose
    reduced cost ``u_i + v_j - q`` is small, so the flow is solved on the matched arcs
    and those within ``2 * slack`` only (a fifth of the arcs, about half the time).
    The dual certificate over *all* arcs then decides: if it fails, the restricted
    solution is not optimal and the full flow is solved. Either way the result is
    proved optimal over every arc, so this only changes the time taken.
    """
    own = match[ai] == aj
    near = own | (u[ai] + v[aj] - aq <= 2 * slack)
    if near.sum() < len(ai) // 2:
        trial = _flow(enc, ai[near], aj[near], aq[near])
        try:
            tu, tv = _duals(enc, ai, aj, aq, trial, max_rounds=TRIAL_ROUNDS)
        except MatchingInternalError:
            pass
        else:
            return trial, tu, tv
    full = _flow(enc, ai, aj, aq)
    fu, fv = _duals(enc, ai, aj, aq, full)
    return full, fu, fv


def max_score_assignment(enc: Encoded) -> tuple[I64, I64, int]:
    """Return (mentor of each mentee or -1, score of each pair or -1, re-solves)."""
    n = enc.n
    if n == 0 or enc.m == 0:
        return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64), 0
    ai, aj, aq, kth = _candidate_arcs(enc)
    aq = aq * (n + 1) + 1
    rounds = 0
    match = _flow(enc, ai, aj, aq)
    u, v = _duals(enc, ai, aj, aq, match)
    while True:
        found = improving_pairs(enc, u, v, kth, n + 1, MAX_NEW_PER_ROW)
        if not len(found):
            break
        rounds += 1
        slack = int(found.excess.max())
        # The prices move when the flow is solved again, and pairs just short of them
        # may improve then: take those within a share of the largest gain too, so that
        # one re-solve mostly suffices (the check then decides, as always).
        near = found
        if slack // LOOKAHEAD:
            arcs = np.sort(ai * enc.m + aj)
            margin = slack // LOOKAHEAD
            near = improving_pairs(enc, u, v, kth, n + 1, MAX_NEW_PER_ROW, margin, arcs)
        ai = np.concatenate([ai, near.i])
        aj = np.concatenate([aj, near.j])
        aq = np.concatenate([aq, near.w])
        match, u, v = _resolve(enc, ai, aj, aq, match, u, v, slack)
    q = np.full(n, -1, dtype=np.int64)
    own = match[ai] == aj
    q[ai[own]] = aq[own] // (n + 1)
    return match, q, rounds

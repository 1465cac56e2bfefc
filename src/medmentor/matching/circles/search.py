"""Peer circles: construction and local search on one dense sub-problem."""

from __future__ import annotations

import numpy as np

from medmentor.matching.circles.model import (
    BIG,
    F64,
    I64,
    MAX_PASSES,
    RETRIES,
    ROUNDS,
    SMALL,
    DenseProblem,
)
from medmentor.matching.circles.repair import place_leftovers


class _State:
    """Assignment of a chunk: ``circ[p]`` in 0..K-1, or K (the pool of the unplaced)."""

    def __init__(self, d: DenseProblem, K: int, circ: I64) -> None:
        self.d, self.K = d, K
        self.circ = circ.copy()
        self.refresh()

    def refresh(self) -> None:
        d, K, n = self.d, self.K, len(self.circ)
        X = np.zeros((n, K + 1), dtype=np.float64)
        X[np.arange(n), self.circ] = 1.0
        self.G: F64 = d.A.astype(np.float64) @ X[:, :K]
        self.size: I64 = np.bincount(self.circ, minlength=K + 1).astype(np.int64)
        self.icount: I64 = np.zeros((K + 1, max(d.n_inst, 1)), dtype=np.int64)
        has = d.inst >= 0
        np.add.at(self.icount, (self.circ[has], d.inst[has]), 1)

    def total(self) -> float:
        placed = self.circ < self.K
        return float(self.G[placed, self.circ[placed]].sum() / 2)

    def move(self, p: I64, a: I64, b: I64) -> None:
        """Move people ``p`` from circles ``a`` to ``b`` (each real circle once)."""
        A, K = self.d.A, self.K
        ra, rb = a < K, b < K
        if ra.any():
            self.G[:, a[ra]] -= A[:, p[ra]]
        if rb.any():
            self.G[:, b[rb]] += A[:, p[rb]]
        self.circ[p] = b
        np.add.at(self.size, a, -1)
        np.add.at(self.size, b, 1)
        ins = self.d.inst[p]
        has = ins >= 0
        np.add.at(self.icount, (a[has], ins[has]), -1)
        np.add.at(self.icount, (b[has], ins[has]), 1)


def _members(circ: I64, K: int, width: int) -> I64:
    """K x width table of each real circle's members, -1 padded."""
    order = np.argsort(circ, kind="stable")
    cs = circ[order]
    keep = cs < K
    order, cs = order[keep], cs[keep]
    start = np.searchsorted(cs, np.arange(K))
    rank = np.arange(len(cs)) - start[cs]
    M = np.full((K, width), -1, dtype=np.int64)
    ok = rank < width
    M[cs[ok], rank[ok]] = order[ok]
    return M


def _descend(s: _State, top: int) -> None:
    """Best-improvement local search with batches of circle-disjoint moves and swaps."""
    d, K = s.d, s.K
    n = len(s.circ)
    A = d.A
    ar = np.arange(n)
    half = -BIG / 2
    for _ in range(MAX_PASSES):
        circ = s.circ
        real = circ < K
        own = np.where(real, s.G[ar, np.minimum(circ, K - 1)], 0.0)
        own[~real] = 0.0
        ins = d.inst
        has = ins >= 0
        # inst_ok[p, c]: p may join c under the institution cap (ignoring who leaves).
        inst_room = np.ones((n, K), dtype=bool)
        if has.any():
            inst_room[has] = (s.icount[:K, ins[has]] < d.cap).T
        # -- moves --
        gain = s.G - own[:, None]
        open_ = (s.size[:K] < d.size_max) & (s.size[:K] > 0)  # never into an empty one
        can = open_[None, :] & inst_room & (half < s.G)
        can[ar[real], circ[real]] = False
        leave_ok = ~real | (s.size[np.minimum(circ, K)] > d.size_min)
        can &= leave_ok[:, None]
        gm = np.where(can, gain, -np.inf)
        bm = np.argmax(gm, axis=1)
        dm = gm[ar, bm]
        # -- swaps: each person against the members of its `top` most attractive circles --
        t = min(top, K)
        cand = np.where(half < s.G, gain, -np.inf)
        cand[ar[real], circ[real]] = -np.inf
        if t < K:
            tops = np.argpartition(-cand, t - 1, axis=1)[:, :t]
        else:
            tops = np.broadcast_to(np.arange(K), (n, K))
        M = _members(circ, K, d.size_max)
        Q = M[tops]  # n x t x width
        valid = (Q >= 0) & np.isfinite(np.take_along_axis(cand, tops, axis=1))[:, :, None]
        Qc = np.where(valid, Q, 0)
        B = np.broadcast_to(tops[:, :, None], Q.shape)
        Apq = A[ar[:, None, None], Qc].astype(np.float64)
        a_of = np.broadcast_to(circ[:, None, None], Q.shape)
        a_real = a_of < K
        gq_a = np.where(a_real, s.G[Qc, np.minimum(a_of, K - 1)], 0.0)
        gq_b = s.G[Qc, B]
        gp_b = s.G[ar[:, None, None], B]
        delta = (gp_b - Apq) - own[:, None, None] + np.where(a_real, gq_a - Apq, 0.0) - gq_b
        # q must fit into a: compatible with a's other members, institution cap.
        valid &= ~a_real | (gq_a - Apq > half)
        valid &= circ[Qc] != circ[:, None, None]
        if has.any():
            ip = np.broadcast_to(ins[:, None, None], Q.shape)
            iq = ins[Qc]
            same = ip == iq
            room_b = (ip < 0) | (s.icount[B, np.maximum(ip, 0)] < d.cap)
            room_a = ~a_real | (iq < 0) | (s.icount[np.minimum(a_of, K), np.maximum(iq, 0)] < d.cap)
            valid &= same | (room_b & room_a)
        delta = np.where(valid, delta, -np.inf)
        flat = delta.reshape(n, -1)
        bs = np.argmax(flat, axis=1)
        ds = flat[ar, bs]
        qs = Qc.reshape(n, -1)[ar, bs]
        # -- pick a batch of improving, circle-disjoint changes, best first --
        kinds = np.concatenate([np.zeros(n, np.int64), np.ones(n, np.int64)])
        deltas = np.concatenate([dm, ds])
        who = np.concatenate([ar, ar])
        good = np.flatnonzero(deltas > 0.5)  # integer units: strictly improving
        if len(good) == 0:
            return
        good = good[np.lexsort((good, -deltas[good]))]
        used_c = np.zeros(K + 1, dtype=bool)
        used_p = np.zeros(n, dtype=bool)
        mp: list[int] = []
        ma: list[int] = []
        mb: list[int] = []
        sp: list[tuple[int, int, int, int]] = []
        for g in good.tolist():
            p = int(who[g])
            a = int(circ[p])
            if kinds[g] == 0:
                b = int(bm[p])
                if used_p[p] or (a < K and used_c[a]) or used_c[b]:
                    continue
                used_p[p] = True
                used_c[b] = True
                if a < K:
                    used_c[a] = True
                mp.append(p)
                ma.append(a)
                mb.append(b)
            else:
                q = int(qs[p])
                b = int(circ[q])
                if used_p[p] or used_p[q] or (a < K and used_c[a]) or used_c[b]:
                    continue
                used_p[p] = used_p[q] = True
                used_c[b] = True
                if a < K:
                    used_c[a] = True
                sp.append((p, a, q, b))
        if mp:
            s.move(np.array(mp), np.array(ma), np.array(mb))
        if sp:
            arr = np.array(sp, dtype=np.int64)
            # Two steps so that each column update sees one person per circle.
            s.move(arr[:, 0], arr[:, 1], arr[:, 3])
            s.move(arr[:, 2], arr[:, 3], arr[:, 1])


def _plan(m: int, size_min: int, size_max: int) -> tuple[int, int]:
    """(circles, people placed) for ``m`` placeable people: the fewest circles that fit
    everyone, else as many people as fit."""
    if m < size_min:
        return 0, 0
    k = -(-m // size_max)
    if k * size_min <= m:
        return k, m
    k = m // size_min
    return k, k * size_max


def _construct(
    d: DenseProblem,
    rng: np.random.Generator,
    random: bool,
    first: I64 | None = None,
    extra: int = 0,
) -> tuple[int, I64]:
    """Plan the circles and place people greedily; returns (K, circ) with K = pool."""
    n = len(d.A)
    compat = (d.A > -BIG / 2).sum(axis=1) - 1  # compatible others (diagonal counted)
    m = int((compat >= d.size_min - 1).sum())
    K, _ = _plan(m, d.size_min, d.size_max)
    K = min(K + extra, m // d.size_min) if K else 0
    circ = np.full(n, K, dtype=np.int64)
    if K == 0:
        return 0, circ
    # Circles are open up to the maximum (the plan leaves room for everyone); circles
    # left below the minimum are repaired below.
    targets = np.full(K, d.size_max, dtype=np.int64)
    tie = rng.random(n)
    # Hardest to place first (random order for the random baseline).
    order = rng.permutation(n) if random else np.lexsort((tie, compat))
    if first is not None and len(first):
        order = np.concatenate([first, order[~np.isin(order, first)]])
    G = np.zeros((n, K), dtype=np.float64)
    size = np.zeros(K, dtype=np.int64)
    icount = np.zeros((K, max(d.n_inst, 1)), dtype=np.int64)
    A = d.A
    half = -BIG / 2

    def put(p: int, c: int) -> None:
        circ[p] = c
        G[:, c] += A[:, p]
        size[c] += 1
        if d.inst[p] >= 0:
            icount[c, d.inst[p]] += 1

    if not random:
        # Farthest-point seeds: each next seed is the hardest among those least like
        # the seeds so far.
        closest = np.full(n, -np.inf)
        free = compat >= d.size_min - 1  # never seed with someone who cannot be placed
        for c in range(K):
            if c == 0:
                p = int(order[free[order]][0])
            else:
                score = np.where(free, closest, np.inf)
                p = int(np.lexsort((tie, compat, score))[0])
            put(p, c)
            free[p] = False
            closest = np.maximum(closest, A[:, p])
    for p in order.tolist():
        if circ[p] < K:
            continue
        ok = (size < targets) & (G[p] > half)
        if d.inst[p] >= 0:
            ok &= icount[:, d.inst[p]] < d.cap
        if not ok.any():
            continue
        if random:
            c = int(np.flatnonzero(ok)[0])
        else:
            mean = np.where(size > 0, G[p] / np.maximum(size, 1), 0.0)
            c = int(np.argmax(np.where(ok, mean, -np.inf)))
        put(p, c)
    # Repair: the pooled join any compatible circle with room; circles left below the
    # minimum are dissolved into the pool, and again.
    for _ in range(n + 1):
        changed = False
        for p in np.flatnonzero(circ == K).tolist():
            ok = (size < d.size_max) & (G[p] > half) & (size > 0)
            if d.inst[p] >= 0:
                ok &= icount[:, d.inst[p]] < d.cap
            if ok.any():
                put(p, int(np.argmax(np.where(ok, G[p], -np.inf))))
                changed = True
        small = np.flatnonzero((size > 0) & (size < d.size_min))
        if len(small) == 0:
            break
        c = int(small[0])
        # First pull people from circles above the minimum, else dissolve.
        while size[c] < d.size_min:
            src = np.minimum(circ, K - 1)
            ok = (circ < K) & (size[src] > d.size_min) & (G[:, c] > half) & (circ != c)
            if d.cap <= d.size_max:
                has = d.inst >= 0
                ok[has] &= icount[c, d.inst[has]] < d.cap
            if not ok.any():
                break
            q = int(np.argmax(np.where(ok, G[:, c] - G[np.arange(n), src], -np.inf)))
            a = int(circ[q])
            G[:, a] -= A[:, q]
            size[a] -= 1
            if d.inst[q] >= 0:
                icount[a, d.inst[q]] -= 1
            put(q, c)
        if size[c] >= d.size_min:
            continue
        for p in np.flatnonzero(circ == c).tolist():
            circ[p] = K
            G[:, c] -= A[:, p]
            size[c] -= 1
            if d.inst[p] >= 0:
                icount[c, d.inst[p]] -= 1
        changed = True
        if not changed:
            break
    return K, circ


def _perturb(s: _State, rng: np.random.Generator, count: int) -> None:
    """Random rule-respecting swaps between circles (and with the pool)."""
    d, K = s.d, s.K
    n = len(s.circ)
    for _ in range(count):
        p, q = (int(x) for x in rng.integers(0, n, size=2))
        a, b = int(s.circ[p]), int(s.circ[q])
        if a == b:
            continue
        if b < K and s.G[p, b] - d.A[p, q] < -BIG / 2:
            continue
        if a < K and s.G[q, a] - d.A[q, p] < -BIG / 2:
            continue
        ip, iq = int(d.inst[p]), int(d.inst[q])
        if ip != iq:
            if b < K and ip >= 0 and s.icount[b, ip] >= d.cap:
                continue
            if a < K and iq >= 0 and s.icount[a, iq] >= d.cap:
                continue
        s.move(np.array([p]), np.array([a]), np.array([b]))
        s.move(np.array([q]), np.array([b]), np.array([a]))


def solve_dense(d: DenseProblem, rng: np.random.Generator, method: str) -> tuple[int, I64]:
    K, circ = _construct(d, rng, random=method == "random")
    if K == 0 or method == "random":
        return K, circ
    # People the construction could not place go first next time, and more circles are
    # tried (language groups may need their own): a few tries, the most placed kept.
    placed = int((circ < K).sum())
    first = np.zeros(0, dtype=np.int64)
    for attempt in range(RETRIES):
        failed = np.flatnonzero(circ == K)
        if len(failed) == 0:
            break
        first = np.concatenate([failed, first[~np.isin(first, failed)]])
        for extra in (0, 1, 2) if attempt == 0 else (attempt,):
            K2, circ2 = _construct(d, rng, False, first, extra)
            if int((circ2 < K2).sum()) > placed:
                K, circ, placed = K2, circ2, int((circ2 < K2).sum())
    if (circ == K).any():
        K, circ = place_leftovers(d, K, circ)
    if K == 0 or method != "search":
        return K, circ
    n = len(circ)
    s = _State(d, K, circ)
    top = K if n <= SMALL else 8
    _descend(s, top)
    if n <= SMALL:
        best, best_circ = s.total(), s.circ.copy()
        for _ in range(ROUNDS):
            _perturb(s, rng, max(2, n // 8))
            _descend(s, top)
            got = s.total()
            if got > best + 0.5:
                best, best_circ = got, s.circ.copy()
            else:
                s.circ = best_circ.copy()
                s.refresh()
        s.circ = best_circ
    return K, s.circ

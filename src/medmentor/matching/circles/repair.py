"""Peer circles: place the people a construction left over (chains and new circles).

The construction plans one number of circles for a whole chunk; when languages (or
exclusions, institution caps) split people into groups, a group can be left with too
few seats although a grouping that places everyone exists. Three repairs, repeated while
they place someone:

* **chain**: an unplaced person takes the seat of a member of a full circle, who
  moves to another circle with room (both must fit under every hard rule);
* **new circle**: an unplaced person seeds a new circle, other unplaced people who fit
  join it, and it is filled to the minimum with members pulled from circles above the
  minimum (least affinity lost first among those after whom it can still be
  completed), else with a member of a circle at the minimum whose seat a member of a
  circle above the minimum takes (a chain of two), else whose circle is dissolved
  into circles with room (so a bilingual person can leave a circle of their other
  language for the group short of seats); undone when it cannot reach the minimum;
* **eject**: an unplaced person takes a seat whose holder can join another circle or
  start a new one with other unplaced people (kept only when more people are placed).

Only the unplaced are looked at, so a chunk where everyone is placed costs nothing.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medmentor.matching.circles.model import BIG, F64, I64, DenseProblem

_HALF = -BIG / 2
SEEDS = 8  # unplaced people tried as the seed of a new circle, per round
EJECTS = 64  # seats an unplaced person tries to take (its holder re-placed), per round
LOOKAHEAD = 32  # people a new circle considers pulling first, per step
REFILLS = 64  # circles at the minimum a new circle tries to pull a member from, per step


class _Circles:
    """``lab[p]``: circle of ``p`` in 0..K-1, or -1 when unplaced."""

    def __init__(self, d: DenseProblem, K: int, circ: I64) -> None:
        self.d = d
        # Circles the construction left empty are dropped (labels made dense).
        used = np.unique(circ[circ < K])
        remap = np.full(K + 1, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        self.K = len(used)
        self.lab: I64 = remap[circ]

    def sizes(self) -> I64:
        placed = self.lab >= 0
        return np.bincount(self.lab[placed], minlength=self.K).astype(np.int64)

    def gains(self, p: int) -> F64:
        """Affinity of ``p`` with each circle (below ``_HALF``: a hard rule breaks)."""
        placed = self.lab >= 0
        w = self.d.A[p, placed].astype(np.float64)
        out: F64 = np.bincount(self.lab[placed], weights=w, minlength=self.K).astype(np.float64)
        return out

    def room_inst(self, p: int, leaving: int = -1) -> np.ndarray:
        """Circles where ``p``'s institution is below the cap (``leaving`` has left)."""
        d = self.d
        if d.inst[p] < 0 or d.cap > d.size_max:
            return np.ones(self.K, dtype=bool)
        same = (self.lab >= 0) & (d.inst == d.inst[p])
        if leaving >= 0:
            same[leaving] = False
        return np.bincount(self.lab[same], minlength=self.K) < d.cap


def _join(s: _Circles, p: int, size: I64) -> bool:
    g = s.gains(p)
    ok = (size < s.d.size_max) & (size > 0) & (g > _HALF) & s.room_inst(p)
    if not ok.any():
        return False
    s.lab[p] = int(np.argmax(np.where(ok, g, -np.inf)))
    return True


def _chain(s: _Circles, p: int, size: I64) -> bool:
    """``p`` replaces ``q`` in a full circle, ``q`` moves to a circle with room."""
    d = s.d
    g = s.gains(p)
    best: tuple[float, int, int] | None = None
    room = (size < d.size_max) & (size > 0)  # never into a dissolved circle
    if not room.any():
        return False
    # At most one member of the circle may conflict with p (the one who leaves).
    for c in np.flatnonzero((size >= d.size_max) & (g > -1.5 * BIG)).tolist():
        for q in np.flatnonzero(s.lab == c).tolist():
            if g[c] - d.A[p, q] <= _HALF or not s.room_inst(p, leaving=q)[c]:
                continue
            gq = s.gains(q)
            ok = room & (gq > _HALF) & s.room_inst(q)
            ok[c] = False
            if not ok.any():
                continue
            t = int(np.argmax(np.where(ok, gq, -np.inf)))
            value = float(g[c] - d.A[p, q] - (gq[c] - 0.0) + gq[t])
            if best is None or value > best[0]:
                best = (value, q, t)
        if best is not None:
            break  # the first full circle that admits a chain is enough
    if best is None:
        return False
    _, q, t = best
    s.lab[p] = s.lab[q]
    s.lab[q] = t
    return True


def _new_circle(s: _Circles, pool: list[int]) -> bool:
    """Open circle ``K`` around an unplaced person; fill it to the minimum."""
    d = s.d
    n = len(s.lab)
    K = s.K
    s.K = K + 1
    for seed in pool[:SEEDS]:
        saved = s.lab.copy()
        s.lab[seed] = K
        members = [seed]
        for p in pool:
            if (
                p != seed
                and len(members) < d.size_max
                and (d.A[p, members] > _HALF).all()
                and s.room_inst(p)[K]
            ):
                s.lab[p] = K
                members.append(p)
        while (size := s.sizes())[K] < d.size_min:
            placed = s.lab >= 0
            src = np.where(placed, s.lab, 0)
            now = np.flatnonzero(s.lab == K)
            fit = (d.A[:, now] > _HALF).all(axis=1)
            ok = placed & (s.lab != K) & (size[src] > d.size_min) & fit & _inst_ok(d, now)
            if not ok.any():
                # A member of a circle at the minimum, whose seat a member of a circle
                # above the minimum takes (a chain of two) or whose circle dissolves.
                if not _pull_with_refill(s, K, placed & (s.lab != K) & fit & _inst_ok(d, now)):
                    break
                continue
            to_new = d.A[:, now].astype(np.float64).sum(axis=1)
            lost = np.zeros(n)
            for c in np.unique(src[ok]).tolist():
                inside = s.lab == c
                lost[inside] = d.A[np.ix_(inside, inside)].astype(np.float64).sum(axis=1)
            s.lab[_pick(s, ok, to_new - lost, size, src, d.size_min - int(size[K]) - 1)] = K
        if s.sizes()[K] >= d.size_min:
            return True
        s.lab = saved
    s.K = K
    return False


def _pick(
    s: _Circles, ok: npt.NDArray[np.bool_], value: F64, size: I64, src: I64, need: int
) -> int:
    """The most valuable of ``ok`` to pull into the new circle after whom ``need`` more
    can still be pulled (people of ``ok`` compatible with them, at most each circle's
    seats above the minimum; the first ``LOOKAHEAD`` tried), else the most valuable."""
    cands = np.flatnonzero(ok)
    cands = cands[np.argsort(-value[cands], kind="stable")]
    if need <= 0:
        return int(cands[0])
    surplus = size - s.d.size_min
    for x in cands[:LOOKAHEAD].tolist():
        left = ok & (s.d.A[x] > _HALF)
        left[x] = False
        room = surplus.copy()
        room[src[x]] -= 1
        supply = np.minimum(np.bincount(src[left], minlength=len(size)), np.maximum(room, 0))
        if int(supply.sum()) >= need:
            return int(x)
    return int(cands[0])


def _inst_ok(d: DenseProblem, now: I64) -> npt.NDArray[np.bool_]:
    """Who may join the members ``now`` under the institution cap."""
    ok = np.ones(len(d.inst), dtype=bool)
    if d.cap <= d.size_max:
        mine = d.inst[now]
        for v in np.unique(mine[mine >= 0]).tolist():
            if int((mine == v).sum()) >= d.cap:
                ok &= d.inst != v
    return ok


def _pull_with_refill(s: _Circles, K: int, cand: npt.NDArray[np.bool_]) -> bool:
    """Move into circle ``K`` one of ``cand`` (``q``, in a circle ``c`` at the minimum)
    while a member ``r`` of a circle above the minimum takes ``q``'s seat in ``c``
    (``r`` fits ``c`` without ``q``). The best ``q`` (affinity gained with ``K`` less
    lost in ``c``) that has such an ``r``, the best ``r`` for it (at most ``REFILLS``
    circles ``c`` tried)."""
    d = s.d
    size = s.sizes()
    placed = s.lab >= 0
    src = np.where(placed, s.lab, 0)
    cand = cand & placed & (size[src] == d.size_min)
    if not cand.any():
        return False
    now = np.flatnonzero(s.lab == K)
    A = d.A
    to_new = A[:, now].astype(np.float64).sum(axis=1)
    donors = placed & (s.lab != K) & (size[src] > d.size_min)
    if not donors.any():
        return False
    lost_r = np.zeros(len(s.lab))
    for c in np.unique(src[donors]).tolist():
        inside = s.lab == c
        lost_r[inside] = A[np.ix_(inside, inside)].astype(np.float64).sum(axis=1)
    best: tuple[float, int, int] | None = None
    tried = 0
    for c in np.unique(src[cand]).tolist():
        tried += 1
        if tried > REFILLS:
            break
        inside = np.flatnonzero(s.lab == c)
        to_c = A[:, inside].astype(np.float64).sum(axis=1)  # every person with c
        ok_r = donors & (src != c)
        for q in inside.tolist():
            if not cand[q]:
                continue
            with_c = to_c - A[:, q]  # r's affinity with c without q
            fits = ok_r & (with_c > _HALF)
            if d.cap <= d.size_max:
                rest = inside[inside != q]
                fits &= _inst_ok(d, rest)
            if not fits.any():
                continue
            value_r = np.where(fits, with_c - lost_r, -np.inf)
            r = int(np.argmax(value_r))
            value = float(to_new[q] - to_c[q] + value_r[r])
            if best is None or value > best[0]:
                best = (value, q, r)
    if best is not None:
        _, q, r = best
        s.lab[r] = s.lab[q]
        s.lab[q] = K
        return True
    # No seat can be refilled: ``q`` leaves and the rest of its circle joins other
    # circles with room (its circle is dissolved), best ``q`` first.
    qs = np.flatnonzero(cand)
    qs = qs[np.isin(src[qs], np.unique(src[qs])[:REFILLS])]
    for q in qs[np.argsort(-(to_new[qs] - _lost_of(s, qs)), kind="stable")].tolist():
        if _dissolve(s, q, K):
            return True
    return False


def _lost_of(s: _Circles, qs: I64) -> F64:
    """Affinity of each of ``qs`` with the rest of their circle."""
    A = s.d.A
    out: F64 = np.array(
        [float(A[q, s.lab == s.lab[q]].astype(np.float64).sum()) for q in qs.tolist()]
    )
    return out


def _dissolve(s: _Circles, q: int, K: int) -> bool:
    """``q`` joins circle ``K``; the other members of its circle each join the circle
    with room (not ``K``) they have most affinity with; undone unless all can."""
    c = int(s.lab[q])
    saved = s.lab.copy()
    rest = np.flatnonzero(s.lab == c)
    s.lab[rest] = -1
    s.lab[q] = K
    for m in rest.tolist():
        if m == q:
            continue
        size = s.sizes()
        g = s.gains(m)
        ok = (size < s.d.size_max) & (size > 0) & (g > _HALF) & s.room_inst(m)
        ok[K] = False
        if not ok.any():
            s.lab = saved
            return False
        s.lab[m] = int(np.argmax(np.where(ok, g, -np.inf)))
    return True


def _eject(s: _Circles, p: int, pool: list[int]) -> bool:
    """``p`` takes the seat of ``q``, who then joins a circle or a new one with other
    unplaced people (kept only when more people are placed; at most ``EJECTS`` tries)."""
    d = s.d
    g = s.gains(p)
    before = int((s.lab >= 0).sum())
    others = [x for x in pool if x != p]
    tries = 0
    for c in np.flatnonzero(g > -1.5 * BIG).tolist():
        for q in np.flatnonzero(s.lab == c).tolist():
            if g[c] - d.A[p, q] <= _HALF or not s.room_inst(p, leaving=q)[c]:
                continue
            tries += 1
            if tries > EJECTS:
                return False
            saved, K0 = s.lab.copy(), s.K
            s.lab[p], s.lab[q] = c, -1
            if (_join(s, q, s.sizes()) or _new_circle(s, [q, *others])) and int(
                (s.lab >= 0).sum()
            ) > before:
                return True
            s.lab, s.K = saved, K0
    return False


def place_leftovers(d: DenseProblem, K: int, circ: I64) -> tuple[int, I64]:
    """Repair ``(K, circ)`` (``circ[p] == K``: unplaced); returns the new ``(K, circ)``."""
    if not (circ >= K).any() or len(circ) < d.size_min:
        return K, circ
    s = _Circles(d, K, circ)
    # Only people with enough compatible others to share a circle can be placed.
    hopeful = (d.A > _HALF).sum(axis=1) - 1 >= d.size_min - 1
    for _ in range(len(circ)):
        pool = np.flatnonzero((s.lab < 0) & hopeful).tolist()
        if not pool:
            break
        changed = False
        for p in pool:
            size = s.sizes()
            if _join(s, p, size) or _chain(s, p, size):
                changed = True
        if not changed:
            changed = _new_circle(s, pool)
        if not changed:
            changed = any(_eject(s, p, pool) for p in pool[:SEEDS])
        if not changed:
            break
    # Dissolved circles are dropped (labels made dense again).
    used = np.unique(s.lab[s.lab >= 0])
    remap = np.full(s.K, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    K = len(used)
    out = np.full(len(s.lab), K, dtype=np.int64)
    placed = s.lab >= 0  # possibly nobody (then there is no circle to look up)
    out[placed] = remap[s.lab[placed]]
    return K, out

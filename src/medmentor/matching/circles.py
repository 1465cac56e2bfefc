"""Peer circles: partition participants into circles of a size range (issue 19).

A circle's affinity is the sum, over its unordered pairs of members, of the pair's
**symmetric** four-C score: the mean of the two directed scores ``score(a -> b)`` and
``score(b -> a)`` of the pair engine (a treated as mentee, b as mentor, and the other
way round). Peers have no direction, and several terms of the four Cs are directed
(``|A & B| / |A|`` shares of interests, goals, languages and availability; a person's
own preferences and confidentiality), so averaging the two is the only choice that
scores each unordered pair once without favouring either member. Directed scores are
integers (``features.SCALE`` = 1.0), so their sum is exact and every total below is an
exact integer until it is reported as a float.

Objective: maximise the total affinity of all circles (the sum of pair affinities
inside circles), circle sizes in ``[size_min, size_max]``. Hard rules: no excluded pair
(``exclusions`` and each person's ``exclude``) in a circle; with
``rules.require_shared_language``, every two members who both state languages share
one (strict, pairwise); optionally at most ``max_per_institution`` members of one
institution per circle.

Algorithm (``method="search"``): the number of circles is planned from the count of
placeable people (the fewest circles whose sizes fit the range), seeds are spread by
farthest-point selection, everyone else joins greedily (hardest to place first, into
the compatible circle of highest mean affinity), then a local search applies, in
batches of circle-disjoint moves, the best improving move and swap of every person,
evaluated with NumPy on a dense affinity matrix and an ``n x circles`` gain matrix;
small instances then run seeded perturbation rounds (iterated local search). Rule
breaches are a large negative affinity, so no accepted move ever breaks a rule. Above
``CHUNK`` people the participants are sorted by language, specialty family, specialty,
province and career stage and cut into chunks solved independently (a dense matrix of
20,000 people would take 1.6 GB); people left over by the chunks get one last pass.
``method="greedy"`` stops after the construction, ``method="random"`` places people in
random order into the first compatible circle (both are baselines).
Deterministic for a seed: no clock is read, ties are broken by the seeded generator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medmentor.matching.encode import encode
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.explain import Explainer
from medmentor.matching.features import SCALE
from medmentor.matching.inputs import (
    Mentee,
    Mentor,
    Participant,
    Problem,
    Question,
    Rules,
    Weights,
    check_inputs,
)

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

BIG = 1e9  # affinity of a pair that breaks a hard rule (units of 1 / (2 * SCALE))
CHUNK = 4000  # most people solved together on one dense matrix
SMALL = 150  # up to this many people, perturbation rounds follow the local search
RETRIES = 4  # constructions retried with the unplaced first
ROUNDS = 40  # perturbation rounds on small instances
MAX_PASSES = 300  # local-search passes (batches of moves) per descent
METHODS = ("search", "greedy", "random")
UNPLACED_MESSAGES = {
    "no_feasible_circle": "no circle can take this person without breaking a hard rule",
    "too_few_people": "too few people remain to form another circle within the size range",
}


@dataclass(frozen=True, slots=True)
class Circle:
    """One circle: members (input order), affinity and what its members share.

    ``score`` is the mean symmetric pair score of its members in [0, 1]; ``total`` the
    sum over its pairs (what the engine maximises).
    """

    id: str
    members: tuple[str, ...]
    score: float
    total: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A participant in no circle. Codes: ``no_feasible_circle``, ``too_few_people``."""

    person_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class CirclesResult:
    """Outcome of :func:`form_circles`."""

    method: str
    seed: int
    circles: tuple[Circle, ...]
    unplaced: tuple[Unplaced, ...]
    total_score: float  # sum of every circle's total

    def circle_of(self) -> dict[str, str]:
        """Person id -> circle id."""
        return {p: c.id for c in self.circles for p in c.members}


# -- inputs ---------------------------------------------------------------------------
_FIELDS = tuple(f.name for f in dataclasses.fields(Participant))


def _as_mentee(p: Participant) -> Mentee:
    if isinstance(p, Mentee):
        return p
    return Mentee(**{k: getattr(p, k) for k in _FIELDS})


def _as_mentor(p: Participant) -> Mentor:
    return Mentor(**{k: getattr(p, k) for k in _FIELDS}, capacity=1)


def _check(people: Sequence[Participant], size_min: int, size_max: int, cap: int | None) -> None:
    for name, v in (("size_min", size_min), ("size_max", size_max)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 2:
            raise MatchingInputError(f"{name} must be a whole number >= 2", field=name)
    if size_min > size_max:
        raise MatchingInputError("size_min must not exceed size_max", field="size_min")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise MatchingInputError(
            "max_per_institution must be a whole number >= 1", field="max_per_institution"
        )
    for p in people:
        if not isinstance(p, Participant):
            raise MatchingInputError("people must be Participant objects", field="people")


# -- the dense sub-problem ------------------------------------------------------------
@dataclass
class _Dense:
    """One chunk: affinities ``A`` (exact integers in units of 1 / (2 * SCALE); -BIG
    where a rule forbids the pair, 0 on the diagonal) and institution codes."""

    A: F32
    inst: I64  # institution code, -1 when none
    n_inst: int
    cap: int  # institution cap (a large number when none)
    size_min: int
    size_max: int


def _affinity(U: F32, Vt: F32, idx: I64, lang: F32 | None, excl: list[tuple[int, int]]) -> F32:
    """Dense symmetric affinity of the people ``idx`` (rows of ``U``)."""
    u, vt = U[idx], Vt[:, idx]
    A: F32 = u @ vt
    A += A.T.copy()
    np.fill_diagonal(A, 0.0)
    if lang is not None:
        L = lang[idx]
        silent = L.sum(axis=1) == 0
        step = 1024
        for a in range(0, len(idx), step):
            shared = L[a : a + step] @ L.T
            bad = (shared == 0) & ~silent[a : a + step, None] & ~silent[None, :]
            A[a : a + step][bad] = -BIG
    if excl:
        pos = {int(g): k for k, g in enumerate(idx.tolist())}
        for i, j in excl:
            x, y = pos.get(i), pos.get(j)
            if x is not None and y is not None and x != y:
                A[x, y] = A[y, x] = -BIG
    return A


class _State:
    """Assignment of a chunk: ``circ[p]`` in 0..K-1, or K (the pool of the unplaced)."""

    def __init__(self, d: _Dense, K: int, circ: I64) -> None:
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
        can = (s.size[:K] < d.size_max)[None, :] & inst_room & (half < s.G)
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
    d: _Dense,
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
        free = np.ones(n, dtype=bool)
        for c in range(K):
            if c == 0:
                p = int(order[0])
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


def _solve_dense(d: _Dense, rng: np.random.Generator, method: str) -> tuple[int, I64]:
    K, circ = _construct(d, rng, random=method == "random")
    if K == 0 or method == "random":
        return K, circ
    # People the construction could not place go first next time (a few tries).
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
    if method != "search":
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


# -- the facade ---------------------------------------------------------------------
def form_circles(
    people: Sequence[Participant],
    *,
    size_min: int,
    size_max: int,
    weights: Weights | None = None,
    rules: Rules | None = None,
    questions: Sequence[Question] = (),
    exclusions: Iterable[tuple[str, str]] = (),
    max_per_institution: int | None = None,
    labels: Mapping[str, str] | None = None,
    seed: int = 0,
    method: str = "search",
) -> CirclesResult:
    """Group ``people`` (peers) into circles of ``size_min``..``size_max`` members,
    maximising the total symmetric four-C affinity inside circles (see the module).

    ``exclusions`` are unordered pairs of ids never in one circle (reporting lines,
    blocks), in addition to each person's ``exclude``. ``rules.seniority`` does not
    apply to peers. Everyone is placed when the rules allow; the others are listed in
    ``unplaced`` with a reason code.
    """
    _check(people, size_min, size_max, max_per_institution)
    if method not in METHODS:
        raise MatchingInputError(f"unknown method {method!r}", field="method")
    rules = rules or Rules()
    people = tuple(people)
    ids = [p.id for p in people]
    pos = {i: k for k, i in enumerate(ids)}
    if len(pos) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise MatchingInputError(f"duplicate id {dup!r}", participant=dup, field="id")
    problem = Problem(
        mentees=tuple(_as_mentee(p) for p in people),
        mentors=tuple(_as_mentor(p) for p in people),
        weights=weights or Weights(),
        rules=Rules(seniority="any", require_shared_language=False),
        questions=tuple(questions),
        labels=labels or {},
    )
    check_inputs(problem)
    excl: list[tuple[int, int]] = []
    for a, b in exclusions:
        if str(a) not in pos or str(b) not in pos:
            raise MatchingInputError(
                f"exclusion ({a!r}, {b!r}) names an unknown id", participant=str(a), field="exclude"
            )
        excl.append((pos[str(a)], pos[str(b)]))
    for p in people:
        excl.extend((pos[p.id], pos[x]) for x in sorted(p.exclude))
    n = len(people)
    rng = np.random.default_rng(seed)
    circ_global = np.full(n, -1, dtype=np.int64)
    if n:
        enc = encode(problem, seed)
        U, Vt = enc.U, enc.Vt
        lang = _languages(people) if rules.require_shared_language else None
        insts = sorted({p.institution for p in people if p.institution is not None})
        icode = {v: k for k, v in enumerate(insts)}
        inst = np.array([icode.get(p.institution, -1) for p in people], dtype=np.int64)  # type: ignore[arg-type]
        cap = max_per_institution if max_per_institution is not None else size_max + 1
        next_id = 0
        leftover: list[I64] = []
        chunks = _chunks(people, size_min, size_max)
        for k, idx in enumerate(chunks):
            if k == len(chunks) - 1 and leftover:
                idx = np.sort(np.concatenate([idx, *leftover]))
            d = _Dense(
                _affinity(U, Vt, idx, lang, excl), inst[idx], len(insts), cap, size_min, size_max
            )
            K, circ = _solve_dense(d, rng, method)
            placed = circ < K
            circ_global[idx[placed]] = circ[placed] + next_id
            next_id += K
            if k < len(chunks) - 1:
                leftover.append(idx[~placed])
        # renumber circles densely (chunks may leave empty ones)
        used = np.unique(circ_global[circ_global >= 0])
        remap = np.full(next_id + 1, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        circ_global = np.where(circ_global >= 0, remap[np.maximum(circ_global, 0)], -1)
        return _result(
            problem, people, U, Vt, lang, excl, inst, cap, circ_global, seed, method, size_min
        )
    return CirclesResult(method, seed, (), (), 0.0)


def _languages(people: Sequence[Participant]) -> F32:
    vocab = sorted(set().union(*(p.languages for p in people)))
    col = {v: k for k, v in enumerate(vocab)}
    L = np.zeros((len(people), max(len(vocab), 1)), dtype=np.float32)
    for r, p in enumerate(people):
        for v in p.languages:
            L[r, col[v]] = 1.0
    return L


def _chunks(people: Sequence[Participant], size_min: int, size_max: int) -> list[I64]:
    """Index sets solved independently: everyone, or similar people in chunks."""
    n = len(people)
    if n <= CHUNK:
        return [np.arange(n, dtype=np.int64)]
    keys = sorted(
        range(n),
        key=lambda k: (
            ",".join(sorted(people[k].languages)),
            people[k].specialty_parent or people[k].specialty or "",
            people[k].specialty or "",
            people[k].province or "",
            people[k].career_stage if people[k].career_stage is not None else -1,
            k,
        ),
    )
    parts = -(-n // CHUNK)
    order = np.array(keys, dtype=np.int64)
    return [np.sort(c) for c in np.array_split(order, parts)]


def _result(
    problem: Problem,
    people: tuple[Participant, ...],
    U: F32,
    Vt: F32,
    lang: F32 | None,
    excl: list[tuple[int, int]],
    inst: I64,
    cap: int,
    circ: I64,
    seed: int,
    method: str,
    size_min: int,
) -> CirclesResult:
    explainer = Explainer(problem)
    K = int(circ.max()) + 1 if (circ >= 0).any() else 0
    order = np.argsort(circ, kind="stable")
    circles: list[Circle] = []
    grand = 0
    groups: list[I64] = []
    for c in range(K):
        idx = np.sort(order[circ[order] == c])
        groups.append(idx)
    groups.sort(key=lambda g: int(g[0]))
    for k, idx in enumerate(groups):
        A = U[idx] @ Vt[:, idx]
        sym = A + A.T
        tri = np.triu_indices(len(idx), 1)
        tot = int(np.rint(sym[tri].astype(np.float64)).sum())
        grand += tot
        pairs = len(tri[0])
        members = [people[int(i)] for i in idx]
        circles.append(
            Circle(
                id=f"c{k + 1}",
                members=tuple(p.id for p in members),
                score=round(tot / (2 * SCALE) / pairs, 6) if pairs else 0.0,
                total=round(tot / (2 * SCALE), 6),
                reasons=circle_reasons(explainer, members),
            )
        )
    unplaced: list[Unplaced] = []
    rest = np.flatnonzero(circ < 0)
    ex = set(excl)
    for p in rest.tolist():
        if groups:
            fits = any(_fits(p, g, lang, ex, inst, cap) for g in groups)
        elif len(rest) < size_min:
            fits = True
        else:
            fits = _alone_ok(p, rest, lang, ex)
        code = "too_few_people" if fits else "no_feasible_circle"
        unplaced.append(Unplaced(people[p].id, code, UNPLACED_MESSAGES[code]))
    return CirclesResult(
        method, seed, tuple(circles), tuple(unplaced), round(grand / (2 * SCALE), 6)
    )


def _compatible(p: int, q: int, lang: F32 | None, excl: set[tuple[int, int]]) -> bool:
    if (p, q) in excl or (q, p) in excl:
        return False
    if lang is None:
        return True
    a, b = lang[p], lang[q]
    return not a.any() or not b.any() or bool((a * b).any())


def _fits(p: int, g: I64, lang: F32 | None, ex: set[tuple[int, int]], inst: I64, cap: int) -> bool:
    if inst[p] >= 0 and int((inst[g] == inst[p]).sum()) >= cap:
        return False
    return all(_compatible(p, int(q), lang, ex) for q in g)


def _alone_ok(p: int, rest: I64, lang: F32 | None, ex: set[tuple[int, int]]) -> bool:
    return any(_compatible(p, int(q), lang, ex) for q in rest if int(q) != p)


def circle_reasons(explainer: Explainer, members: Sequence[Participant]) -> tuple[str, ...]:
    """What a circle's members share, most shared first (at most five phrases)."""
    n = len(members)
    out: list[str] = []
    half = n / 2

    def common(values: list[str | None], phrase: str, partial: str) -> None:
        vals = [v for v in values if v is not None]
        if not vals:
            return
        top = max(sorted(set(vals)), key=vals.count)
        count = vals.count(top)
        if count == n:
            out.append(phrase.format(explainer.label(top)))
        elif count > half:
            out.append(partial.format(count, n, explainer.label(top)))

    specs = [p.specialty for p in members]
    if specs[0] is not None and all(s == specs[0] for s in specs):
        out.append(f"all {explainer.label(specs[0])}")
    else:
        common(
            [p.specialty_parent or p.specialty for p in members],
            "all in {} (specialty family)",
            "{} of {} in {} (specialty family)",
        )
    stages = [p.career_stage for p in members if p.career_stage is not None]
    if len(stages) == n and max(stages) - min(stages) <= 1:
        out.append(
            f"same career stage ({stages[0]})"
            if max(stages) == min(stages)
            else f"similar career stages ({min(stages)}-{max(stages)})"
        )
    counts: dict[str, int] = {}
    for p in members:
        for i in p.interests:
            counts[i] = counts.get(i, 0) + 1
    shared = frozenset(i for i, c in counts.items() if c > half)
    if shared:
        word = "interest" if len(shared) == 1 else "interests"
        out.append(f"shared {word}: {explainer._list(shared)}")
    langs = (
        frozenset.intersection(*(p.languages for p in members if p.languages))
        if any(p.languages for p in members)
        else frozenset()
    )
    if langs:
        out.append(f"all speak {explainer._list(langs)}")
    common([p.province for p in members], "all in {}", "{} of {} in {}")
    common([p.career_path for p in members], "same career path: {}", "{} of {} on career path {}")
    return tuple(out[:5]) or ("little stated in common",)


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
        mentees=tuple(_as_mentee(p) for p in people),
        mentors=tuple(_as_mentor(p) for p in people),
        weights=weights or Weights(),
        rules=Rules(seniority="any", require_shared_language=False),
        questions=tuple(questions),
    )
    enc = encode(problem)
    excl = [(pos[str(a)], pos[str(b)]) for a, b in exclusions]
    for p in people:
        excl.extend((pos[p.id], pos[x]) for x in sorted(p.exclude))
    lang = _languages(people) if (rules or Rules()).require_shared_language else None
    return _affinity(enc.U, enc.Vt, np.arange(len(people), dtype=np.int64), lang, excl)


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

"""Mentoring groups: repair and local search on a mutable grouping.

Pair scores live in :class:`PairTable`: per mentee, the eligible mentors known so far
(the candidate arcs; whole rows or columns are added from the pair engine when the
repair needs them), so nothing here is dense in mentees x mentors. Every change goes
through :meth:`Grouping.can_join`, which checks eligibility (a known eligible pair),
seats, mentee-mentee exclusions and the institution cap: no step ever breaks a rule.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.scoring import block_rows, pair_eligible, pair_scores, score_rows

MAX_PASSES = 50  # local-search passes (each a sweep over the improving arcs)
SMALL = 120  # up to this many mentees, perturbation rounds follow the local search
ROUNDS = 200  # perturbation rounds on small instances
CHAIN_DEPTH = 2  # longest displacement chain tried when nothing shorter places a mentee
CHAIN_BUDGET = 5000  # members tried as displaced in one such search
EXTEND = 24  # mentors added to a pooled mentee's options (best overall, best with room)


class PairTable:
    """Known eligible pairs and their integer scores: ``opts[i][j]``, also as flat
    arrays (``ai``, ``aj``, ``aq``) for the NumPy screens."""

    def __init__(self, enc: Encoded, ai: I64, aj: I64, aq: I64) -> None:
        self.enc = enc
        self.opts: list[dict[int, int]] = [{} for _ in range(enc.n)]
        self.full_cols = np.zeros(enc.m, dtype=bool)
        self.full_rows = np.zeros(enc.n, dtype=bool)
        self.ai, self.aj, self.aq = ai[:0], aj[:0], aq[:0]
        self._by_mentor: tuple[I64, I64] | None = None
        self._add(ai, aj, aq)

    def _add(self, ai: I64, aj: I64, aq: I64) -> None:
        """Add pairs not known yet."""
        if not len(ai):
            return
        order = np.lexsort((aj, ai))
        ai, aj, aq = ai[order], aj[order], aq[order]
        new = np.ones(len(ai), dtype=bool)
        new[1:] = (ai[1:] != ai[:-1]) | (aj[1:] != aj[:-1])  # no repeats within
        if len(self.ai):
            new &= np.array(
                [j not in self.opts[i] for i, j in zip(ai.tolist(), aj.tolist(), strict=True)],
                dtype=bool,
            )
        ai, aj, aq = ai[new], aj[new], aq[new]
        if not len(ai):
            return
        cuts = np.flatnonzero(np.diff(ai)) + 1
        starts = [0, *cuts.tolist()]
        ends = [*cuts.tolist(), len(ai)]
        rows, js, qs = ai[starts].tolist(), aj.tolist(), aq.tolist()
        for i, a, b in zip(rows, starts, ends, strict=True):
            self.opts[i].update(zip(js[a:b], qs[a:b], strict=True))
        self.ai = np.concatenate([self.ai, ai])
        self.aj = np.concatenate([self.aj, aj])
        self.aq = np.concatenate([self.aq, aq])
        self._by_mentor = None

    def mentees_of(self, j: int) -> list[int]:
        """Known eligible mentees of mentor ``j``."""
        if self._by_mentor is None:
            order = np.argsort(self.aj, kind="stable")
            starts = np.searchsorted(self.aj[order], np.arange(self.enc.m + 1))
            self._by_mentor = (self.ai[order], starts)
        mentees, starts = self._by_mentor
        return mentees[starts[j] : starts[j + 1]].tolist()  # type: ignore[no-any-return]

    def extend_rows(self, rows: list[int], roomy: npt.NDArray[np.bool_]) -> None:
        """For the mentees ``rows``: their best ``EXTEND`` eligible mentors overall and
        their best ``EXTEND`` among the mentors flagged ``roomy`` (groups with room)."""
        todo = np.array(sorted(i for i in set(rows) if not self.full_rows[i]), dtype=np.int64)
        if self.enc.m <= EXTEND:  # then every eligible mentor is added, once
            self.full_rows[todo] = True
        step = block_rows(self.enc)
        for a in range(0, len(todo), step):
            block = todo[a : a + step]
            s = score_rows(self.enc, block)
            for part in (s, np.where(roomy[None, :], s, np.float32(-1.0))):
                k = min(EXTEND, part.shape[1])
                top = np.argpartition(-part, k - 1, axis=1)[:, :k]
                r = np.repeat(np.arange(len(block)), k)
                c = top.ravel()
                q = part[r, c]
                ok = q >= 0
                self._add(block[r[ok]], c[ok].astype(np.int64), q[ok].astype(np.int64))

    def complete_rows(self, rows: I64) -> None:
        """Every eligible mentor of the mentees ``rows`` (sorted; small instances)."""
        s = score_rows(self.enc, rows)
        r, c = np.nonzero(s >= 0)
        self._add(rows[r], c.astype(np.int64), s[r, c].astype(np.int64))
        self.full_rows[rows] = True

    def complete_column(self, j: int) -> None:
        """Every eligible mentee of mentor ``j``."""
        if self.full_cols[j]:
            return
        i = np.arange(self.enc.n, dtype=np.int64)
        jj = np.full(self.enc.n, j, dtype=np.int64)
        ok = pair_eligible(self.enc, i, jj)
        i, jj = i[ok], jj[ok]
        self._add(i, jj, pair_scores(self.enc, i, jj))
        self.full_cols[j] = True


class Grouping:
    """Who is in which group, with the counts the rules need."""

    def __init__(
        self,
        table: PairTable,
        at: I64,
        seats: I64,
        is_open: npt.NDArray[np.bool_],
        pinned: npt.NDArray[np.bool_],
        conflicts: dict[int, set[int]],
        inst: I64,
        cap: int,
        size_min: int,
        tie: I64,
    ) -> None:
        self.table = table
        self.opts = table.opts
        n, m = len(at), len(seats)
        self.at: list[int] = [-1] * n
        self.members: list[set[int]] = [set() for _ in range(m)]
        self.icount: list[dict[int, int]] = [{} for _ in range(m)]
        self.seats: list[int] = seats.tolist()
        self.is_open: list[bool] = [bool(x) for x in is_open.tolist()]
        self.pinned: list[bool] = [bool(x) for x in pinned.tolist()]
        self.conflicts = conflicts
        self.inst: list[int] = inst.tolist()
        self.cap = cap
        self.size_min = size_min
        self.tie: list[int] = tie.tolist()  # mentors' seeded tie-break
        self.groups_pinned = [False] * m
        self._budget = 0
        self.long_chains = True  # off in perturbation rounds: costly where none exists
        self.barred: set[int] = set()  # mentors who may not open (a perturbation's)
        for i, j in enumerate(at.tolist()):
            if j >= 0:
                self.put(i, j)
                if self.pinned[i]:
                    self.groups_pinned[j] = True

    # -- primitive changes -------------------------------------------------------------
    def put(self, i: int, j: int) -> None:
        self.at[i] = j
        self.members[j].add(i)
        c = self.inst[i]
        if c >= 0:
            self.icount[j][c] = self.icount[j].get(c, 0) + 1

    def take(self, i: int) -> int:
        j = self.at[i]
        self.at[i] = -1
        self.members[j].discard(i)
        c = self.inst[i]
        if c >= 0:
            self.icount[j][c] -= 1
        return j

    def can_join(self, i: int, j: int, leaving: int = -1) -> bool:
        """Whether mentee ``i`` may join group ``j`` (once ``leaving`` has left it)."""
        if not self.is_open[j] or j not in self.opts[i]:
            return False
        if len(self.members[j]) - (leaving >= 0) >= self.seats[j]:
            return False
        conf = self.conflicts.get(i)
        if conf and any(k != leaving for k in conf & self.members[j]):
            return False
        c = self.inst[i]
        if c >= 0:
            have = self.icount[j].get(c, 0) - (leaving >= 0 and self.inst[leaving] == c)
            if have >= self.cap:
                return False
        return True

    def score(self, i: int) -> int:
        j = self.at[i]
        return self.opts[i][j] if j >= 0 else 0

    def pool(self) -> list[int]:
        return [i for i, j in enumerate(self.at) if j < 0]

    def total(self) -> tuple[int, int]:
        """(placed, total score): what the search maximises, in that order."""
        placed = [i for i, j in enumerate(self.at) if j >= 0]
        return len(placed), sum(self.opts[i][self.at[i]] for i in placed)

    # -- repair ---------------------------------------------------------------------------
    def resolve_conflicts(self) -> None:
        """Move out of every group the members an exclusion or the institution cap
        forbids there (the most-conflicted first, then the lowest scored)."""
        for j, group in enumerate(self.members):
            if not group:
                continue
            while True:
                clash = {i: len(self.conflicts[i] & group) for i in group if i in self.conflicts}
                clash = {i: c for i, c in clash.items() if c and not self.pinned[i]}
                if not clash:
                    break
                worst = max(sorted(clash), key=lambda i: (clash[i], -self.opts[i][j]))
                self.take(worst)
            for c, count in sorted(self.icount[j].items()):
                extra = count - self.cap
                if extra <= 0:
                    continue
                same = sorted(
                    (self.opts[i][j], i) for i in group if self.inst[i] == c and not self.pinned[i]
                )
                for _, i in same[:extra]:
                    self.take(i)

    def below_min(self, j: int) -> bool:
        return self.is_open[j] and len(self.members[j]) < self.size_min

    def place(self, i: int) -> bool:
        """Put pooled mentee ``i`` into a group: one with room (a group still below the
        minimum first, then the best score), else by a chain (i takes the seat of a
        member who moves to another group with room), the best total."""
        best: tuple[int, int, int] | None = None
        for j, q in self.opts[i].items():
            if self.can_join(i, j):
                key = (int(self.below_min(j)), q, -self.tie[j])
                if best is None or key > best:
                    best = key
                    target = j
        if best is not None:
            self.put(i, target)
            return True
        chain: tuple[int, int, int, int] | None = None
        for j, q in self.opts[i].items():
            if not self.is_open[j]:
                continue
            for k in sorted(self.members[j]):
                if self.pinned[k] or not self.can_join(i, j, leaving=k):
                    continue
                for j2, q2 in self.opts[k].items():
                    # (the seat test first: most groups are full when seats are tight)
                    if len(self.members[j2]) >= self.seats[j2] or j2 == j:
                        continue
                    if self.can_join(k, j2):
                        gain = q - self.opts[k][j] + q2
                        if chain is None or gain > chain[0]:
                            chain = (gain, j, k, j2)
        if chain is not None:
            _, j, k, j2 = chain
            self.take(k)
            self.put(k, j2)
            self.put(i, j)
            return True
        if not self.long_chains:
            return False
        self._budget = CHAIN_BUDGET
        moves = self._chain(i, CHAIN_DEPTH, set())
        if moves is None:
            return False
        for x, j, out in moves:
            if out >= 0:
                self.take(out)
            self.put(x, j)
        return True

    def _chain(self, i: int, depth: int, used: set[int]) -> list[tuple[int, int, int]] | None:
        """A longer chain for mentee ``i`` (the first found, through groups not in
        ``used``): moves (mentee, group, member it displaces or -1), in order."""
        for j in sorted(self.opts[i]):
            if j in used or not self.is_open[j]:
                continue
            if self.can_join(i, j):
                return [(i, j, -1)]
        if depth == 0:
            return None
        for j in sorted(self.opts[i]):
            if j in used or not self.is_open[j]:
                continue
            for k in sorted(self.members[j]):
                self._budget -= 1
                if self._budget < 0:
                    return None
                if self.pinned[k] or not self.can_join(i, j, leaving=k):
                    continue
                rest = self._chain(k, depth - 1, used | {j})
                if rest is not None:
                    return [(i, j, k), *rest]
        return None

    def place_pool(self) -> None:
        """Place pooled mentees, those with the fewest options first."""
        pool = self.pool()
        roomy = np.array(
            [
                o and len(g) < s
                for o, g, s in zip(self.is_open, self.members, self.seats, strict=True)
            ],
            dtype=bool,
        )
        self.table.extend_rows(pool, roomy)
        for i in sorted(pool, key=lambda i: (len(self.opts[i]), i)):
            self.place(i)

    def _fill(self, j: int) -> None:
        """Bring group ``j`` up to the minimum: pooled mentees first (best score), then
        members of groups above the minimum (who lose least by moving)."""
        pool = [i for i in self.table.mentees_of(j) if self.at[i] < 0]
        for i in sorted(pool, key=lambda i: (-self.opts[i][j], i)):
            if len(self.members[j]) >= self.size_min:
                return
            if self.can_join(i, j):
                self.put(i, j)
        for attempt in range(2):
            while len(self.members[j]) < self.size_min:
                best: tuple[int, int] | None = None
                for k in self.table.mentees_of(j):
                    a = self.at[k]
                    if (
                        a < 0
                        or a == j
                        or self.pinned[k]
                        or len(self.members[a]) <= self.size_min
                        or not self.can_join(k, j)
                    ):
                        continue
                    loss = self.opts[k][a] - self.opts[k][j]
                    if best is None or (loss, k) < best:
                        best = (loss, k)
                if best is None:
                    break
                self.take(best[1])
                self.put(best[1], j)
            if len(self.members[j]) >= self.size_min or attempt:
                return
            self.table.complete_column(j)

    def fill_or_dissolve(self) -> None:
        """Groups below the minimum, the smallest deficit first, are filled; those that
        cannot be (the largest deficits, last) are dissolved and their mentees placed
        elsewhere. Groups holding a locked pair are never dissolved."""
        dissolved: set[int] = set()
        while True:
            short = [
                j
                for j in range(len(self.members))
                if self.below_min(j) and not self.groups_pinned[j] and j not in dissolved
            ]
            if not short:
                return
            short.sort(key=lambda j: (self.size_min - len(self.members[j]), self.tie[j]))
            for j in short:
                self._fill(j)
            failed = [j for j in short if self.below_min(j)]
            if not failed:
                continue
            j = max(failed, key=lambda j: (self.size_min - len(self.members[j]), self.tie[j]))
            for i in sorted(self.members[j]):
                self.take(i)
            self.is_open[j] = False
            dissolved.add(j)
            self.place_pool()

    def open_from_pool(self) -> None:
        """Closed mentors whom enough pooled mentees may join lead a new group."""
        pool = self.pool()
        if len(pool) < self.size_min:
            return
        closed = np.array(
            [not o and s >= self.size_min for o, s in zip(self.is_open, self.seats, strict=True)],
            dtype=bool,
        )
        self.table.extend_rows(pool, closed)
        demand: dict[int, list[int]] = {}
        for i in pool:
            for j in self.opts[i]:
                if not self.is_open[j] and self.seats[j] >= self.size_min and j not in self.barred:
                    demand.setdefault(j, []).append(i)
        for j in sorted(demand, key=lambda j: (-len(demand[j]), self.tie[j])):
            free = [i for i in demand[j] if self.at[i] < 0]
            if len(free) < self.size_min:
                continue
            self.is_open[j] = True
            for i in sorted(free, key=lambda i: (-self.opts[i][j], i)):
                if self.can_join(i, j):
                    self.put(i, j)
            if len(self.members[j]) < self.size_min:
                for i in sorted(self.members[j]):
                    self.take(i)
                self.is_open[j] = False

    def repair(self) -> None:
        self.resolve_conflicts()
        self.place_pool()
        self.fill_or_dissolve()
        self.open_from_pool()
        self.place_pool()
        self.fill_or_dissolve()

    # -- local search ---------------------------------------------------------------------
    def descend(self) -> None:
        """Improving moves and swaps over the known pairs until none is left. After
        the first pass, only pairs touching a group changed in the pass before are
        screened again (nothing else can have become improving)."""
        t = self.table
        dirty: npt.NDArray[np.bool_] | None = None
        for _ in range(MAX_PASSES):
            at = np.array(self.at, dtype=np.int64)
            cur = np.array([self.score(i) for i in range(len(at))], dtype=np.int64)
            cur[at < 0] = -1
            ai, aj, aq = t.ai, t.aj, t.aq
            gain = aq - cur[ai]
            mask = (at[ai] != aj) & (gain > 0)  # pooled mentees' arcs all pass
            if dirty is not None:
                mask &= dirty[aj] | dirty[np.maximum(at[ai], 0)]
            hit = np.flatnonzero(mask)
            hit = hit[np.lexsort((aj[hit], ai[hit], -gain[hit]))]
            dirty = np.zeros(len(self.members), dtype=bool)
            for i, b in zip(ai[hit].tolist(), aj[hit].tolist(), strict=True):
                changed = self._improve(i, b)
                if changed:
                    dirty[changed] = True
            if not dirty.any():
                return

    def _improve(self, i: int, b: int) -> list[int]:
        """Move mentee ``i`` into group ``b``, or swap it with a member of ``b``, if
        that raises the total; returns the groups changed."""
        a = self.at[i]
        if self.pinned[i] or a == b or not self.is_open[b]:
            return []
        if a < 0:
            return self._bring_in(i, b)
        qi_b = self.opts[i][b]
        qi_a = self.opts[i][a]
        if qi_b <= qi_a:
            return []
        if len(self.members[a]) > self.size_min and self.can_join(i, b):
            self.take(i)
            self.put(i, b)
            return [a, b]
        best: tuple[int, int] | None = None
        for k in self.members[b]:
            qk_a = self.opts[k].get(a)
            if qk_a is None or self.pinned[k]:
                continue
            gain = qi_b + qk_a - qi_a - self.opts[k][b]
            if gain > 0 and (best is None or (gain, -k) > (best[0], -best[1])):  # noqa: SIM102
                if self.can_join(i, b, leaving=k) and self.can_join(k, a, leaving=i):
                    best = (gain, k)
        if best is None:
            return []
        k = best[1]
        self.take(i)
        self.take(k)
        self.put(i, b)
        self.put(k, a)
        return [a, b]

    def _bring_in(self, i: int, b: int) -> list[int]:
        """Pooled mentee ``i`` joins group ``b`` if it has room, or takes the place of
        a member who scores less there (who is pooled): returns the groups changed."""
        if self.can_join(i, b):
            self.put(i, b)
            return [b]
        q = self.opts[i][b]
        best: tuple[int, int] | None = None
        for k in self.members[b]:
            gain = q - self.opts[k][b]
            if self.pinned[k] or gain <= 0 or (best is not None and (gain, -k) <= best):
                continue
            if self.can_join(i, b, leaving=k):
                best = (gain, -k)
        if best is None:
            return []
        self.take(-best[1])
        self.put(i, b)
        return [b]

    # -- small instances: iterated local search ----------------------------------------
    def snapshot(self) -> tuple[list[int], list[bool]]:
        return list(self.at), list(self.is_open)

    def restore(self, state: tuple[list[int], list[bool]]) -> None:
        at, is_open = state
        for i in range(len(self.at)):
            if self.at[i] >= 0:
                self.take(i)
        self.is_open = list(is_open)
        for i, j in enumerate(at):
            if j >= 0:
                self.put(i, j)

    def perturb(self, rng: np.random.Generator) -> None:
        """Dissolve a random group (its members pooled), or open a random closed
        mentor, or trade a pooled mentee for a member, or exchange two random
        mentees; then repair and descend."""
        m = len(self.members)
        kind = int(rng.integers(0, 4))
        j = int(rng.integers(0, m))
        if kind == 0 and self.is_open[j] and not self.groups_pinned[j]:
            for i in sorted(self.members[j]):
                self.take(i)
            self.is_open[j] = False
            self.barred = {j}  # else the repair would open it again, with the same
        elif kind == 1 and not self.is_open[j] and self.seats[j] >= self.size_min:
            self.is_open[j] = True
            self.table.complete_column(j)
        elif kind == 3:
            self._trade_with_pool(rng)
        else:
            placed = [i for i, a in enumerate(self.at) if a >= 0 and not self.pinned[i]]
            if len(placed) >= 2:
                p, q = (placed[int(x)] for x in rng.choice(len(placed), 2, replace=False))
                a, b = self.at[p], self.at[q]
                if a != b and self.can_join(p, b, leaving=q) and self.can_join(q, a, leaving=p):
                    self.take(p)
                    self.take(q)
                    self.put(p, b)
                    self.put(q, a)
        self.repair()
        self.barred = set()
        self.descend()

    def _trade_with_pool(self, rng: np.random.Generator) -> None:
        """A random pooled mentee takes the seat of a random member of a group they
        may join (who is pooled)."""
        pool = self.pool()
        if not pool:
            return
        i = pool[int(rng.integers(0, len(pool)))]
        seats = [
            (j, k)
            for j in sorted(self.opts[i])
            if self.is_open[j]
            for k in sorted(self.members[j])
            if not self.pinned[k] and self.can_join(i, j, leaving=k)
        ]
        if seats:
            j, k = seats[int(rng.integers(0, len(seats)))]
            self.take(k)
            self.put(i, j)


def iterate(g: Grouping, rng: np.random.Generator, rounds: int = ROUNDS) -> None:
    """Seeded perturbation rounds, keeping the best grouping (placed, then score)."""
    g.long_chains = False
    g.table.complete_rows(np.arange(len(g.at), dtype=np.int64))
    g.descend()
    best, best_state = g.total(), g.snapshot()
    # No grouping places more than the seats of those who may lead, nor scores more
    # than that many mentees, each with their best mentor: a bound to stop at.
    bests = sorted((max(row.values()) for row in g.opts if row), reverse=True)
    seats = sum(s for j, s in enumerate(g.seats) if s >= g.size_min or g.groups_pinned[j])
    most = min(len(bests), seats)
    bound = (most, sum(bests[:most]))
    for _ in range(rounds):
        if best == bound:
            break
        g.perturb(rng)
        got = g.total()
        if got > best:
            best, best_state = got, g.snapshot()
        else:
            g.restore(best_state)
    g.restore(best_state)

"""Mentoring groups: repair and local search on a mutable grouping.

Pair scores live in :class:`PairTable`: per mentee, the eligible mentors known so far
(the candidate arcs; whole rows or columns are added from the pair engine when the
repair needs them), so nothing here is dense in mentees x mentors. Every change goes
through :meth:`Grouping.can_join`, which checks eligibility (a known eligible pair),
seats, mentee-mentee exclusions and the institution cap: no step ever breaks a rule.
"""

from __future__ import annotations

import numpy as np

from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.scoring import block_rows, pair_eligible, pair_scores, score_rows

MAX_PASSES = 50  # local-search passes (each a sweep over the improving arcs)
SMALL = 120  # up to this many mentees, perturbation rounds follow the local search
ROUNDS = 60  # perturbation rounds on small instances


class PairTable:
    """Known eligible pairs and their integer scores: ``opts[i][j]``."""

    def __init__(self, enc: Encoded, ai: I64, aj: I64, aq: I64) -> None:
        self.enc = enc
        n, m = enc.n, enc.m
        self.opts: list[dict[int, int]] = [{} for _ in range(n)]
        self.by_mentor: list[list[int]] = [[] for _ in range(m)]
        self.full_rows = np.zeros(n, dtype=bool)
        self.full_cols = np.zeros(m, dtype=bool)
        self._extra: list[tuple[int, int, int]] = []
        self._add(ai, aj, aq)
        self.ai, self.aj, self.aq = ai, aj, aq

    def _add(self, ai: I64, aj: I64, aq: I64) -> None:
        order = np.lexsort((aj, ai))
        ai, aj, aq = ai[order], aj[order], aq[order]
        cuts = np.flatnonzero(np.diff(ai)) + 1
        starts = np.concatenate([[0], cuts]).tolist()
        ends = np.concatenate([cuts, [len(ai)]]).tolist()
        js, qs = aj.tolist(), aq.tolist()
        for a, b in zip(starts, ends, strict=True):
            if a == b:
                continue
            self.opts[int(ai[a])].update(zip(js[a:b], qs[a:b], strict=True))
        order = np.lexsort((ai, aj))
        for i, j in zip(ai[order].tolist(), aj[order].tolist(), strict=True):
            self.by_mentor[j].append(i)

    def _add_new(self, ai: I64, aj: I64, aq: I64) -> None:
        """Add pairs not known yet (also to the arc arrays the search screens)."""
        new = [
            (i, j, q)
            for i, j, q in zip(ai.tolist(), aj.tolist(), aq.tolist(), strict=True)
            if j not in self.opts[i]
        ]
        if not new:
            return
        arr = np.array(new, dtype=np.int64)
        self._add(arr[:, 0], arr[:, 1], arr[:, 2])
        self.ai = np.concatenate([self.ai, arr[:, 0]])
        self.aj = np.concatenate([self.aj, arr[:, 1]])
        self.aq = np.concatenate([self.aq, arr[:, 2]])

    def complete_rows(self, rows: list[int]) -> None:
        """Every eligible mentor of the mentees ``rows``."""
        todo = np.array(sorted({i for i in rows if not self.full_rows[i]}), dtype=np.int64)
        if not len(todo):
            return
        step = block_rows(self.enc)
        for a in range(0, len(todo), step):
            block = todo[a : a + step]
            s = score_rows(self.enc, block)
            r, c = np.nonzero(s >= 0)
            self._add_new(block[r], c.astype(np.int64), s[r, c].astype(np.int64))
        self.full_rows[todo] = True

    def complete_column(self, j: int) -> None:
        """Every eligible mentee of mentor ``j``."""
        if self.full_cols[j]:
            return
        i = np.arange(self.enc.n, dtype=np.int64)
        jj = np.full(self.enc.n, j, dtype=np.int64)
        ok = pair_eligible(self.enc, i, jj)
        i, jj = i[ok], jj[ok]
        self._add_new(i, jj, pair_scores(self.enc, i, jj))
        self.full_cols[j] = True


class Grouping:
    """Who is in which group, with the counts the rules need."""

    def __init__(
        self,
        table: PairTable,
        at: I64,
        seats: I64,
        is_open: I64,
        pinned: I64,
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
                clash = {
                    i: len(self.conflicts[i] & group) for i in group if i in self.conflicts
                }
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
                    if j2 != j and self.can_join(k, j2):
                        gain = q - self.opts[k][j] + q2
                        if chain is None or gain > chain[0]:
                            chain = (gain, j, k, j2)
        if chain is None:
            return False
        _, j, k, j2 = chain
        self.take(k)
        self.put(k, j2)
        self.put(i, j)
        return True

    def place_pool(self) -> None:
        """Place pooled mentees, those with the fewest options first."""
        pool = self.pool()
        self.table.complete_rows(pool)
        for i in sorted(pool, key=lambda i: (len(self.opts[i]), i)):
            self.place(i)

    def _fill(self, j: int) -> None:
        """Bring group ``j`` up to the minimum: pooled mentees first (best score), then
        members of groups above the minimum (who lose least by moving)."""
        pool = [i for i in self.table.by_mentor[j] if self.at[i] < 0]
        for i in sorted(pool, key=lambda i: (-self.opts[i][j], i)):
            if len(self.members[j]) >= self.size_min:
                return
            if self.can_join(i, j):
                self.put(i, j)
        for attempt in range(2):
            while len(self.members[j]) < self.size_min:
                best: tuple[int, int] | None = None
                for k in self.table.by_mentor[j]:
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
        self.table.complete_rows(pool)
        demand: dict[int, list[int]] = {}
        for i in pool:
            for j in self.opts[i]:
                if not self.is_open[j] and self.seats[j] >= self.size_min:
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
        """Improving moves and swaps over the known pairs until none is left."""
        t = self.table
        for _ in range(MAX_PASSES):
            at = np.array(self.at, dtype=np.int64)
            cur = np.array([self.score(i) for i in range(len(at))], dtype=np.int64)
            ai, aj, aq = t.ai, t.aj, t.aq
            gain = aq - cur[ai]
            hit = np.flatnonzero((at[ai] >= 0) & (at[ai] != aj) & (gain > 0))
            hit = hit[np.lexsort((aj[hit], ai[hit], -gain[hit]))]
            changed = False
            for i, b in zip(ai[hit].tolist(), aj[hit].tolist(), strict=True):
                changed |= self._improve(i, b)
            if not changed:
                return

    def _improve(self, i: int, b: int) -> bool:
        """Move mentee ``i`` into group ``b``, or swap it with a member of ``b``, if
        that raises the total."""
        a = self.at[i]
        if self.pinned[i] or a == b or not self.is_open[b]:
            return False
        qi_b = self.opts[i][b]
        qi_a = self.opts[i][a]
        if qi_b <= qi_a:
            return False
        if len(self.members[a]) > self.size_min and self.can_join(i, b):
            self.take(i)
            self.put(i, b)
            return True
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
            return False
        k = best[1]
        self.take(i)
        self.take(k)
        self.put(i, b)
        self.put(k, a)
        return True

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
        mentor, or exchange two random mentees; then repair."""
        m = len(self.members)
        kind = int(rng.integers(0, 3))
        j = int(rng.integers(0, m))
        if kind == 0 and self.is_open[j] and not self.groups_pinned[j]:
            for i in sorted(self.members[j]):
                self.take(i)
            self.is_open[j] = False
        elif kind == 1 and not self.is_open[j] and self.seats[j] >= self.size_min:
            self.is_open[j] = True
            self.table.complete_column(j)
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
        self.descend()


def iterate(g: Grouping, rng: np.random.Generator, rounds: int = ROUNDS) -> None:
    """Seeded perturbation rounds, keeping the best grouping (placed, then score)."""
    best, best_state = g.total(), g.snapshot()
    for _ in range(rounds):
        g.perturb(rng)
        got = g.total()
        if got > best:
            best, best_state = got, g.snapshot()
        else:
            g.restore(best_state)
    g.restore(best_state)

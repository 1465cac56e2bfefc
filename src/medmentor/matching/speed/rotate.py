"""Speed-mentoring schedules: rotations by bipartite edge colouring, then the best
fits moved to the earliest rotations by Kempe-chain swaps.

Each mentor is split into ``table_size`` seats and their meetings are dealt over the
seats so that no seat holds more than R; the mentees and seats then form a
bipartite graph of maximum degree at most R, which Kőnig's theorem colours with R
colours (colour c = rotation c + 1): every mentee meets at most one mentor per
rotation and every mentor at most ``table_size`` mentees. Colouring: the meetings in
order of decreasing fit each take the smallest colour free at both ends; when there
is none, the two-coloured alternating (Kempe) path from one end is flipped, which in
a bipartite graph never reaches the other end. Locked meetings are coloured first
and never recoloured: a meeting whose every Kempe path runs through a locked one is
dropped (the only way a selected meeting is lost).
"""

from __future__ import annotations

import numpy as np

from medmentor.matching.features import I64

MAX_PASSES = 50  # sweeps over the colour pairs in :func:`improve`


class Colouring:
    """A partial proper edge colouring: ``at[node][c]`` is the edge of colour c at the
    node (-1: free)."""

    def __init__(self, nodes: int, colours: int, eu: list[int], ev: list[int]) -> None:
        self.k = colours
        self.at = [[-1] * colours for _ in range(nodes)]
        self.eu, self.ev = eu, ev
        self.colour = [-1] * len(eu)
        self.fixed = [False] * len(eu)

    def put(self, e: int, c: int) -> None:
        self.colour[e] = c
        self.at[self.eu[e]][c] = e
        self.at[self.ev[e]][c] = e

    def take(self, e: int) -> None:
        c = self.colour[e]
        self.at[self.eu[e]][c] = -1
        self.at[self.ev[e]][c] = -1
        self.colour[e] = -1

    def path(self, node: int, a: int, b: int) -> list[int] | None:
        """The edges of the path from ``node`` alternating colours a, b, a, ... (None
        if it holds a locked edge)."""
        out: list[int] = []
        c, other = a, b
        e = self.at[node][c]
        while e >= 0:
            if self.fixed[e]:
                return None
            out.append(e)
            node = self.ev[e] if self.eu[e] == node else self.eu[e]
            c, other = other, c
            e = self.at[node][c]
        return out

    def swap(self, edges: list[int], a: int, b: int) -> None:
        """Exchange colours a and b on ``edges`` (a two-coloured component)."""
        old = [self.colour[e] for e in edges]
        for e in edges:
            self.take(e)
        for e, c in zip(edges, old, strict=True):
            self.put(e, b if c == a else a)

    def colour_edge(self, e: int) -> bool:
        """Colour ``e`` (flipping a Kempe path when needed); False if impossible."""
        u, v = self.eu[e], self.ev[e]
        au, av = self.at[u], self.at[v]
        free_u = [c for c in range(self.k) if au[c] < 0]
        free_v = [c for c in range(self.k) if av[c] < 0]
        common = set(free_u).intersection(free_v)
        if common:
            self.put(e, min(common))
            return True
        for a in free_u:
            for b in free_v:
                # Flip the a/b path from v: a becomes free at v (u is not on it).
                p = self.path(v, a, b)
                if p is not None:
                    self.swap(p, a, b)
                    self.put(e, a)
                    return True
                p = self.path(u, b, a)
                if p is not None:
                    self.swap(p, a, b)
                    self.put(e, b)
                    return True
        return False


def deal_seats(mentor: I64, lock_c: I64, order: I64, rotations: int, table_size: int) -> I64:
    """Seat (0..table_size-1) of every meeting at its mentor: locked meetings of one
    rotation on different seats, the others, in ``order``, on the least-loaded seat
    (so no seat holds more than R meetings)."""
    seat = np.full(len(mentor), -1, dtype=np.int64)
    load: dict[int, list[int]] = {}
    used: dict[tuple[int, int], int] = {}
    mentors, colours = mentor.tolist(), lock_c.tolist()
    for e in np.flatnonzero(lock_c >= 0).tolist():
        j, c = mentors[e], colours[e]
        s = used.get((j, c), 0)
        used[j, c] = s + 1
        seat[e] = s
        load.setdefault(j, [0] * table_size)[s] += 1
    for e in order.tolist():
        if colours[e] >= 0:
            continue
        seats = load.setdefault(mentors[e], [0] * table_size)
        s = min(range(table_size), key=seats.__getitem__)
        seats[s] += 1
        seat[e] = s
    assert all(x <= rotations for row in load.values() for x in row)
    return seat


def colour_meetings(
    n: int,
    m: int,
    ei: I64,
    ej: I64,
    lock_c: I64,
    order: I64,
    rotations: int,
    table_size: int,
) -> Colouring:
    """Colour the meetings ``(ei, ej)`` (locked ones: colour ``lock_c`` >= 0) with
    ``rotations`` colours, the others in ``order`` (best fit first)."""
    seat = deal_seats(ej, lock_c, order, rotations, table_size)
    eu = ei.tolist()
    ev = (n + ej * table_size + seat).tolist()
    col = Colouring(n + m * table_size, rotations, eu, ev)
    for e in np.flatnonzero(lock_c >= 0).tolist():
        col.fixed[e] = True
        col.put(e, int(lock_c[e]))
    for e in order.tolist():
        if not col.fixed[e]:
            col.colour_edge(e)
    return col


def improve(col: Colouring, fit: list[int]) -> int:
    """Kempe-chain swaps that move fit to earlier rotations: for colours a < b, every
    a/b component without a locked meeting whose b-meetings fit better than its
    a-meetings swaps colours, until no swap raises sum(fit x (R - rotation)).
    Returns the number of swaps."""
    swaps = 0
    for _ in range(MAX_PASSES):
        changed = False
        for a in range(col.k):
            for b in range(a + 1, col.k):
                seen: set[int] = set()
                for e in range(len(col.eu)):
                    if e in seen or col.colour[e] not in (a, b):
                        continue
                    comp, gain, fixed = _component(col, e, a, b, fit)
                    seen.update(comp)
                    if gain > 0 and not fixed:
                        col.swap(comp, a, b)
                        swaps += 1
                        changed = True
        if not changed:
            break
    return swaps


def _component(
    col: Colouring, e: int, a: int, b: int, fit: list[int]
) -> tuple[list[int], int, bool]:
    """The a/b component of edge ``e``, the fit its b-edges hold over its a-edges,
    and whether it holds a locked edge."""
    comp = [e]
    inside = {e}
    stack = [col.eu[e], col.ev[e]]
    while stack:
        node = stack.pop()
        for c in (a, b):
            f = col.at[node][c]
            if f >= 0 and f not in inside:
                inside.add(f)
                comp.append(f)
                stack.append(col.ev[f] if col.eu[f] == node else col.eu[f])
    gain = sum(fit[f] if col.colour[f] == b else -fit[f] for f in comp)
    return comp, gain, any(col.fixed[f] for f in comp)

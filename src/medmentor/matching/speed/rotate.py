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
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from medmentor.matching.features import I64

F64 = npt.NDArray[np.float64]

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


def improve(col: Colouring, fit: I64, n: int, table_size: int) -> int:
    """Move fit to earlier rotations until no move below raises sum(fit x (R -
    rotation)); locked meetings never move. Returns the number of moves.

    1. Kempe chains of the seat graph: for colours a < b, every a/b component (a path
       or an even cycle) without a locked meeting whose b-meetings fit better than
       its a-meetings swaps its two colours. The components of one colour pair are
       disjoint, so all their improving swaps are made at once (NumPy, SciPy's
       connected components).
    2. Moves of one mentee at the mentor level (seats are an artifact of the
       colouring: a table takes any ``table_size`` mentees): a meeting moves to an
       earlier rotation where the mentee is free and the mentor's table has room, or
       two meetings of a mentee exchange rotations when both tables have room and
       the better fit comes first. The seats are then dealt again within each
       (mentor, rotation) and step 1 runs again.
    """
    eu = np.array(col.eu, dtype=np.int64)
    ev = np.array(col.ev, dtype=np.int64)
    mentor = (ev - n) // table_size
    colour = np.array(col.colour, dtype=np.int64)
    fixed = np.array(col.fixed, dtype=bool)
    weight = fit.astype(np.float64)  # exact: integers far below 2^53
    nodes = len(col.at)
    moves = 0
    for _ in range(MAX_PASSES):
        moves += _kempe_pass(eu, ev, colour, fixed, weight, nodes, col.k)
        moved = _mentee_moves(eu, mentor, colour, fixed, fit, col.k, table_size)
        if not moved:
            break
        moves += moved
        ev = _deal_again(n, mentor, colour, table_size)
    col.ev = ev.tolist()
    col.at = [[-1] * col.k for _ in range(nodes)]
    for e, c in enumerate(colour.tolist()):
        if c >= 0:
            col.put(e, c)
    return moves


def _kempe_pass(
    eu: I64, ev: I64, colour: I64, fixed: npt.NDArray[np.bool_], weight: F64, nodes: int, k: int
) -> int:
    """Step 1 of :func:`improve` until no component improves (colours in place)."""
    swaps = 0
    held_w = fixed.astype(np.float64)
    for _ in range(MAX_PASSES):
        changed = False
        for a in range(k):
            for b in range(a + 1, k):
                idx = np.flatnonzero((colour == a) | (colour == b))
                if not len(idx):
                    continue
                ones = np.ones(len(idx), dtype=np.int8)
                graph = coo_matrix((ones, (eu[idx], ev[idx])), shape=(nodes, nodes)).tocsr()
                count, label = connected_components(graph, directed=False)
                comp = label[eu[idx]]
                sign = np.where(colour[idx] == b, weight[idx], -weight[idx])
                gain = np.bincount(comp, weights=sign, minlength=count)
                held = np.bincount(comp, weights=held_w[idx], minlength=count) > 0
                flip = (gain > 0) & ~held
                if flip.any():
                    move = idx[flip[comp]]
                    colour[move] = a + b - colour[move]
                    swaps += int(flip.sum())
                    changed = True
        if not changed:
            break
    return swaps


def _mentee_moves(
    eu: I64,
    mentor: I64,
    colour: I64,
    fixed: npt.NDArray[np.bool_],
    fit: I64,
    k: int,
    table_size: int,
) -> int:
    """Step 2 of :func:`improve`: one sweep over the mentees (colours in place)."""
    kept = np.flatnonzero(colour >= 0)
    load = np.zeros((int(mentor.max(initial=-1)) + 1, k), dtype=np.int64)
    np.add.at(load, (mentor[kept], colour[kept]), 1)
    order = kept[np.argsort(eu[kept], kind="stable")]
    starts = np.flatnonzero(np.diff(eu[order], prepend=-1)) if len(order) else order
    groups = np.split(order, starts[1:]) if len(order) else []
    fits, cols, mentors, locks = fit.tolist(), colour.tolist(), mentor.tolist(), fixed.tolist()
    room = load.tolist()
    moves = 0
    for own in groups:
        edges = [e for e in own.tolist() if not locks[e]]
        busy = {cols[e] for e in own.tolist()}
        improved = True
        while improved:
            improved = False
            for e in sorted(edges, key=lambda x: -fits[x]):
                b, j = cols[e], mentors[e]
                for a in range(b):
                    if a not in busy and room[j][a] < table_size:
                        room[j][b] -= 1
                        room[j][a] += 1
                        busy.discard(b)
                        busy.add(a)
                        cols[e] = a
                        moves += 1
                        improved = True
                        break
                    if a in busy:
                        f = next((x for x in edges if cols[x] == a), -1)
                        jf = mentors[f] if f >= 0 else -1
                        if (
                            f >= 0
                            and fits[f] < fits[e]
                            and room[j][a] < table_size
                            and room[jf][b] < table_size
                        ):
                            room[j][b] -= 1
                            room[j][a] += 1
                            room[jf][a] -= 1
                            room[jf][b] += 1
                            cols[e], cols[f] = a, b
                            moves += 1
                            improved = True
                            break
                if improved:
                    break
    colour[:] = cols
    return moves


def _deal_again(n: int, mentor: I64, colour: I64, table_size: int) -> I64:
    """Seat nodes of the meetings: within each (mentor, rotation), seats 0, 1, ..."""
    ev = n + mentor * table_size
    kept = np.flatnonzero(colour >= 0)
    key = mentor[kept] * (int(colour.max(initial=0)) + 1) + colour[kept]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    first = np.searchsorted(sorted_key, sorted_key, side="left")
    seat = np.empty(len(kept), dtype=np.int64)
    seat[order] = np.arange(len(kept)) - first
    out = ev.copy()
    out[kept] = ev[kept] + seat
    return out

"""The optimality check of the maximum-score assignment over every eligible pair.

Prices ``u`` (per mentee) and ``v`` (per mentor, non-negative) that cover every
candidate arc (``u_i + v_j >= w_ij``, with ``w = score * scale + 1``) and whose
objective equals the assignment's total prove it optimal over all pairs once no
eligible pair left out has ``w_ij > u_i + v_j`` (LP duality). Checking that is the
costly part: it reads scores of pairs that were never arcs.

Most of them need not be read. A pair left out of mentee ``i`` scores at most
``kth_i`` (the score every arc of ``i`` by score reaches), so it can only beat the
prices where ``v_j < kth_i * scale + 1 - u_i``: only mentors cheaper than the mentee's
threshold. Mentors are sorted by price, each mentee needs a prefix of that order, and
mentees with similar thresholds share a block scoring the block's longest prefix
(under tight capacity, about a seventh of all pairs; with spare seats, a few mentees).
The check itself is exact: scores are integers and every sum is below 2**53.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.kernel import Kernel
from medmentor.matching.parallel import map_blocks
from medmentor.matching.scoring import raw_block

BLOCK_ELEMENTS = 1 << 21  # pairs scored at once (8 MiB of float32)
EMPTY: I64 = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Pairs:
    """Pairs (i, j) with their weight ``w`` and how far it exceeds ``u_i + v_j``."""

    i: I64
    j: I64
    w: I64
    excess: I64

    def __len__(self) -> int:
        return len(self.i)


def column_kernel(kern: Kernel, cols: I64) -> Kernel:
    """The kernel of the mentors at kernel columns ``cols`` (sorted), same groups.

    Every other mentor's ``pos`` is the spare column ``len(cols)`` (see ``raw_block``).
    """
    pos = np.full(len(kern.pos), len(cols), dtype=np.int64)
    pos[kern.perm[cols]] = np.arange(len(cols), dtype=np.int64)
    return Kernel(
        U=kern.U,
        Vt=np.ascontiguousarray(kern.Vt[:, cols]),
        bias=kern.bias,
        bounds=np.searchsorted(cols, kern.bounds).astype(np.int64),
        perm=kern.perm[cols],
        pos=pos,
        folded=kern.folded,
    )


def _blocks(rows: I64, reach: I64) -> list[tuple[I64, int]]:
    """Rows (sorted by reach) cut into blocks of about BLOCK_ELEMENTS pairs each:
    (the block's rows in index order, the block's longest prefix)."""
    out = []
    a = 0
    while a < len(rows):
        room = max(1, BLOCK_ELEMENTS // max(int(reach[a]), 1))
        b = min(len(rows), a + room)
        # reach grows along the rows: shrink the block until its longest prefix fits
        while b - a > 1 and (b - a) * int(reach[b - 1]) > BLOCK_ELEMENTS:
            b = a + max(1, BLOCK_ELEMENTS // int(reach[b - 1]))
        out.append((np.sort(rows[a:b]), int(reach[b - 1])))
        a = b
    return out


def improving_pairs(
    enc: Encoded,
    u: I64,
    v: I64,
    kth: I64,
    scale: int,
    per_row: int,
    margin: int = 0,
    arcs: I64 | None = None,
) -> Pairs:
    """Eligible pairs left out whose weight exceeds ``u_i + v_j - margin``, at most
    ``per_row`` per mentee, largest excess first.

    ``kth[i]``: a score that no pair of mentee ``i`` left out exceeds (negative: none
    is left out). With ``margin`` 0 no candidate arc can qualify (the prices cover
    them); with a margin, ``arcs`` (sorted keys ``i * m + j``) are left out.
    """
    kern = enc.kernel
    threshold = np.where(kth >= 0, kth * scale + 1 - u + margin, 0)
    prices = v[kern.perm]
    by_price = np.argsort(prices, kind="stable")
    reach = np.searchsorted(prices[by_price], threshold, side="left").astype(np.int64)
    rows = np.flatnonzero(reach > 0)
    if not len(rows):
        return Pairs(EMPTY, EMPTY, EMPTY, EMPTY)
    order = np.argsort(reach[rows], kind="stable")
    rows, reach = rows[order], reach[rows[order]]

    def check(block: tuple[I64, int]) -> tuple[I64, I64, I64, I64]:
        rows, width = block
        cols = np.sort(by_price[:width])
        s = np.empty((len(rows), width + 1), dtype=np.float32)
        raw_block(enc, rows, s, column_kernel(kern, cols))
        q = s[:, :width]
        excess = q.astype(np.float64) * scale + (1 + margin)
        excess -= u[rows][:, None]
        excess -= v[kern.perm[cols]][None, :]
        r, c = np.nonzero((excess > 0) & (q >= 0))
        mentors = kern.perm[cols[c]]
        got = excess[r, c].astype(np.int64) - margin
        w = q[r, c].astype(np.int64) * scale + 1
        i = rows[r]
        if arcs is not None and len(arcs):
            keys = i * enc.m + mentors
            at = np.minimum(np.searchsorted(arcs, keys), len(arcs) - 1)
            new = arcs[at] != keys
            i, mentors, w, got = i[new], mentors[new], w[new], got[new]
        order = np.lexsort((mentors, -got, i))
        i, mentors, w, got = i[order], mentors[order], w[order], got[order]
        keep = np.arange(len(i)) - np.searchsorted(i, i) < per_row
        return i[keep], mentors[keep], w[keep], got[keep]

    found = map_blocks(check, _blocks(rows, reach))
    i = np.concatenate([f[0] for f in found])
    order = np.argsort(i, kind="stable")
    return Pairs(
        i[order],
        np.concatenate([f[1] for f in found])[order],
        np.concatenate([f[2] for f in found])[order],
        np.concatenate([f[3] for f in found])[order],
    )

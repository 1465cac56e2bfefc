"""The fast score kernel: one matrix product per mentor group, hard rules folded in.

Scores are ``U @ Vt`` (see ``features``). Two exact rewrites make the product cheaper:

* **Groups.** Mentors are reordered by their code in the widest single-valued block
  (e.g. institution, into which province and time zone are folded). Within a group
  that block's contribution is one number per mentee, so its columns leave the
  product and come back as a single "bias" column, set per group.
* **Hard rules.** ``HU @ HVt`` counts the requirements a pair meets and the pair is
  eligible when the count reaches ``R``. Appending ``BIG * HU`` to ``U`` and
  ``-BIG * R`` to the bias makes every ineligible score at most ``SCALE - BIG < 0``
  and leaves eligible ones unchanged: "ineligible" is simply "negative". It is only
  done while every partial sum stays below 2**24 (exact in float32).

Columns of a block come back in the kernel's order (``perm``); :attr:`Kernel.pos`
maps a mentor to its column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medmentor.matching.features import F32, I64, SCALE

EXACT = float(1 << 24)
BIG = float(SCALE + 1)


@dataclass(frozen=True, eq=False)
class Kernel:
    """Arrays for :func:`scores`; ``bounds[g]:bounds[g+1]`` are group ``g``'s columns."""

    U: F32  # mentees x (rest columns [+ hard-rule columns] + bias)
    Vt: F32  # (rest [+ hard-rule] + ones) x mentors, in kernel order
    bias: F32  # mentees x groups: the grouped block's contribution (- BIG * R)
    bounds: I64
    perm: I64  # mentor at each kernel column
    pos: I64  # kernel column of each mentor
    folded: bool  # hard rules are in the product (else masked separately)

    @property
    def m(self) -> int:
        return int(self.Vt.shape[1])


def build_kernel(
    u: F32,
    vt: F32,
    hu: F32 | None,
    hvt: F32 | None,
    r: F32,
    group: I64,
    group_cols: I64,
) -> Kernel:
    """The kernel of scores ``u @ vt`` with hard rules ``(hu, hvt, r)``.

    ``group`` is each mentor's code in the grouped block and ``group_cols[c]`` the
    column of ``u`` holding code ``c`` (-1: none), or ``group_cols`` is empty.
    """
    n, m = u.shape[0], vt.shape[1]
    n_groups = len(group_cols)
    rest = np.ones(u.shape[1], dtype=bool)
    rest[group_cols[group_cols >= 0]] = False
    perm = np.argsort(group, kind="stable").astype(np.int64) if n_groups else np.arange(m)
    pos = np.empty(m, dtype=np.int64)
    pos[perm] = np.arange(m, dtype=np.int64)
    counts = np.bincount(group, minlength=n_groups) if n_groups else np.array([m])
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    bias = np.zeros((n, max(n_groups, 1)), dtype=np.float32)
    if n_groups:
        has = group_cols >= 0
        bias[:, has] = u[:, group_cols[has]]
    us = [u[:, rest]]
    vs = [vt[rest][:, perm]]
    folded = False
    if hu is not None and hvt is not None:
        top = float(np.abs(u).sum(axis=1).max(initial=0)) if n else 0.0
        folded = top + 2 * BIG * float(r.max(initial=0)) < EXACT
        if folded:
            us.append(BIG * hu)
            vs.append(hvt[:, perm])
            bias -= (BIG * r)[:, None]
    us.append(np.zeros((n, 1), dtype=np.float32))
    vs.append(np.ones((1, m), dtype=np.float32))
    return Kernel(
        U=np.ascontiguousarray(np.hstack(us), dtype=np.float32),
        Vt=np.ascontiguousarray(np.vstack(vs), dtype=np.float32),
        bias=bias,
        bounds=bounds,
        perm=perm,
        pos=pos,
        folded=folded,
    )


def scores(k: Kernel, rows: I64, out: F32 | None = None) -> F32:
    """Raw scores of mentees ``rows`` against every mentor, columns in kernel order.

    Eligible pairs (as far as the folded hard rules go) hold their score in
    [0, SCALE]; pairs breaking a folded rule are negative.
    """
    u = k.U[rows]
    s = np.empty((len(rows), k.m), dtype=np.float32) if out is None else out
    bias = k.bias[rows]
    last = u.shape[1] - 1
    for g in range(len(k.bounds) - 1):
        lo, hi = int(k.bounds[g]), int(k.bounds[g + 1])
        if hi == lo:
            continue
        u[:, last] = bias[:, g]
        np.matmul(u, k.Vt[:, lo:hi], out=s[:, lo:hi])
    return s


def unfolded_mask(
    hu: F32 | None, hvt: F32 | None, r: F32, k: Kernel, rows: I64
) -> npt.NDArray[np.bool_] | None:
    """Pairs breaking a hard rule that the kernel did not fold (kernel order)."""
    if k.folded or hu is None or hvt is None:
        return None
    need = r[rows]
    if not need.any():
        return None
    return np.asarray((hu[rows] @ hvt[:, k.perm]) < need[:, None])

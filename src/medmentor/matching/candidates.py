"""Block-wise candidate lists: each mentee's best mentors without a dense matrix.

``preference_lists`` returns, for every mentee, an exact prefix of its preference
order (the best ``k`` eligible mentors by score, ties broken by the seed; ranked
mentors first): memory stays at one score block plus ``k`` entries per mentee.
Called again for some mentees with a larger ``k``, it continues their orders, so
deferred acceptance over lazily extended lists is deferred acceptance over the full
lists.
``group_top`` finds every row's best entries of a score block while reading only a
few column groups of it (also used by the optimal assignment's candidate arcs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medmentor.matching.encode import Encoded
from medmentor.matching.features import F32, I64
from medmentor.matching.parallel import map_blocks
from medmentor.matching.scoring import block_rows, mentee_keys, raw_block, score_rows

SAMPLE = 512
GROUP = 32  # most columns per group in the fast top-k
EMPTY: I64 = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Lists:
    """Flat preference-list prefixes: entries of mentee ``i`` are ``start[i]:start[i+1]``.

    ``complete[i]``: the prefix is the whole list (every eligible mentor is in it).
    """

    i: I64
    j: I64
    q: I64
    start: I64
    complete: npt.NDArray[np.bool_]


def _kth_threshold(s: F32, k: int, cols: I64 | None) -> npt.NDArray[np.float32]:
    """A per-row score that at least ``k`` entries reach in most rows (cheap guess)."""
    m = s.shape[1]
    if cols is None or m <= 2 * len(cols):
        kk = min(k, m)
        return np.partition(s, m - kk, axis=1)[:, m - kk]
    sample = s[:, cols]
    r = min(len(cols), int(np.ceil(k * len(cols) / m * 1.5)) + 4)
    return np.partition(sample, len(cols) - r, axis=1)[:, len(cols) - r]


def _select(enc: Encoded, s: F32, rows: I64, k: int, cols: I64 | None) -> tuple[I64, I64, I64]:
    """Entries (row position, mentor, score) of the top-``k`` of every row of ``s``.

    Everything scoring at least the row's k-th best score survives, ties included, so
    sorting survivors by (score, seed) and keeping ``k`` gives the exact prefix.
    """
    t = np.maximum(_kth_threshold(s, k, cols), 0)
    mask = s >= t[:, None]
    counts = mask.sum(axis=1)
    short = np.flatnonzero(counts < k)
    if len(short):
        exact = _kth_threshold(s[short], k, None)
        t[short] = np.maximum(exact, 0)
        mask[short] = s[short] >= t[short, None]
    r, c = np.nonzero(mask)
    q = s[r, c].astype(np.int64)
    keys = mentee_keys(enc, rows[r], c, q)
    order = np.lexsort((-keys, r))
    r, c, q = r[order], c[order], q[order]
    first = np.searchsorted(r, np.arange(len(rows)))
    rank = np.arange(len(r)) - first[r]
    keep = rank < k
    return r[keep], c[keep], q[keep]


def _ranked_rows(enc: Encoded, s: F32, rows: I64, k: int) -> tuple[I64, I64, I64, I64]:
    """Entries of the rows whose mentee ranks: ranked mentors first, in order.

    At least the first ``k + 1`` eligible entries of each list (all when fewer), which
    is all the caller reads: a prefix of every list is checked first and only rows
    with too few eligible mentors in it are read in full (complete rank lists are
    long).
    """
    lists = [enc.mentee_ranks[i] for i in rows.tolist()]
    lengths = np.array([0 if x is None else len(x) for x in lists], dtype=np.int64)
    if not lengths.any():
        return EMPTY, EMPTY, EMPTY, EMPTY
    limit = 2 * k + 16
    cut = np.minimum(lengths, limit)
    r = np.repeat(np.arange(len(rows), dtype=np.int64), cut)
    c = np.concatenate([x[:limit] for x in lists if x is not None])
    q = s[r, c]
    ok = q >= 0
    short = np.flatnonzero((np.bincount(r[ok], minlength=len(rows)) <= k) & (lengths > limit))
    if len(short):
        whole = [lists[x] for x in short.tolist()]
        keep = np.ones(len(rows), dtype=bool)
        keep[short] = False
        part = keep[r]
        r = np.concatenate([r[part], np.repeat(short, lengths[short])])
        c = np.concatenate([c[part], *[x for x in whole if x is not None]])
        order = np.argsort(r, kind="stable")
        r, c = r[order], c[order]
        q = s[r, c]
        ok = q >= 0
    return r[ok], c[ok], q[ok].astype(np.int64), np.flatnonzero(lengths)


def group_size(m: int, k: int) -> int:
    """Columns per group for the top-``k`` of ``m`` columns (1: every column alone)."""
    w = GROUP
    while w > 1 and 4 * k * w > m:
        w //= 2
    return w


def padded(enc: Encoded, rows: I64, w: int) -> F32:
    """:func:`raw_block` with -1 columns appended up to a multiple of ``w``."""
    m = enc.kernel.m
    s = np.empty((len(rows), -(-m // w) * w), dtype=np.float32)
    s[:, m:] = -1.0
    raw_block(enc, rows, s)
    return s


def group_top(s: F32, k: int, w: int) -> tuple[I64, I64, npt.NDArray[np.float32]]:
    """Entries (row, column) of every row of ``s`` scoring at least its k-th best.

    Columns ``c, c + G, c + 2G, ...`` form group ``c``; the k-th best group maximum
    ``t`` is at most the row's k-th best score, and every entry above ``t`` lies in the
    ``k`` best groups, so only those are read, plus, where the k-th best equals
    ``t``, the entries equal to it in other groups. Returns the k-th best per row
    (negative: fewer than ``k`` eligible; then every eligible entry is returned).
    """
    b, width = s.shape
    g = width // w
    k = min(k, g)
    flat = s.reshape(-1)
    gm = s.reshape(b, w, g).max(axis=1)
    top = np.argpartition(gm, g - k, axis=1)[:, g - k :]
    t = np.take_along_axis(gm, top, axis=1).min(axis=1)
    step = g * np.arange(w, dtype=np.int64)
    cols = (top[:, :, None] + step).reshape(b, k * w)
    vals = flat.take(cols + (width * np.arange(b, dtype=np.int64))[:, None])
    kth = np.partition(vals, vals.shape[1] - k, axis=1)[:, vals.shape[1] - k]
    r, x = np.nonzero(vals >= np.maximum(kth, 0)[:, None])
    c = cols[r, x]
    tie = np.flatnonzero((kth >= 0) & (kth == t))
    if len(tie):
        other = gm[tie] >= t[tie, None]
        other[np.arange(len(tie))[:, None], top[tie]] = False
        tr, tg = np.nonzero(other)
        rr = np.repeat(tie[tr], w)
        cc = (tg[:, None] + step).ravel()
        hit = flat.take(rr * width + cc) == kth[rr]
        r, c = np.concatenate([r, rr[hit]]), np.concatenate([c, cc[hit]])
    return r.astype(np.int64), c.astype(np.int64), kth


@dataclass(frozen=True)
class After:
    """Where the lists of some mentees go on (see :func:`preference_lists`), per row:
    ``below`` is the mentee's key of its last listed mentor; ``floor`` is, per mentor,
    a score under which the mentor rejects every mentee."""

    below: I64
    floor: F32


def _fast_rows_lists(
    enc: Encoded, rows: I64, k: int, w: int, after: After | None = None
) -> tuple[I64, I64, I64, npt.NDArray[np.bool_]]:
    """:func:`_rows_lists` without rank lists, on the kernel's grouped scores."""
    s = padded(enc, rows, w)
    if after is not None:
        _keep_after(enc, rows, s, after)
    r, p, _ = group_top(s, k, w)
    q = s.reshape(-1).take(r * s.shape[1] + p).astype(np.int64)
    c = enc.kernel.perm[p]
    keys = mentee_keys(enc, rows[r], c, q)
    order = np.lexsort((-keys, r))
    r, c, q = r[order], c[order], q[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    keep = rank < k
    complete = np.bincount(r[keep], minlength=len(rows)) < k
    return rows[r[keep]], c[keep], q[keep], complete


def _keep_after(enc: Encoded, rows: I64, s: F32, after: After) -> None:
    """Set to -1 the entries of ``s`` (mentees ``rows``, kernel order) a mentee listed
    already (its key at least ``after.below``) and those under a mentor's floor."""
    k = enc.kernel
    last_q = after.below // enc.m  # the score of the last listed entry (no rank lists)
    last = last_q.astype(np.float32)[:, None]
    np.copyto(s, np.float32(-1.0), where=s > last)
    r, p = np.nonzero(s == last)  # ties with the last listed score: by the tie-break
    listed = mentee_keys(enc, rows[r], k.perm[p], last_q[r]) >= after.below[r]
    s[r[listed], p[listed]] = -1.0
    view = s[:, : k.m]
    np.copyto(view, np.float32(-1.0), where=view < after.floor[k.perm][None, :])


def _rows_lists(
    enc: Encoded, rows: I64, k: int, cols: I64 | None, after: After | None
) -> tuple[I64, I64, I64, npt.NDArray[np.bool_]]:
    if not enc.has_ranks:
        return _fast_rows_lists(enc, rows, k, group_size(enc.m, k), after)
    if after is not None:
        raise ValueError("lists with rank lists go on by position, not after a key")
    return _scan_rows_lists(enc, rows, k, cols)


def _scan_rows_lists(
    enc: Encoded, rows: I64, k: int, cols: I64 | None
) -> tuple[I64, I64, I64, npt.NDArray[np.bool_]]:
    """:func:`_rows_lists` by a threshold scan of whole rows (any rank lists)."""
    s = score_rows(enc, rows)
    rr, rc, rq, ranking = _ranked_rows(enc, s, rows, k)
    scan = np.arange(len(rows), dtype=np.int64)
    if len(ranking):
        s[rr, rc] = -1.0  # ranked mentors are listed first, not again by score
        if enc.exclusive:  # rows that rank list nobody else
            scan = np.setdiff1d(scan, ranking, assume_unique=True)
    if len(scan):
        r, c, q = _select(enc, s[scan], rows[scan], k, cols)
        r = scan[r]
    else:
        r, c, q = EMPTY, EMPTY, EMPTY
    if len(rr):
        # A list is a prefix of the order "ranked (eligible, in order), then by key":
        # the first k ranked entries, then scored ones up to k in all.
        first = np.arange(len(rr)) - np.searchsorted(rr, rr) < k
        rr, rc, rq = rr[first], rc[first], rq[first]
        room = k - np.bincount(rr, minlength=len(rows))
        keep = np.arange(len(r)) - np.searchsorted(r, r) < room[r]
        r = np.concatenate([rr, r[keep]])
        c = np.concatenate([rc, c[keep]])
        q = np.concatenate([rq, q[keep]])
        order = np.argsort(r, kind="stable")
        r, c, q = r[order], c[order], q[order]
    # A row with k entries may have more eligible mentors (checked when extended);
    # a shorter row holds every eligible mentor.
    complete = np.bincount(r, minlength=len(rows)) < k
    return rows[r], c, q, complete


def preference_lists(
    enc: Encoded, k: int, rows: I64 | None = None, after: After | None = None
) -> Lists:
    """The first ``k`` entries of each mentee's preference order (ranked mentors
    first), or with ``after`` (no rank lists), the next ``k`` entries that could be
    accepted: below each row's ``after.below`` and not under a mentor's
    ``after.floor``."""
    rows = np.arange(enc.n, dtype=np.int64) if rows is None else rows
    step = block_rows(enc)
    rng = np.random.default_rng(12345)
    cols = np.sort(rng.choice(enc.m, size=min(enc.m, SAMPLE), replace=False)).astype(np.int64)
    _ = enc.kernel  # built once, before the threads

    def block(a: int) -> tuple[I64, I64, I64, npt.NDArray[np.bool_]]:
        part = None if after is None else After(after.below[a : a + step], after.floor)
        return _rows_lists(enc, rows[a : a + step], k, cols, part)

    parts = map_blocks(block, range(0, len(rows), step))
    i = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    j = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    q = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
    complete = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, bool)
    start = np.searchsorted(i, rows).astype(np.int64)
    start = np.append(start, len(i))
    return Lists(i, j, q, start, complete)

"""Vectorised scores, masks and preference keys over an :class:`Encoded` problem.

``score_rows`` scores a block of mentees against every mentor with one matrix
product (no Python loop over pairs) and writes -1 where a hard rule forbids the pair.
Preference keys are integers, larger is better:

* a mentee prefers a higher score, then the mentor drawn first by the seed;
* a mentor prefers a higher score, then the mentee drawn first by the seed;
* an explicit rank list comes ahead of scores (and, when exclusive, is the whole list).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medmentor.matching import kernel
from medmentor.matching.encode import Encoded
from medmentor.matching.features import F32, I64, SCALE
from medmentor.matching.inputs import COMPONENTS

RANKED = 1 << 62  # key of a ranked partner: RANKED - position
B_ELEMENTS = 1 << 22  # elements of one score block (64 MiB of float32)


def block_rows(enc: Encoded, elements: int = B_ELEMENTS) -> int:
    """How many mentees to score at once so a block stays within ``elements``."""
    return int(max(16, min(enc.n, elements // max(enc.m, 1))))


def _rank_tables(enc: Encoded) -> tuple[I64, I64, I64, I64, I64, I64]:
    """Flat rank entries: mentee side (i, j, pos) and mentor side (i, j, pos), by i."""
    return enc.rank_tables


def _span(rows: I64, idx: I64) -> slice:
    """The part of ``idx`` (sorted) between the first and last of ``rows`` (sorted)."""
    if len(rows) == 0:
        return slice(0, 0)
    lo = int(np.searchsorted(idx, rows[0], side="left"))
    return slice(lo, int(np.searchsorted(idx, rows[-1], side="right")))


def _in_rows(rows: I64, idx: I64) -> tuple[npt.NDArray[np.bool_], I64]:
    """Which of ``idx`` fall in the sorted ``rows``, and at which position."""
    if len(rows) == 0:
        return np.zeros(len(idx), dtype=bool), np.zeros(len(idx), dtype=np.int64)
    pos = np.searchsorted(rows, idx)
    pos_c = np.minimum(pos, len(rows) - 1)
    return rows[pos_c] == idx, pos_c


def raw_block(
    enc: Encoded, rows: I64, out: F32 | None = None, columns: kernel.Kernel | None = None
) -> F32:
    """Scores of mentees ``rows`` (sorted) against all mentors in kernel column order
    (``enc.kernel.perm``); ineligible pairs (hard rules, exclusions, exclusive rank
    lists) are negative.

    ``columns``: a kernel of some of the mentors instead (its ``pos`` sends every other
    mentor to a spare last column of ``out``, which is written to and ignored)."""
    k = enc.kernel if columns is None else columns
    s = kernel.scores(k, rows, out)
    bad = kernel.unfolded_mask(enc.HU, enc.HVt, enc.R, k, rows)
    if bad is not None:
        np.copyto(s[:, : k.m], np.float32(-1.0), where=bad)
    if len(enc.ex_i):
        part = _span(rows, enc.ex_i)  # exclusions are sorted by mentee
        hit, pos = _in_rows(rows, enc.ex_i[part])
        s[pos[hit], k.pos[enc.ex_j[part][hit]]] = -1.0
    if enc.exclusive and enc.dense_ranks is not None:
        mentee_ranks, mentor_ranks = enc.ranking
        mentee_tab, mentor_tab = enc.dense_ranks
        m = k.m
        if mentor_ranks.any():
            bad = (mentor_tab[rows][:, k.perm] < 0) & mentor_ranks[k.perm][None, :]
            np.copyto(s[:, :m], np.minimum(s[:, :m], -1.0), where=bad)
        ranking = np.flatnonzero(mentee_ranks[rows])
        if len(ranking):
            bad = mentee_tab[rows[ranking]][:, k.perm] < 0
            listed = s[ranking, :m]
            np.copyto(listed, np.minimum(listed, -1.0), where=bad)
            s[ranking, :m] = listed
    elif enc.exclusive:
        ei, ej, _, mi, mj, _ = _rank_tables(enc)
        part = _span(rows, ei)  # rank entries are sorted by mentee
        ei, ej = ei[part], ej[part]
        part = _span(rows, mi)
        mi, mj = mi[part], mj[part]
        mentee_ranks, mentor_ranks = enc.ranking
        ranked_cols = k.pos[np.flatnonzero(mentor_ranks)]
        if len(ranked_cols):
            hit, pos = _in_rows(rows, mi)
            keep = s[pos[hit], k.pos[mj[hit]]]
            if len(ranked_cols) == k.m:
                s[:, : k.m] = -1.0
            else:
                s[:, ranked_cols] = -1.0
            s[pos[hit], k.pos[mj[hit]]] = keep
        ranking = np.flatnonzero(mentee_ranks[rows])
        if len(ranking):
            hit, pos = _in_rows(rows, ei)
            keep = s[pos[hit], k.pos[ej[hit]]]
            if len(ranking) == len(rows):
                s[:, : k.m] = -1.0
            else:
                s[ranking, : k.m] = -1.0
            s[pos[hit], k.pos[ej[hit]]] = keep
    return s


def score_rows(enc: Encoded, rows: I64) -> F32:
    """Scores (integers as float32) of mentees ``rows`` (sorted) against all mentors.

    Ineligible pairs hold -1.
    """
    s: F32 = raw_block(enc, rows)[:, enc.kernel.pos]
    np.maximum(s, np.float32(-1.0), out=s)
    return s


def pair_scores(enc: Encoded, i: I64, j: I64) -> I64:
    """Integer scores of the pairs (i[k], j[k]) (eligibility not checked)."""
    out = np.empty(len(i), dtype=np.int64)
    step = max(1, B_ELEMENTS // max(enc.U.shape[1], 1))
    for a in range(0, len(i), step):
        u = enc.U[i[a : a + step]].astype(np.float64)
        v = enc.Vt[:, j[a : a + step]].T.astype(np.float64)
        out[a : a + step] = np.rint(np.einsum("ij,ij->i", u, v)).astype(np.int64)
    return out


def _member(table: I64, keys: I64) -> npt.NDArray[np.bool_]:
    """Whether each of ``keys`` is in the sorted ``table``."""
    if len(table) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.asarray(table[at] == keys)


def pair_eligible(enc: Encoded, i: I64, j: I64) -> npt.NDArray[np.bool_]:
    """Whether each pair (i[k], j[k]) passes every hard rule (same rules as score_rows)."""
    ok = np.ones(len(i), dtype=bool)
    if enc.HU is not None and enc.HVt is not None:
        got = np.einsum("ij,ij->i", enc.HU[i], enc.HVt[:, j].T)
        ok &= got >= enc.R[i]
    ok &= ~_member(np.sort(enc.ex_i * enc.m + enc.ex_j), i * enc.m + j)
    if enc.exclusive:
        ei, ej, _, mi, mj, _ = _rank_tables(enc)
        ranking_mentee, ranking_mentor = enc.ranking
        listed = _member(np.sort(mj * enc.n + mi), j * enc.n + i)
        ok &= ~ranking_mentor[j] | listed
        listed = _member(np.sort(ei * enc.m + ej), i * enc.m + j)
        ok &= ~ranking_mentee[i] | listed
    return ok


def components(enc: Encoded, i: I64, j: I64) -> npt.NDArray[np.float64]:
    """The four Cs of each pair, each in [0, 1] (NaN where the weight is 0)."""
    out = np.empty((len(i), len(COMPONENTS)), dtype=np.float64)
    v = enc.Vt[:, j].T.astype(np.float64)
    for c in range(len(COMPONENTS)):
        raw = np.einsum("ij,ij->i", enc.UC[c][i].astype(np.float64), v)
        b = enc.budget[i, c]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, c] = np.where(b > 0, np.clip(raw / np.where(b > 0, b, 1), 0, 1), np.nan)
    return out


def mentee_keys(enc: Encoded, i: I64, j: I64, q: I64) -> I64:
    """How much mentee ``i`` wants mentor ``j`` (larger is better)."""
    keys = q * enc.m + (enc.m - 1 - enc.tb_m[j])
    if enc.dense_ranks is not None:
        _override_dense(keys, enc.dense_ranks[0][i, j])
        return keys
    table, pos, _, _ = enc.rank_lookup
    _override(keys, table, pos, i, j, enc.m)
    return keys


def mentor_keys(enc: Encoded, i: I64, j: I64, q: I64) -> I64:
    """How much mentor ``j`` wants mentee ``i`` (larger is better)."""
    keys = q * enc.n + (enc.n - 1 - enc.tb_e[i])
    if enc.dense_ranks is not None:
        _override_dense(keys, enc.dense_ranks[1][i, j])
        return keys
    _, _, table, pos = enc.rank_lookup
    _override(keys, table, pos, j, i, enc.n)
    return keys


def _override_dense(keys: I64, pos: npt.NDArray[np.int32]) -> None:
    """Set ``keys`` of listed pairs (``pos`` >= 0) to RANKED - position."""
    hit = pos >= 0
    keys[hit] = RANKED - pos[hit].astype(np.int64)


def _override(keys: I64, table: I64, pos: I64, qi: I64, qj: I64, width: int) -> None:
    """Set ``keys`` of ranked pairs (owner qi, other qj) to RANKED - position
    (``table``: sorted keys owner * width + other of the rank entries)."""
    if len(table) == 0:
        return
    look = qi * width + qj
    sorted_look = np.argsort(look, kind="stable")
    at = np.empty(len(look), dtype=np.int64)
    at[sorted_look] = np.searchsorted(table, look[sorted_look])
    at = np.minimum(at, len(table) - 1)
    hit = table[at] == look
    keys[hit] = RANKED - pos[at[hit]]


def to_score(q: I64 | int) -> npt.NDArray[np.float64] | float:
    """Integer score to a float in [0, 1]."""
    return np.asarray(q, dtype=np.float64) / SCALE

"""Mentee-proposing deferred acceptance with capacities (hospitals/residents).

Each mentee proposes down its preference order; a full mentor keeps the mentees it
prefers and rejects the worst. Lists start as exact prefixes of every mentee's order
(``candidates.preference_lists``); a mentee who exhausts its prefix gets the next part
lazily (in batches, with growing length), so the outcome is the mentee-optimal stable
matching over the full pair set: deferred acceptance does not depend on the order of
proposals, and a lazily produced list is the same list.
"""

from __future__ import annotations

import heapq

import numpy as np

from medmentor.matching.candidates import preference_lists
from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.scoring import mentor_keys

FIRST_K = 24


def deferred_acceptance(enc: Encoded, k: int = FIRST_K) -> tuple[I64, I64, int]:
    """Return (mentor of each mentee or -1, score of each pair or -1, extensions)."""
    n = enc.n
    match = np.full(n, -1, dtype=np.int64)
    if n == 0 or enc.m == 0:
        return match, np.full(n, -1, dtype=np.int64), 0
    lists = preference_lists(enc, k)
    # Flat entries (mentor, score, mentor's key); mentee i proposes along
    # ptr[i]:ends[i]. An extension appends the next part and moves the range there.
    flat_j: list[int] = lists.j.tolist()
    q_parts: list[I64] = [lists.q]  # scores are read once, at the end
    flat_key: list[int] = mentor_keys(enc, lists.i, lists.j, lists.q).tolist()
    start: list[int] = lists.start.tolist()
    ends: list[int] = start[1:]
    ptr: list[int] = start[:-1]
    complete: list[bool] = lists.complete.tolist()
    listed = np.diff(lists.start)
    heaps: list[list[tuple[int, int]]] = [[] for _ in range(enc.m)]
    cap: list[int] = enc.capacity.tolist()
    matched = [-1] * n
    at = [-1] * n  # entry of the accepted proposal
    free = list(range(n - 1, -1, -1))
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    rounds = 0
    length = k
    while True:
        exhausted: list[int] = []
        while free:
            i = free.pop()
            p, end = ptr[i], ends[i]
            while p < end:
                j, key = flat_j[p], flat_key[p]
                p += 1
                h = heaps[j]
                if len(h) < cap[j]:
                    heappush(h, (key, i))
                elif h[0][0] < key:
                    out = heapreplace(h, (key, i))[1]
                    matched[out] = -1
                    free.append(out)
                else:
                    continue
                matched[i], at[i] = j, p - 1
                break
            else:
                if not complete[i]:
                    exhausted.append(i)
            ptr[i] = p
        if not exhausted:
            break
        rounds += 1
        length = min(length * 4, enc.m + 1)
        rows = np.array(sorted(exhausted), dtype=np.int64)
        have = listed[rows]
        # No list is longer than m: past m + 1 a larger k only costs (and overflows).
        more = preference_lists(enc, min(int(have.max()) + length, enc.m + 1), rows)
        # Each row's new entries (past the ``have`` it had) go to the end of the flat
        # lists in one piece, rows in order.
        counts = np.diff(more.start)
        row_of = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        take = np.arange(len(more.j)) - more.start[:-1][row_of] >= have[row_of]
        new_j, new_q = more.j[take], more.q[take]
        added = counts - have
        begin = len(flat_j) + np.cumsum(added) - added
        flat_j.extend(new_j.tolist())
        q_parts.append(new_q)
        flat_key.extend(mentor_keys(enc, more.i[take], new_j, new_q).tolist())
        listed[rows] = counts
        for i, b, c, done in zip(
            rows.tolist(), begin.tolist(), added.tolist(), more.complete.tolist(), strict=True
        ):
            ptr[i] = b
            ends[i] = b + c
            complete[i] = done
            free.append(i)
    match[:] = matched
    entry = np.array(at, dtype=np.int64)
    pair_q = np.full(n, -1, dtype=np.int64)
    has = match >= 0
    pair_q[has] = np.concatenate(q_parts)[entry[has]]
    return match, pair_q, rounds

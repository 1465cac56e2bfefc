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
    flat_q: list[int] = lists.q.tolist()
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
        length *= 4
        rows = np.array(sorted(exhausted), dtype=np.int64)
        have = listed[rows]
        more = preference_lists(enc, int(have.max()) + length, rows)
        keys = mentor_keys(enc, more.i, more.j, more.q)
        for pos, i in enumerate(rows.tolist()):
            a = int(more.start[pos]) + int(have[pos])
            b = int(more.start[pos + 1])
            ptr[i] = len(flat_j)
            flat_j.extend(more.j[a:b].tolist())
            flat_q.extend(more.q[a:b].tolist())
            flat_key.extend(keys[a:b].tolist())
            ends[i] = len(flat_j)
            listed[i] = b - int(more.start[pos])
            complete[i] = bool(more.complete[pos])
            free.append(i)
    match[:] = matched
    pair_q = np.array([flat_q[e] if e >= 0 else -1 for e in at], dtype=np.int64)
    pair_q[match < 0] = -1
    return match, pair_q, rounds

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

from medmentor.matching.candidates import Lists, preference_lists
from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.scoring import mentor_keys

FIRST_K = 24


def _mentor_key_lists(enc: Encoded, lists: Lists) -> list[int]:
    return mentor_keys(enc, lists.i, lists.j, lists.q).tolist()  # type: ignore[no-any-return]


def deferred_acceptance(enc: Encoded, k: int = FIRST_K) -> tuple[I64, I64, int]:
    """Return (mentor of each mentee or -1, score of each pair or -1, extensions)."""
    n = enc.n
    match = np.full(n, -1, dtype=np.int64)
    if n == 0 or enc.m == 0:
        return match, np.full(n, -1, dtype=np.int64), 0
    lists = preference_lists(enc, k)
    # Per mentee: (mentors, scores, mentor keys), pointer into them, and completeness.
    flat_j: list[int] = lists.j.tolist()
    flat_q: list[int] = lists.q.tolist()
    flat_key = _mentor_key_lists(enc, lists)
    start: list[int] = lists.start.tolist()
    ends: list[int] = start[1:]
    ptr: list[int] = start[:-1]
    complete: list[bool] = lists.complete.tolist()
    extra: dict[int, tuple[list[int], list[int], list[int]]] = {}
    listed = np.diff(lists.start)
    heaps: list[list[tuple[int, int, int]]] = [[] for _ in range(enc.m)]
    cap: list[int] = enc.capacity.tolist()
    pair_q = [-1] * n
    matched = [-1] * n
    free = list(range(n - 1, -1, -1))
    rounds = 0
    length = k
    while True:
        exhausted: list[int] = []
        while free:
            i = free.pop()
            if i in extra:
                js, qs, ks = extra[i]
                p = ptr[i]
                if p >= len(js):
                    if not complete[i]:
                        exhausted.append(i)
                    continue
                j, q, key = js[p], qs[p], ks[p]
            else:
                p = ptr[i]
                if p >= ends[i]:
                    if not complete[i]:
                        exhausted.append(i)
                    continue
                j, q, key = flat_j[p], flat_q[p], flat_key[p]
            ptr[i] = p + 1
            h = heaps[j]
            if len(h) < cap[j]:
                heapq.heappush(h, (key, i, q))
                matched[i], pair_q[i] = j, q
            elif h[0][0] < key:
                _, out, _ = heapq.heapreplace(h, (key, i, q))
                matched[i], pair_q[i] = j, q
                matched[out] = -1
                free.append(out)
            else:
                free.append(i)
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
            extra[i] = (more.j[a:b].tolist(), more.q[a:b].tolist(), keys[a:b].tolist())
            ptr[i] = 0
            listed[i] = b - int(more.start[pos])
            complete[i] = bool(more.complete[pos])
            free.append(i)
    match[:] = matched
    return match, np.array(pair_q, dtype=np.int64), rounds

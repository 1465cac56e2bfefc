"""Mentee-proposing deferred acceptance with capacities (hospitals/residents).

Each mentee proposes down its preference order; a full mentor keeps the mentees it
prefers and rejects the worst. The proposals run in rounds, vectorised: every free
mentee proposes to its next mentor at once, and each mentor keeps its best ``capacity``
among those it holds and those proposing. Deferred acceptance does not depend on the
order of proposals, so this is the same matching as one proposal at a time.

Lists start as exact prefixes of every mentee's order (``candidates.preference_lists``);
a mentee who exhausts its prefix gets the next part lazily, with growing length, so the
outcome is the mentee-optimal stable matching over the full pair set: a lazily
produced list is the same list. Without rank lists, the next part leaves out the
mentors who would certainly reject the mentee (full, with every seat's key above
anything the mentee can offer): a proposal that can only be rejected changes nothing.
"""

from __future__ import annotations

import numpy as np

from medmentor.matching.candidates import After, Lists, preference_lists
from medmentor.matching.encode import Encoded
from medmentor.matching.features import F32, I64
from medmentor.matching.scoring import mentee_keys, mentor_keys

FIRST_K = 8
GROWTH = 2
WINDOW = 8  # entries a free mentee looks at per round
STEPS = np.arange(WINDOW, dtype=np.int64)[None, :]
EMPTY = -1  # key of an empty seat: below every proposal's key (keys are >= 0)


class _Seats:
    """Every mentor's seats, ``capacity[j]`` of them from ``start[j]``, best key first."""

    def __init__(self, capacity: I64) -> None:
        self.capacity = capacity
        self.start = np.concatenate([[0], np.cumsum(capacity)[:-1]]).astype(np.int64)
        total = int(capacity.sum())
        self.mentee = np.full(total, -1, dtype=np.int64)
        self.key = np.full(total, EMPTY, dtype=np.int64)
        self.owner = np.repeat(np.arange(len(capacity), dtype=np.int64), capacity)
        # The key a proposal must beat: the last seat's (EMPTY while a seat is free).
        self.worst = np.full(len(capacity), EMPTY, dtype=np.int64)

    def admit(self, i: I64, j: I64, key: I64) -> I64:
        """Mentees ``i`` propose to mentors ``j`` with the mentors' ``key`` for them
        (one proposal per mentee); returns the mentees who lost a seat or got none."""
        mentors = np.unique(j)
        counts = self.capacity[mentors]
        # The seats of the mentors proposed to, each mentor's consecutive, in order.
        seat = np.repeat(self.start[mentors] - np.cumsum(counts) + counts, counts) + np.arange(
            int(counts.sum()), dtype=np.int64
        )
        all_i = np.concatenate([self.mentee[seat], i])
        all_j = np.concatenate([self.owner[seat], j])
        all_k = np.concatenate([self.key[seat], key])
        order = np.lexsort((-all_k, all_j))
        all_i, all_j, all_k = all_i[order], all_j[order], all_k[order]
        rank = np.arange(len(order), dtype=np.int64) - np.searchsorted(all_j, all_j)
        keep = rank < self.capacity[all_j]
        self.mentee[seat] = all_i[keep]  # seats of a mentor are consecutive, as is ``keep``
        self.key[seat] = all_k[keep]
        self.worst[mentors] = self.key[self.start[mentors] + counts - 1]
        out: I64 = all_i[~keep]
        return out[out >= 0]


class _Entries:
    """The flat preference entries, appended to in place (room doubles when full)."""

    def __init__(self, j: I64, q: I64, key: I64) -> None:
        self.j, self.q, self.key = j, q, key
        self.size = len(j)

    def append(self, j: I64, q: I64, key: I64) -> int:
        """Add entries at the end; returns where they start."""
        begin, self.size = self.size, self.size + len(j)
        if self.size > len(self.j):
            room = max(self.size, 2 * len(self.j))
            self.j, self.q, self.key = (
                np.concatenate([a[:begin], np.empty(room - begin, dtype=np.int64)])
                for a in (self.j, self.q, self.key)
            )
        self.j[begin : self.size] = j
        self.q[begin : self.size] = q
        self.key[begin : self.size] = key
        return begin


def deferred_acceptance(enc: Encoded, k: int | None = None) -> tuple[I64, I64, int]:
    """Return (mentor of each mentee or -1, score of each pair or -1, extensions).

    ``k``: length of the first lists (default ``FIRST_K``).
    """
    k = FIRST_K if k is None else k
    n = enc.n
    match = np.full(n, -1, dtype=np.int64)
    pair_q = np.full(n, -1, dtype=np.int64)
    if n == 0 or enc.m == 0:
        return match, pair_q, 0
    lists = preference_lists(enc, k)
    # Flat entries (mentor, score, mentor's key); mentee i proposes along
    # ptr[i]:end[i]. An extension appends the next part and moves the range there.
    entries = _Entries(lists.j, lists.q, mentor_keys(enc, lists.i, lists.j, lists.q))
    ptr, end = lists.start[:-1].copy(), lists.start[1:].copy()
    complete = lists.complete.copy()
    listed = np.diff(lists.start)
    seats = _Seats(enc.capacity)
    proposed = np.full(n, -1, dtype=np.int64)  # entry of each mentee's last proposal
    free = np.arange(n, dtype=np.int64)
    rounds = 0
    length = k
    while True:
        exhausted: list[I64] = []
        while len(free):
            has = ptr[free] < end[free]
            exhausted.append(free[~has & ~complete[free]])
            free = free[has]
            # Each free mentee looks at its next WINDOW entries and proposes to the
            # first mentor whose worst seat it beats: the ones before would reject it
            # (seats only get better), so skipping them is proposing and being
            # rejected, without a round each (long rank lists are mostly that).
            start, left = ptr[free], end[free] - ptr[free]
            entry = start[:, None] + STEPS
            seen = left[:, None] > STEPS
            entry = np.where(seen, entry, start[:, None])
            j, key = entries.j[entry], entries.key[entry]
            beats = seen & (key > seats.worst[j])
            proposes = beats.any(axis=1)
            first = beats.argmax(axis=1)
            last = np.where(proposes, first, np.minimum(left, WINDOW) - 1)
            ptr[free] = start + last + 1
            proposed[free] = start + last
            at = np.flatnonzero(proposes)
            if len(at):
                pick = first[at]
                displaced = seats.admit(free[at], j[at, pick], key[at, pick])
                free = np.concatenate([free[~proposes], displaced])
        waiting = np.sort(np.concatenate(exhausted))
        if not len(waiting):
            break
        rounds += 1
        length = min(length * GROWTH, enc.m + 1)
        if enc.has_ranks:
            more = _extend(enc, waiting, listed[waiting], length)
        else:
            last = proposed[waiting]
            below = mentee_keys(enc, waiting, entries.j[last], entries.q[last])
            more = preference_lists(enc, length, waiting, After(below, _floor(enc, seats)))
        offset = entries.append(more.j, more.q, mentor_keys(enc, more.i, more.j, more.q))
        begin = offset + more.start[:-1]
        listed[waiting] += np.diff(more.start)
        ptr[waiting], end[waiting] = begin, begin + np.diff(more.start)
        complete[waiting] = more.complete
        free = waiting
    held = seats.mentee >= 0
    match[seats.mentee[held]] = seats.owner[held]
    has = match >= 0
    pair_q[has] = entries.q[proposed[has]]
    return match, pair_q, rounds


def _floor(enc: Encoded, seats: _Seats) -> F32:
    """Per mentor, a score under which it rejects every mentee: a full mentor's worst
    seat's, unless the mentor ranks (a ranked mentee comes first whatever its score).
    Seats only get better, so a mentor under its floor now stays so: leaving it out
    of a list skips a proposal that could only be rejected."""
    floor = np.maximum(seats.worst, 0) // enc.n
    floor[enc.ranking[1]] = 0
    return floor.astype(np.float32)


def _extend(enc: Encoded, rows: I64, have: I64, length: int) -> Lists:
    """The entries of ``rows`` (sorted) past the ``have`` each already has, up to
    ``have.max() + length`` in all (no list is longer than m: past m + 1 a larger
    ``k`` only costs)."""
    more = preference_lists(enc, min(int(have.max()) + length, enc.m + 1), rows)
    counts = np.diff(more.start)
    row_of = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    take = np.arange(len(more.j)) - more.start[:-1][row_of] >= have[row_of]
    added = counts - have
    start = np.concatenate([[0], np.cumsum(added)]).astype(np.int64)
    return Lists(more.i[take], more.j[take], more.q[take], start, more.complete)

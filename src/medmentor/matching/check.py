"""Checks of pairs and matchings: hard rules, capacities, and blocking pairs.

``broken_rules`` reads the people directly (not the encoded masks), so it also
serves as an independent check of the vectorised masks in the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from medmentor.matching.encode import Encoded
from medmentor.matching.features import I64
from medmentor.matching.inputs import Mentee, Mentor, Problem
from medmentor.matching.result import Violation
from medmentor.matching.scoring import (
    block_rows,
    mentee_keys,
    mentor_keys,
    pair_scores,
    score_rows,
)


def broken_rules(
    problem: Problem, e: Mentee, t: Mentor, excluded: set[tuple[str, str]]
) -> tuple[str, ...]:
    """Plain-English hard rules the pair (e, t) breaks."""
    out: list[str] = []
    if (e.id, t.id) in excluded:
        out.append("excluded: reporting line or conflict of interest")
    rules = problem.rules
    if rules.require_shared_language and e.languages and t.languages:  # noqa: SIM102
        if not e.languages & t.languages:
            out.append("no shared language")
    se, st = e.career_stage, t.career_stage
    if rules.seniority != "any" and se is not None and st is not None:  # noqa: SIM102
        if st < se or (rules.seniority == "strict" and st == se):
            word = "above" if rules.seniority == "strict" else "at or above"
            out.append(f"mentor's career stage is not {word} the mentee's")
    for pref in e.preferences:
        if not pref.required:
            continue
        if pref.attribute == "language":
            met = bool(pref.values & t.languages)
        else:
            met = getattr(t, pref.attribute) in pref.values
        if not met:
            out.append(f"required preference not met: {pref.attribute}")
    if rules.ranks_exclusive:
        if e.ranks and t.id not in e.ranks:
            out.append("mentor not in the mentee's ranks")
        if t.ranks and e.id not in t.ranks:
            out.append("mentee not in the mentor's ranks")
    return tuple(out)


def pair_violations(
    problem: Problem, pairs: Iterable[tuple[str, str]], excluded: set[tuple[str, str]]
) -> list[Violation]:
    """Unknown ids, mentees matched twice, over-full mentors and broken rules."""
    mentees = {m.id: m for m in problem.mentees}
    mentors = {t.id: t for t in problem.mentors}
    out: list[Violation] = []
    pairs = list(pairs)
    seen = Counter(a for a, _ in pairs)
    load = Counter(b for _, b in pairs)
    for a, b in pairs:
        if a not in mentees or b not in mentors:
            out.append(Violation("unknown", a, b, f"unknown mentee or mentor in ({a}, {b})"))
            continue
        for rule in broken_rules(problem, mentees[a], mentors[b], excluded):
            out.append(Violation("rule", a, b, rule))
    out.extend(
        Violation("duplicate", a, None, f"mentee {a} is matched {k} times")
        for a, k in sorted(seen.items())
        if k > 1
    )
    for b, k in sorted(load.items()):
        if b in mentors and k > mentors[b].capacity:
            cap = mentors[b].capacity
            out.append(
                Violation("capacity", None, b, f"mentor {b} has {k} mentees, capacity {cap}")
            )
    given = set(pairs)
    for a, b in problem.locked:
        if (a, b) not in given:
            out.append(Violation("locked", a, b, f"locked pair ({a}, {b}) is missing"))
    return out


def blocking_pairs(enc: Encoded, match: I64, limit: int = 50) -> tuple[int, list[tuple[int, int]]]:
    """Count pairs (i, j) that both prefer each other to what they have.

    ``match`` gives each mentee's mentor (-1: none) within ``enc``; mentor capacities
    are ``enc.capacity``. Works block-wise over all pairs (never a dense matrix).
    """
    n, m = enc.n, enc.m
    has = match >= 0
    idx = np.flatnonzero(has)
    cur_q = np.full(n, -1, dtype=np.int64)
    cur_key = np.full(n, -1, dtype=np.int64)
    worst = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    load = np.bincount(match[has], minlength=m)
    if len(idx):
        cur_q[idx] = pair_scores(enc, idx, match[idx])
        cur_key[idx] = mentee_keys(enc, idx, match[idx], cur_q[idx])
        np.minimum.at(worst, match[idx], mentor_keys(enc, idx, match[idx], cur_q[idx]))
    open_ = load < enc.capacity
    ranking = np.array([r is not None for r in enc.mentee_ranks], dtype=bool)
    floor = np.where(ranking | ~has, 0, cur_q).astype(np.float32)
    total = 0
    found: list[tuple[int, int]] = []
    step = block_rows(enc)
    for a in range(0, n, step):
        rows = np.arange(a, min(n, a + step), dtype=np.int64)
        s = score_rows(enc, rows)
        r, c = np.nonzero((s >= floor[rows, None]) & (s >= 0))
        i = rows[r]
        q = s[r, c].astype(np.int64)
        better = mentee_keys(enc, i, c, q) > cur_key[i]
        i, c, q = i[better], c[better], q[better]
        accept = open_[c] | (mentor_keys(enc, i, c, q) > worst[c])
        total += int(accept.sum())
        found.extend(zip(i[accept][:limit].tolist(), c[accept][:limit].tolist(), strict=True))
    return total, found[:limit]

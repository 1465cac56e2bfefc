"""Mentoring groups: the facade (encode, start, repair, search, results, reasons)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from medmentor.matching.circles import circle_reasons
from medmentor.matching.encode import Encoded, encode
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.explain import Explainer
from medmentor.matching.features import I64, SCALE
from medmentor.matching.groups.flow import flow_assign, open_mentors
from medmentor.matching.groups.model import (
    UNPLACED_MESSAGES,
    Group,
    GroupsResult,
    UnplacedMentee,
    checked_problem,
)
from medmentor.matching.groups.search import SMALL, Grouping, PairTable, iterate
from medmentor.matching.inputs import Mentee, Mentor, Problem, excluded_pairs
from medmentor.matching.optimal import _candidate_arcs
from medmentor.matching.parallel import cyclic_gc_paused, single_threaded_blas
from medmentor.matching.scoring import pair_scores, score_rows

MAX_REASONS = 5


def form_groups(
    problem: Problem,
    *,
    size_min: int,
    size_max: int,
    max_per_institution: int | None = None,
    exclusions: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> GroupsResult:
    """Form mentoring groups: each mentor leads at most one group of ``size_min`` to
    ``min(capacity, size_max)`` mentees, maximising the total pair score (mentee ->
    mentor) with as many mentees placed as the rules allow (see the package).

    Every mentor-mentee pair of a group passes the pair engine's hard rules;
    ``exclusions`` are unordered id pairs (mentees or mentors) never in one group,
    besides ``problem.exclusions`` and each person's ``exclude``; at most
    ``max_per_institution`` mentees of one institution per group. Locked pairs are
    kept (their groups are never dissolved). The same input and seed give the same
    result.
    """
    problem, peer = checked_problem(problem, size_min, size_max, max_per_institution, exclusions)
    with single_threaded_blas(), cyclic_gc_paused():
        return _form(problem, size_min, size_max, max_per_institution, peer, seed)


@dataclass(frozen=True)
class Setup:
    """The encoded problem and the per-person arrays the search needs."""

    enc: Encoded
    seats: I64
    pinned_at: I64  # locked mentor of each mentee, or -1
    conflicts: dict[int, set[int]]
    inst: I64
    cap: int


def setup(
    problem: Problem,
    size_min: int,
    size_max: int,
    max_per_institution: int | None,
    peer: Sequence[tuple[str, str]],
    seed: int,
) -> Setup:
    """Encode the problem and check that the locked pairs can hold (raises
    :class:`MatchingInputError` otherwise)."""
    del size_min  # locked groups may stay below the minimum (documented)
    enc = encode(problem, seed)
    n = enc.n
    mentee_pos = {e.id: k for k, e in enumerate(problem.mentees)}
    mentor_pos = {t.id: k for k, t in enumerate(problem.mentors)}
    conflicts: dict[int, set[int]] = {}
    for a, b in peer:
        x, y = mentee_pos[a], mentee_pos[b]
        if x != y:
            conflicts.setdefault(x, set()).add(y)
            conflicts.setdefault(y, set()).add(x)
    insts = sorted({e.institution for e in problem.mentees if e.institution is not None})
    code = {v: k for k, v in enumerate(insts)}
    inst = np.array(
        [-1 if e.institution is None else code[e.institution] for e in problem.mentees],
        dtype=np.int64,
    )
    cap = max_per_institution if max_per_institution is not None else size_max + 1
    pinned_at = np.full(n, -1, dtype=np.int64)
    seats = np.minimum(enc.capacity, size_max)
    groups: dict[int, list[int]] = {}
    excluded = excluded_pairs(problem) if problem.locked else set()
    for a, b in problem.locked:
        if (a, b) in excluded:  # by an exclusion given to form_groups
            raise MatchingInputError(
                f"locked pair ({a!r}, {b!r}) is excluded", participant=a, field="locked"
            )
        pinned_at[mentee_pos[a]] = mentor_pos[b]
        groups.setdefault(mentor_pos[b], []).append(mentee_pos[a])
    for j, members in sorted(groups.items()):
        who = problem.mentors[j].id
        if len(members) > seats[j]:
            raise MatchingInputError(
                f"mentor {who!r} has more locked mentees than seats in a group",
                participant=who,
                field="locked",
            )
        clash = [(x, y) for x in members for y in members if y in conflicts.get(x, ())]
        counts = Counter(int(inst[x]) for x in members if inst[x] >= 0)
        if clash or any(c > cap for c in counts.values()):
            raise MatchingInputError(
                f"the locked mentees of {who!r} break an exclusion or the institution cap",
                participant=who,
                field="locked",
            )
    return Setup(enc, seats, pinned_at, conflicts, inst, cap)


def start(s: Setup, size_min: int) -> tuple[PairTable, I64, I64]:
    """The candidate pairs and the starting assignment and open mentors (two flows:
    one without minimums to choose who leads, one with them among those)."""
    enc = s.enc
    n, m = enc.n, enc.m
    ai, aj, aq, _ = _candidate_arcs(enc)
    ok = aq >= 0
    ai, aj, aq = ai[ok], aj[ok], aq[ok]
    pinned = s.pinned_at >= 0
    locked_i = np.flatnonzero(pinned).astype(np.int64)
    locked_j = s.pinned_at[locked_i]
    # The locked pairs are known pairs whatever the rules say (solve keeps them too).
    keep = ~pinned[ai]
    ai = np.concatenate([ai[keep], locked_i])
    aj = np.concatenate([aj[keep], locked_j])
    aq = np.concatenate([aq[keep], pair_scores(enc, locked_i, locked_j)])
    table = PairTable(enc, ai, aj, aq)
    arcs = (ai, aj, aq)
    free = np.flatnonzero(~pinned).astype(np.int64)
    room = s.seats - np.bincount(locked_j, minlength=m)
    forced = np.unique(locked_j)
    usable = s.seats >= size_min
    usable[forced] = True
    placeable = np.zeros(n, dtype=bool)
    placeable[ai] = True
    if int(placeable.sum()) >= size_min * int(usable.sum()):
        # Enough mentees for every usable mentor to lead: all lead (no first flow).
        is_open = usable.astype(np.int64)
    else:
        at = flow_assign(
            n, free, arcs, np.where(usable, room, 0), np.zeros(m, dtype=np.int64), s.inst, s.cap
        )
        at[locked_i] = locked_j
        placed = np.flatnonzero(at >= 0)
        q = np.zeros(n, dtype=np.int64)
        q[placed] = pair_scores(enc, placed, at[placed])
        is_open = open_mentors(at, q, s.seats, size_min, forced, enc.tb_m)
    tier = np.maximum(size_min - np.bincount(locked_j, minlength=m), 0)
    at = flow_assign(n, free, arcs, np.where(is_open > 0, room, 0), tier * is_open, s.inst, s.cap)
    at[locked_i] = locked_j
    return table, at, is_open


def _form(
    problem: Problem,
    size_min: int,
    size_max: int,
    max_per_institution: int | None,
    peer: Sequence[tuple[str, str]],
    seed: int,
) -> GroupsResult:
    n, m = len(problem.mentees), len(problem.mentors)
    if n == 0:
        return GroupsResult((), (), 0.0, seed)
    if m == 0:
        code = "no_eligible_mentor"
        unplaced = tuple(
            UnplacedMentee(e.id, code, UNPLACED_MESSAGES[code]) for e in problem.mentees
        )
        return GroupsResult((), unplaced, 0.0, seed)
    s = setup(problem, size_min, size_max, max_per_institution, peer, seed)
    table, at, is_open = start(s, size_min)
    g = Grouping(
        table,
        at,
        s.seats,
        is_open > 0,
        s.pinned_at >= 0,
        s.conflicts,
        s.inst,
        s.cap,
        size_min,
        s.enc.tb_m,
    )
    g.repair()
    g.descend()
    if n <= SMALL:
        iterate(g, np.random.default_rng(seed))
    return _result(problem, g, seed)


def _result(problem: Problem, g: Grouping, seed: int) -> GroupsResult:
    explainer = Explainer(problem)
    groups: list[Group] = []
    grand = 0
    for j, members in enumerate(g.members):
        if not members:
            continue
        idx = sorted(members)
        scores = [g.opts[i][j] for i in idx]
        grand += sum(scores)
        mentor = problem.mentors[j]
        mentees = [problem.mentees[i] for i in idx]
        groups.append(
            Group(
                mentor_id=mentor.id,
                mentee_ids=tuple(e.id for e in mentees),
                score=round(sum(scores) / len(scores) / SCALE, 6),
                reasons=group_reasons(explainer, mentor, mentees),
            )
        )
    pool = g.pool()
    unplaced: list[UnplacedMentee] = []
    if pool:
        eligible = score_rows(g.table.enc, np.array(pool, dtype=np.int64)) >= 0
        leads = np.array(g.is_open, dtype=bool)
        could_lead = ~leads & (np.array(g.seats) >= g.size_min)
        for i, row in zip(pool, eligible, strict=True):
            if not row.any():
                code = "no_eligible_mentor"
            elif (row & could_lead).any():
                code = "too_few_for_a_group"
            else:
                code = "no_seat"
            unplaced.append(UnplacedMentee(problem.mentees[i].id, code, UNPLACED_MESSAGES[code]))
    return GroupsResult(tuple(groups), tuple(unplaced), round(grand / SCALE, 6), seed)


def group_reasons(
    explainer: Explainer, mentor: Mentor, mentees: Sequence[Mentee]
) -> tuple[str, ...]:
    """What a group shares: the circle phrases over all its members (mentor
    included), then the pair reasons that hold for every mentee, then for most."""
    out = [
        r for r in circle_reasons(explainer, [mentor, *mentees]) if r != "little stated in common"
    ]
    if len(out) >= MAX_REASONS:
        return tuple(out[:MAX_REASONS])
    counts = Counter(r for e in mentees for r in explainer.reasons(e, mentor))
    counts.pop("little stated in common", None)
    k = len(mentees)
    ranked = sorted(counts.items(), key=lambda rc: (-rc[1], rc[0]))
    for phrase, count in ranked:
        if len(out) >= MAX_REASONS or count * 2 <= k:
            break
        # "both ..." phrases name what two share: the circle phrases above say it
        # for the whole group.
        if not phrase.startswith("both "):
            out.append(phrase if count == k else f"{phrase} ({count} of {k} mentees)")
    return tuple(out) or ("little stated in common",)

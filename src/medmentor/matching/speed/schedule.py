"""Speed-mentoring schedules: the facade (checks, arcs, selection, rotations,
results, reasons) and the checker of hand-edited schedules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from medmentor.matching.check import broken_rules
from medmentor.matching.encode import Encoded, encode
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.explain import Explainer
from medmentor.matching.features import I64, SCALE
from medmentor.matching.inputs import Problem, excluded_pairs
from medmentor.matching.parallel import cyclic_gc_paused, single_threaded_blas
from medmentor.matching.scoring import block_rows, score_rows
from medmentor.matching.speed.model import (
    UNMET_MESSAGES,
    SpeedMeeting,
    SpeedSchedule,
    UnmetMentee,
    Violation,
    check_shape,
    checked_choices,
    checked_problem,
    parsed_locked,
)
from medmentor.matching.speed.rotate import colour_meetings, improve
from medmentor.matching.speed.select import fits, select


def schedule_event(
    problem: Problem,
    *,
    rotations: int,
    table_size: int = 1,
    choices: Mapping[str, Sequence[str]] | None = None,
    locked: Iterable[tuple[str, str, int]] = (),
    seed: int = 0,
) -> SpeedSchedule:
    """Schedule a speed-mentoring event of ``rotations`` rotations: in each, every
    mentor meets at most ``table_size`` mentees and every mentee at most one mentor;
    no pair meets twice and every pair passes the pair engine's hard rules.

    ``choices`` maps mentee ids to up to five mentor ids, best first (a choice of an
    ineligible mentor is ignored); ``locked`` meetings (mentee id, mentor id, rotation)
    are kept as they are. Meetings are spread evenly over the mentees first, then the
    total fit (score plus choice bonus) is maximised, and each mentee meets their best
    fits in the earliest rotations (see the package). Mentor ``capacity`` and
    ``problem.locked`` are not used. The same input and seed give the same schedule.
    """
    s = setup(problem, rotations, table_size, choices, locked, seed)
    with single_threaded_blas(), cyclic_gc_paused():
        return _schedule(s)


@dataclass(frozen=True)
class Setup:
    """The checked problem, its encoding and every eligible pair as flat arrays
    (sorted by mentee, then mentor)."""

    problem: Problem
    enc: Encoded
    rotations: int
    table_size: int
    seed: int
    ai: I64
    aj: I64
    aq: I64  # pair score (integer, SCALE = 1.0)
    rank: I64  # the mentee's choice rank of the mentor, 1..5, or 0
    fit: I64
    locked: I64  # indices of the locked meetings' arcs
    lock_c: I64  # their colours (rotation - 1)

    def arc_of(self, i: int, j: int) -> int:
        """Index of the arc (i, j), or -1 if the pair is not eligible."""
        key = self.ai * self.enc.m + self.aj
        k = int(np.searchsorted(key, i * self.enc.m + j))
        return k if k < len(key) and int(key[k]) == i * self.enc.m + j else -1


def eligible_arcs(enc: Encoded) -> tuple[I64, I64, I64]:
    """Every eligible (mentee, mentor) pair with its integer score, by mentee then
    mentor (the pair engine's rules, scored a block of mentees at a time)."""
    parts: list[tuple[I64, I64, I64]] = []
    step = block_rows(enc)
    for a in range(0, enc.n, step):
        rows = np.arange(a, min(a + step, enc.n), dtype=np.int64)
        sc = score_rows(enc, rows)
        r, c = np.nonzero(sc >= 0)
        parts.append((rows[r], c.astype(np.int64), sc[r, c].astype(np.int64)))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def setup(
    problem: Problem,
    rotations: int,
    table_size: int,
    choices: Mapping[str, Sequence[str]] | None,
    locked: Iterable[tuple[str, str, int]],
    seed: int,
) -> Setup:
    """Check the arguments (raises :class:`MatchingInputError` naming the field),
    encode the problem and build the arcs."""
    rotations, table_size = check_shape(rotations, table_size)
    problem = checked_problem(problem)
    picked = checked_choices(problem, choices)
    meetings = parsed_locked(problem, locked, rotations)
    enc = encode(problem, seed)
    ai, aj, aq = eligible_arcs(enc)
    m = enc.m
    mentee_pos = {e.id: k for k, e in enumerate(problem.mentees)}
    mentor_pos = {t.id: k for k, t in enumerate(problem.mentors)}
    key = ai * m + aj
    rank = np.zeros(len(ai), dtype=np.int64)
    for who, mentors in picked.items():
        i = mentee_pos[who]
        for r, t in enumerate(mentors, start=1):
            k = int(np.searchsorted(key, i * m + mentor_pos[t]))
            if k < len(key) and int(key[k]) == i * m + mentor_pos[t]:
                rank[k] = r  # an ineligible choice is ignored
    s = Setup(
        problem, enc, rotations, table_size, seed, ai, aj, aq, rank, fits(aq, rank),
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
    )  # fmt: skip
    lock_arcs: list[int] = []
    lock_c: list[int] = []
    seen_pair: set[tuple[str, str]] = set()
    mentee_at: set[tuple[str, int]] = set()
    table: Counter[tuple[str, int]] = Counter()
    for a, b, r in meetings:
        if (a, b) in seen_pair:
            raise MatchingInputError(
                f"locked meetings of {a!r} and {b!r} repeat the pair", participant=a, field="locked"
            )
        seen_pair.add((a, b))
        if (a, r) in mentee_at:
            raise MatchingInputError(
                f"mentee {a!r} has two locked meetings in rotation {r}",
                participant=a,
                field="locked",
            )
        mentee_at.add((a, r))
        table[b, r] += 1
        if table[b, r] > table_size:
            raise MatchingInputError(
                f"mentor {b!r} has more than {table_size} locked meetings in rotation {r}",
                participant=b,
                field="locked",
            )
        k = s.arc_of(mentee_pos[a], mentor_pos[b])
        if k < 0:
            raise MatchingInputError(
                f"locked meeting ({a!r}, {b!r}) is forbidden by the hard rules",
                participant=a,
                field="locked",
            )
        lock_arcs.append(k)
        lock_c.append(r - 1)
    return Setup(
        problem, enc, rotations, table_size, seed, ai, aj, aq, s.rank, s.fit,
        np.array(lock_arcs, dtype=np.int64), np.array(lock_c, dtype=np.int64),
    )  # fmt: skip


@dataclass(frozen=True)
class Rotations:
    """The meetings (arc indices) with their colours (-1: dropped) and the selection
    objective."""

    arcs: I64
    colour: I64
    objective: int


def plan(s: Setup) -> Rotations:
    """Select the meetings, colour them, move the best fits to early rotations."""
    sel = select(s.enc, (s.ai, s.aj, s.fit), s.locked, s.rotations, s.table_size)
    arcs = sel.chosen
    ei, ej, fit = s.ai[arcs], s.aj[arcs], s.fit[arcs]
    lock_c = np.full(len(arcs), -1, dtype=np.int64)
    lock_c[np.searchsorted(arcs, s.locked)] = s.lock_c
    # Best fit first; ties by the seed's tie-break of the pair engine.
    order = np.lexsort((s.enc.tb_m[ej], s.enc.tb_e[ei], -fit)).astype(np.int64)
    col = colour_meetings(s.enc.n, s.enc.m, ei, ej, lock_c, order, s.rotations, s.table_size)
    improve(col, fit, s.enc.n, s.table_size)
    return Rotations(arcs, np.array(col.colour, dtype=np.int64), sel.objective)


def _schedule(s: Setup) -> SpeedSchedule:
    n, m = s.enc.n, s.enc.m
    if n == 0 or m == 0:
        code = "no_eligible_mentor"
        unmet = tuple(UnmetMentee(e.id, code, UNMET_MESSAGES[code]) for e in s.problem.mentees)
        return SpeedSchedule((), unmet, 0.0, s.rotations, s.table_size, s.seed)
    return result(s, plan(s))


def result(s: Setup, rot: Rotations) -> SpeedSchedule:
    """The schedule of the coloured meetings, with reasons and the unmet mentees."""
    problem = s.problem
    explainer = Explainer(problem)
    kept = rot.colour >= 0
    arcs, colour = rot.arcs[kept], rot.colour[kept]
    ei, ej = s.ai[arcs], s.aj[arcs]
    order = np.lexsort((ei, ej, colour))
    is_locked = np.zeros(len(s.ai), dtype=bool)
    is_locked[s.locked] = True
    meetings: list[SpeedMeeting] = []
    for k in order.tolist():
        a = int(arcs[k])
        e, t = problem.mentees[int(ei[k])], problem.mentors[int(ej[k])]
        rank = int(s.rank[a])
        meetings.append(
            SpeedMeeting(
                rotation=int(colour[k]) + 1,
                mentor_id=t.id,
                mentee_id=e.id,
                score=round(int(s.aq[a]) / SCALE, 6),
                choice=rank or None,
                reasons=explainer.reasons(e, t),
                locked=bool(is_locked[a]),
            )
        )
    met = np.zeros(s.enc.n, dtype=bool)
    met[ei] = True
    has_arc = np.zeros(s.enc.n, dtype=bool)
    has_arc[s.ai] = True
    unmet: list[UnmetMentee] = []
    for i in np.flatnonzero(~met).tolist():
        # A dropped meeting is always of a mentee with a locked one: a mentee without
        # any meeting has every rotation free, so theirs were never dropped.
        code = "no_seat" if has_arc[i] else "no_eligible_mentor"
        unmet.append(UnmetMentee(problem.mentees[i].id, code, UNMET_MESSAGES[code]))
    total = round(int(s.aq[arcs].sum()) / SCALE, 6)
    return SpeedSchedule(tuple(meetings), tuple(unmet), total, s.rotations, s.table_size, s.seed)


def schedule_violations(
    problem: Problem,
    meetings: Iterable[tuple[str, str, int]],
    *,
    rotations: int,
    table_size: int,
) -> list[Violation]:
    """What is wrong with a (hand-edited) schedule of (mentee id, mentor id, rotation)
    meetings (see :class:`Violation`); [] when it is valid.

    Finds unknown ids, rotations outside 1..``rotations``, a pair meeting twice, a
    mentee twice in one rotation, a mentor with more than ``table_size`` mentees in a
    rotation, and pairs the pair engine's hard rules forbid. People are named by
    ``problem.labels`` when it maps their id (the app can pass display names), else
    by id. Mentor capacity and ``problem.locked`` are not used.
    """
    rotations, table_size = check_shape(rotations, table_size)
    problem = checked_problem(problem)
    mentee_pos = {e.id: k for k, e in enumerate(problem.mentees)}
    mentor_pos = {t.id: k for k, t in enumerate(problem.mentors)}

    def name(x: str) -> str:
        label = problem.labels.get(x)
        return label if label else repr(x)

    out: list[Violation] = []
    known: list[tuple[str, str, int]] = []
    for item in meetings:
        a, b, r = (str(item[0]), str(item[1]), item[2])
        bad = False
        if a not in mentee_pos:
            out.append(Violation("unknown_mentee", f"unknown mentee {a!r}", mentee_id=a))
            bad = True
        if b not in mentor_pos:
            out.append(Violation("unknown_mentor", f"unknown mentor {b!r}", mentor_id=b))
            bad = True
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= rotations:
            message = (
                f"mentee {name(a)} meets mentor {name(b)} in rotation {r!r}, "
                f"outside 1 to {rotations}"
            )
            out.append(Violation("rotation_out_of_range", message, a, b))
            bad = True
        if not bad:
            known.append((a, b, r))
    by_pair: dict[tuple[str, str], list[int]] = {}
    by_mentee: dict[tuple[str, int], list[str]] = {}
    by_mentor: dict[tuple[str, int], list[str]] = {}
    for a, b, r in known:
        by_pair.setdefault((a, b), []).append(r)
        by_mentee.setdefault((a, r), []).append(b)
        by_mentor.setdefault((b, r), []).append(a)
    for (a, b), rs in by_pair.items():
        if len(rs) > 1:
            when = ", ".join(map(str, sorted(rs)))
            message = f"mentee {name(a)} meets mentor {name(b)} more than once (rotations {when})"
            out.append(Violation("repeated_pair", message, a, b, tuple(sorted(rs))))
    for (a, r), bs in sorted(by_mentee.items(), key=lambda x: (x[0][1], mentee_pos[x[0][0]])):
        if len(bs) > 1:
            who = ", ".join(name(b) for b in bs)
            message = f"mentee {name(a)} has {len(bs)} meetings in rotation {r} ({who})"
            out.append(Violation("mentee_double_booked", message, a, "", (r,), tuple(bs)))
    for (b, r), es in sorted(by_mentor.items(), key=lambda x: (x[0][1], mentor_pos[x[0][0]])):
        if len(es) > table_size:
            message = (
                f"mentor {name(b)} has {len(es)} mentees in rotation {r}, "
                f"more than the table size {table_size}"
            )
            out.append(Violation("table_over", message, "", b, (r,), tuple(es)))
    excluded = excluded_pairs(problem) if by_pair else set()
    for a, b in by_pair:
        broken = broken_rules(
            problem, problem.mentees[mentee_pos[a]], problem.mentors[mentor_pos[b]], excluded
        )
        if broken:
            message = (
                f"the hard rules forbid mentee {name(a)} meeting mentor {name(b)}: "
                + "; ".join(broken)
            )
            out.append(Violation("forbidden_pair", message, a, b, (), tuple(broken)))
    return out

"""The facade: ``check_inputs -> encode -> solve -> explain`` (and checks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import starmap

import numpy as np
import numpy.typing as npt

from medmentor.matching.check import blocking_pairs, broken_rules, pair_violations
from medmentor.matching.encode import Encoded, RankPositions, encode
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.explain import UNMATCHED_MESSAGES, Explainer
from medmentor.matching.features import I64, SCALE
from medmentor.matching.inputs import (
    Mentee,
    Mentor,
    Problem,
    Question,
    Rules,
    Weights,
    check_inputs,
    excluded_pairs,
)
from medmentor.matching.optimal import max_score_assignment
from medmentor.matching.parallel import cyclic_gc_paused, single_threaded_blas
from medmentor.matching.result import (
    Components,
    Pair,
    PairCheck,
    RankedMentor,
    Report,
    Result,
    Summary,
    Unmatched,
    Violation,
)
from medmentor.matching.scoring import components, mentee_keys, pair_scores, score_rows
from medmentor.matching.stable import deferred_acceptance

ALGORITHMS = ("stable", "optimal")
DEFAULT_WEIGHTS = Weights()
DEFAULT_RULES = Rules()


def _components(row: npt.NDArray[np.float64]) -> Components:
    return _components_list(np.round(row[None, :], 4))[0]


def _components_list(comp: npt.NDArray[np.float64]) -> list[Components]:
    """Components of many pairs (rounded to 4 places; None where NaN)."""
    rounded = np.round(comp, 4)
    rows: list[list[float]] = rounded.tolist()
    if not np.isnan(rounded).any():
        return list(starmap(Components, rows))
    return [Components(*[None if x != x else x for x in r]) for r in rows]


def _split(problem: Problem, enc: Encoded) -> tuple[Encoded, I64, I64]:
    """The free part: mentees not locked, mentors with capacity left after locks."""
    mentee_pos = {m.id: k for k, m in enumerate(problem.mentees)}
    mentor_pos = {t.id: k for k, t in enumerate(problem.mentors)}
    locked_e = np.array([mentee_pos[a] for a, _ in problem.locked], dtype=np.int64)
    locked_t = np.array([mentor_pos[b] for _, b in problem.locked], dtype=np.int64)
    residual = enc.capacity - np.bincount(locked_t, minlength=enc.m)
    free = np.ones(enc.n, dtype=bool)
    free[locked_e] = False
    rows = np.flatnonzero(free).astype(np.int64)
    cols = np.flatnonzero(residual > 0).astype(np.int64)
    return enc.restrict(rows, cols, residual[cols]), locked_e, locked_t


def solve(
    problem: Problem, algorithm: str = "stable", seed: int = 0, *, explain: bool = True
) -> Result:
    """Match a round.

    ``stable``: the mentee-optimal stable matching (mentee-proposing deferred
    acceptance), exact over the full pair set. ``optimal``: a matching of maximum total
    score within capacities (and, among those, as many pairs as possible), proved
    optimal over the full pair set. Locked pairs are kept and consume capacity. Ties
    are broken by ``seed``; the same input and seed give the same result.
    """
    return solve_encoded_ranks(problem, algorithm, seed, None, explain=explain)


def solve_encoded_ranks(
    problem: Problem,
    algorithm: str,
    seed: int,
    ranks: RankPositions | None,
    *,
    explain: bool = True,
) -> Result:
    """:func:`solve`, with the rank lists given as validated positions (``ranks``, see
    :func:`encode`) instead of in the people's ``ranks``, which are then empty: the
    command line's path for long rank lists, which never become strings."""
    check_inputs(problem)
    if algorithm not in ALGORITHMS:
        raise MatchingInputError(f"unknown algorithm {algorithm!r}", field="algorithm")
    with single_threaded_blas(), cyclic_gc_paused():
        return _solve(problem, algorithm, seed, explain, ranks)


def _solve(
    problem: Problem, algorithm: str, seed: int, explain: bool, ranks: RankPositions | None
) -> Result:
    enc = encode(problem, seed, ranks=ranks)
    sub, locked_e, locked_t = _split(problem, enc)
    if algorithm == "stable":
        match, _, rounds = deferred_acceptance(sub)
    else:
        match, _, rounds = max_score_assignment(sub)
    has = match >= 0
    pi = np.concatenate([locked_e, sub.mentee_index[has]])
    pj = np.concatenate([locked_t, sub.mentor_index[match[has]]])
    q = pair_scores(enc, pi, pj)
    comp = components(enc, pi, pj)
    explainer = Explainer(problem)
    mentees, mentors = problem.mentees, problem.mentors
    n_locked = len(locked_e)
    pairs = tuple(
        Pair(
            mentee_id=mentees[a].id,
            mentor_id=mentors[b].id,
            score=qq,
            components=cc,
            reasons=explainer.reasons(mentees[a], mentors[b]) if explain else (),
            locked=k < n_locked,
        )
        for k, (a, b, qq, cc) in enumerate(
            zip(
                pi.tolist(),
                pj.tolist(),
                np.round(q / SCALE, 6).tolist(),
                _components_list(comp),
                strict=True,
            )
        )
    )
    unmatched = _unmatched(problem, enc, sub, match, algorithm)
    return Result(algorithm, seed, pairs, unmatched, _summary(problem, pairs, pj, q, rounds))


def _unmatched(
    problem: Problem, enc: Encoded, sub: Encoded, match: I64, algorithm: str
) -> tuple[Unmatched, ...]:
    rows = np.sort(sub.mentee_index[match < 0]).astype(np.int64)
    ranking = enc.ranking[0]
    out: list[Unmatched] = []
    step = 4096
    for a in range(0, len(rows), step):
        block = rows[a : a + step]
        eligible = (score_rows(enc, block) >= 0).sum(axis=1)
        for i, count in zip(block.tolist(), eligible.tolist(), strict=True):
            mentee = problem.mentees[i]
            if count == 0:
                code = "no_eligible_mentor"
            elif ranking[i] and problem.rules.ranks_exclusive and algorithm == "stable":
                code = "ranked_none_accepted"
            else:
                code = "mentors_full"
            out.append(Unmatched(mentee.id, code, UNMATCHED_MESSAGES[code]))
    return tuple(out)


def _summary(problem: Problem, pairs: tuple[Pair, ...], pj: I64, q: I64, rounds: int) -> Summary:
    n, m = len(problem.mentees), len(problem.mentors)
    cap = np.array([t.capacity for t in problem.mentors], dtype=np.float64)
    load = np.bincount(pj, minlength=m).astype(np.float64)
    scores = q / SCALE
    return Summary(
        mentees=n,
        matched=len(pairs),
        matched_share=round(len(pairs) / n, 6) if n else 0.0,
        mean_score=round(float(scores.mean()), 6) if len(pairs) else None,
        min_score=round(float(scores.min()), 6) if len(pairs) else None,
        total_score=round(float(q.sum()) / SCALE, 6),
        mentors=m,
        mentor_load=round(float((load / cap).mean()), 6) if m else 0.0,
        mentors_full=int((load >= cap).sum()),
        extensions=rounds,
    )


def rank_mentors(
    mentee: Mentee,
    mentors: Sequence[Mentor],
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    rules: Rules = DEFAULT_RULES,
    questions: Sequence[Question] = (),
    exclusions: Iterable[tuple[str, str]] = (),
    labels: Mapping[str, str] | None = None,
    seed: int = 0,
) -> tuple[RankedMentor, ...]:
    """Rank ``mentors`` for one mentee (a search page): eligible ones best first, each
    with score, components and reasons; then the ineligible ones with the rules they
    break, in the given order."""
    problem = Problem(
        mentees=(mentee,),
        mentors=tuple(mentors),
        weights=weights,
        rules=rules,
        questions=tuple(questions),
        exclusions=tuple(exclusions),
        labels=labels or {},
    )
    check_inputs(problem)
    enc = encode(problem, seed)
    m = enc.m
    if m == 0:
        return ()
    s = score_rows(enc, np.zeros(1, dtype=np.int64))[0]
    j = np.arange(m, dtype=np.int64)
    i = np.zeros(m, dtype=np.int64)
    q = pair_scores(enc, i, j)
    comp = components(enc, i, j)
    ok = s >= 0
    keys = mentee_keys(enc, i, j, q)
    order = [int(x) for x in np.lexsort((j, -keys)) if ok[x]] + [int(x) for x in j if not ok[x]]
    explainer = Explainer(problem)
    excluded = excluded_pairs(problem)
    return tuple(
        RankedMentor(
            mentor_id=mentors[k].id,
            score=round(int(q[k]) / SCALE, 6),
            components=_components(comp[k]),
            reasons=explainer.reasons(mentee, mentors[k])
            if ok[k]
            else broken_rules(problem, mentee, mentors[k], excluded),
            eligible=bool(ok[k]),
        )
        for k in order
    )


def check_pair(problem: Problem, mentee_id: str, mentor_id: str) -> PairCheck:
    """Score a hand-made pair and list the hard rules it breaks."""
    check_inputs(problem)
    mentees = {m.id: k for k, m in enumerate(problem.mentees)}
    mentors = {t.id: k for k, t in enumerate(problem.mentors)}
    if mentee_id not in mentees:
        raise MatchingInputError(f"unknown mentee {mentee_id!r}", participant=mentee_id, field="id")
    if mentor_id not in mentors:
        raise MatchingInputError(f"unknown mentor {mentor_id!r}", participant=mentor_id, field="id")
    a, b = mentees[mentee_id], mentors[mentor_id]
    enc = encode(problem)
    i, j = np.array([a], dtype=np.int64), np.array([b], dtype=np.int64)
    e, t = problem.mentees[a], problem.mentors[b]
    return PairCheck(
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        score=round(int(pair_scores(enc, i, j)[0]) / SCALE, 6),
        components=_components(components(enc, i, j)[0]),
        reasons=Explainer(problem).reasons(e, t),
        broken=broken_rules(problem, e, t, excluded_pairs(problem)),
    )


def check_matching(
    problem: Problem,
    pairs: Iterable[tuple[str, str]],
    *,
    algorithm: str | None = None,
    seed: int = 0,
) -> Report:
    """Check a matching given as (mentee id, mentor id) pairs (locked ones included).

    Always: known ids, each mentee once, capacities, every hard rule, locked pairs
    kept. With ``algorithm="stable"`` also blocking pairs (under the preferences
    ``solve`` uses with this ``seed``), counted over the full pair set.
    """
    check_inputs(problem)
    pairs = list(pairs)
    violations = pair_violations(problem, pairs, excluded_pairs(problem))
    n_blocking = 0
    if algorithm == "stable" and not violations:
        enc = encode(problem, seed)
        sub, _, _ = _split(problem, enc)
        row_of = {int(x): k for k, x in enumerate(sub.mentee_index)}
        col_of = {int(x): k for k, x in enumerate(sub.mentor_index)}
        mentee_pos = {m.id: k for k, m in enumerate(problem.mentees)}
        mentor_pos = {t.id: k for k, t in enumerate(problem.mentors)}
        match = np.full(sub.n, -1, dtype=np.int64)
        for a, b in pairs:
            r = row_of.get(mentee_pos[a])
            if r is not None:
                match[r] = col_of[mentor_pos[b]]
        n_blocking, found = blocking_pairs(sub, match)
        for r, c in found:
            a = problem.mentees[int(sub.mentee_index[r])].id
            b = problem.mentors[int(sub.mentor_index[c])].id
            violations.append(Violation("blocking", a, b, f"({a}, {b}) is a blocking pair"))
    return Report(tuple(violations), n_blocking)

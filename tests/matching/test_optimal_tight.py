"""The optimal assignment under tight capacity (seats = mentees) and few distinct
scores: the total always equals the dense optimum (SciPy's assignment solver over
every pair), however poor the first candidate arcs, and the check that proves it reads
only the mentors cheaper than each mentee's threshold yet finds every improving pair."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medmentor.matching import Mentee, Mentor, Problem, Rules, Weights, certificate, optimal, solve
from medmentor.matching.certificate import improving_pairs
from medmentor.matching.encode import encode
from medmentor.matching.scoring import score_rows
from tests.matching.test_matching_fast_paths import wide_problem
from tests.matching.test_matching_resolve import dense_optimum


def tight(problem: Problem, seed: int, excluded: float = 0.1) -> Problem:
    """``problem`` with as many seats as mentees and exclusions on both sides."""
    rng = np.random.default_rng(seed)
    n, m = len(problem.mentees), len(problem.mentors)
    seats = np.full(m, n // m)
    seats[: n - seats.sum()] += 1
    assert (seats >= 1).all()
    mentor_ids = [t.id for t in problem.mentors]
    mentees = [
        dataclasses.replace(e, exclude=frozenset({mentor_ids[int(rng.integers(m))]}))
        if rng.random() < excluded
        else e
        for e in problem.mentees
    ]
    mentors = [
        dataclasses.replace(
            t,
            capacity=int(c),
            exclude=frozenset({f"e{int(rng.integers(n))}"})
            if rng.random() < excluded
            else t.exclude,
        )
        for t, c in zip(problem.mentors, seats, strict=True)
    ]
    return dataclasses.replace(problem, mentees=tuple(mentees), mentors=tuple(mentors))


def degenerate(n: int, m: int, seed: int) -> Problem:
    """Few distinct scores: two specialties, one interest among three, one language."""
    rng = np.random.default_rng(seed)

    def fields() -> dict[str, Any]:
        return {
            "career_stage": int(rng.integers(1, 4)),
            "specialty": f"s{int(rng.integers(2))}",
            "interests": {f"i{int(rng.integers(3))}"},
            "languages": {"en"},
        }

    mentees = tuple(Mentee(f"e{k}", **fields()) for k in range(n))
    mentors = tuple(Mentor(f"t{k}", **fields()) for k in range(m))
    weights = Weights(consideration=1, camaraderie=0, commonality=1, confidentiality=0)
    return Problem(mentees, mentors, weights=weights, rules=Rules(seniority="peer"))


def total(result: object) -> int:
    return sum(round(p.score * 1_000_000) for p in result.pairs)  # type: ignore[attr-defined]


def few_arcs(monkeypatch: pytest.MonkeyPatch) -> None:
    """One candidate arc by score and one by fit: the first flow is far from optimal."""
    monkeypatch.setattr(optimal, "K_SCORE", 1)
    monkeypatch.setattr(optimal, "K_FIT", 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tight_capacity_reaches_the_dense_optimum(seed: int) -> None:
    problem = tight(wide_problem(240, 70, seed, exclusions=30), seed)
    assert sum(t.capacity for t in problem.mentors) == len(problem.mentees)
    result = solve(problem, "optimal", seed)
    score, pairs = dense_optimum(problem)
    assert total(result) == score
    assert len(result.pairs) == pairs


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_tight_capacity_with_poor_first_arcs_is_re_solved_to_the_optimum(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    few_arcs(monkeypatch)
    problem = tight(wide_problem(200, 60, seed, exclusions=20), seed)
    result = solve(problem, "optimal", seed)
    assert result.summary.extensions >= 1  # the check found improving pairs
    score, pairs = dense_optimum(problem)
    assert total(result) == score
    assert len(result.pairs) == pairs


@pytest.mark.parametrize("seed", [1, 2])
def test_few_distinct_scores_reach_the_dense_optimum(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    problem = tight(degenerate(150, 40, seed), seed, excluded=0.2)
    enc = encode(problem)
    q = score_rows(enc, np.arange(enc.n, dtype=np.int64))
    assert len(np.unique(q[q >= 0])) <= 12  # heavily tied scores
    default = solve(problem, "optimal", seed)
    few_arcs(monkeypatch)
    forced = solve(problem, "optimal", seed)
    score, pairs = dense_optimum(problem)
    assert total(default) == total(forced) == score
    assert len(default.pairs) == len(forced.pairs) == pairs


def test_a_re_solved_assignment_ends_certified(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop stops only when the check over every eligible pair finds none."""
    few_arcs(monkeypatch)
    problem = tight(wide_problem(180, 50, 5, exclusions=20), 5)
    checks: list[int] = []
    check = certificate.improving_pairs

    def counted(*args: object, **kwargs: object) -> object:
        found = check(*args, **kwargs)  # type: ignore[arg-type]
        checks.append(len(found))
        return found

    monkeypatch.setattr(optimal, "improving_pairs", counted)
    match, _, rounds = optimal.max_score_assignment(encode(problem))
    assert rounds >= 1
    assert checks[0] > 0  # the first flow was not optimal over all pairs
    assert checks[-1] == 0  # and the last check proved the final one optimal
    assert (match >= 0).sum() == dense_optimum(problem)[1]


@pytest.mark.parametrize("margin", [0, 50_000])
def test_the_check_finds_exactly_the_pairs_a_dense_scan_finds(margin: int) -> None:
    problem = tight(wide_problem(120, 45, 9, exclusions=30), 9)
    enc = encode(problem)
    scale = enc.n + 1
    q = score_rows(enc, np.arange(enc.n, dtype=np.int64)).astype(np.int64)
    rng = np.random.default_rng(3)
    u = rng.integers(0, 1_000_000 * scale, size=enc.n)
    v = rng.integers(0, 300_000 * scale, size=enc.m)
    kth = q.max(axis=1)  # no pair is an arc: every eligible pair may be reported
    found = improving_pairs(enc, u, v, kth, scale, per_row=enc.m, margin=margin)
    excess = q * scale + 1 - u[:, None] - v[None, :]
    want_i, want_j = np.nonzero((q >= 0) & (excess + margin > 0))
    assert sorted(zip(found.i.tolist(), found.j.tolist(), strict=True)) == sorted(
        zip(want_i.tolist(), want_j.tolist(), strict=True)
    )
    assert np.array_equal(found.excess, excess[found.i, found.j])
    assert np.array_equal(found.w, q[found.i, found.j] * scale + 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(10, 70),
    st.integers(3, 12),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_tight_instances_are_optimal(n: int, m: int, seed: int, degenerate_scores: bool) -> None:
    m = min(m, n)
    base = degenerate(n, m, seed) if degenerate_scores else wide_problem(n, m, seed, exclusions=5)
    problem = tight(base, seed, excluded=0.2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(optimal, "K_SCORE", 1 + seed % 3)
        patch.setattr(optimal, "K_FIT", seed % 2)
        result = solve(problem, "optimal", seed)
    score, pairs = dense_optimum(problem)
    assert total(result) == score
    assert len(result.pairs) == pairs

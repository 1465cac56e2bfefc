"""Property tests: stability, capacities, exclusions, determinism, optimality."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from medmentor.matching import Problem, check_matching, solve, stable
from medmentor.matching.check import broken_rules
from medmentor.matching.inputs import excluded_pairs
from tests.matching.matching_strategies import dense, problems, reference_da

SETTINGS = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = st.integers(0, 2**32 - 1)


def _pairs(result: object) -> list[tuple[str, str]]:
    return [(p.mentee_id, p.mentor_id) for p in result.pairs]  # type: ignore[attr-defined]


@SETTINGS
@given(problems(ranks=True, locks=True), SEEDS)
def test_stable_has_no_blocking_pair_and_keeps_every_rule(problem: Problem, seed: int) -> None:
    result = solve(problem, "stable", seed)
    report = check_matching(problem, _pairs(result), algorithm="stable", seed=seed)
    assert report.ok, report.violations
    assert report.blocking_pairs == 0


@SETTINGS
@given(problems(ranks=True, locks=True), SEEDS)
def test_optimal_keeps_capacities_exclusions_and_rules(problem: Problem, seed: int) -> None:
    result = solve(problem, "optimal", seed)
    assert check_matching(problem, _pairs(result)).ok
    excluded = excluded_pairs(problem)
    assert not set(_pairs(result)) & excluded


@SETTINGS
@given(problems(ranks=True), SEEDS)
def test_stable_equals_textbook_deferred_acceptance_on_full_lists(
    problem: Problem, seed: int
) -> None:
    _, eligible, ekey, tkey = dense(problem, seed)
    expected = reference_da(eligible, ekey, tkey, [t.capacity for t in problem.mentors])
    got = solve(problem, "stable", seed).mentor_of()
    assert got == {problem.mentees[i].id: problem.mentors[j].id for i, j in expected.items()}


@SETTINGS
@given(problems(ranks=True), SEEDS, st.integers(1, 3))
def test_stable_over_lazily_extended_lists_equals_textbook_deferred_acceptance(
    problem: Problem, seed: int, first: int
) -> None:
    # First lists of one to three mentors: most mentees exhaust theirs, and the
    # extensions (after the last listed key, above full mentors' floors) must give
    # the same matching as the full lists.
    _, eligible, ekey, tkey = dense(problem, seed)
    expected = reference_da(eligible, ekey, tkey, [t.capacity for t in problem.mentors])
    with patch.object(stable, "FIRST_K", first):
        got = solve(problem, "stable", seed)
    assert got.mentor_of() == {
        problem.mentees[i].id: problem.mentors[j].id for i, j in expected.items()
    }


@SETTINGS
@given(problems(ranks=True), SEEDS)
def test_masks_agree_with_the_plain_rule_checker(problem: Problem, seed: int) -> None:
    _, eligible, _, _ = dense(problem, seed)
    excluded = excluded_pairs(problem)
    for a, e in enumerate(problem.mentees):
        for b, t in enumerate(problem.mentors):
            assert eligible[a, b] == (not broken_rules(problem, e, t, excluded)), (e.id, t.id)


@SETTINGS
@given(problems(ranks=True, locks=True), SEEDS, st.sampled_from(["stable", "optimal"]))
def test_same_seed_same_result(problem: Problem, seed: int, algorithm: str) -> None:
    assert solve(problem, algorithm, seed) == solve(problem, algorithm, seed)


@SETTINGS
@given(problems(max_mentees=9, max_mentors=5, ranks=True), SEEDS)
def test_optimal_total_equals_linear_sum_assignment(problem: Problem, seed: int) -> None:
    q, eligible, _, _ = dense(problem, seed)
    n = len(problem.mentees)
    slots = [j for j, t in enumerate(problem.mentors) for _ in range(t.capacity)]
    # Columns: one per mentor seat, then one "unmatched" column per mentee.
    big = 10**9
    cost = np.zeros((n, len(slots) + n))
    for col, j in enumerate(slots):
        cost[:, col] = np.where(eligible[:, j], -q[:, j], big)
    rows, cols = linear_sum_assignment(cost)
    expected = int(-cost[rows, cols][cost[rows, cols] < 0].sum())
    result = solve(problem, "optimal", seed)
    total = sum(round(p.score * 1_000_000) for p in result.pairs)
    assert total == expected
    stable = solve(problem, "stable", seed)
    assert sum(round(p.score * 1_000_000) for p in stable.pairs) <= total


@SETTINGS
@given(problems(), SEEDS)
def test_scores_and_components_lie_in_unit_interval(problem: Problem, seed: int) -> None:
    for p in solve(problem, "stable", seed).pairs:
        assert 0 <= p.score <= 1
        for c in (
            p.components.consideration,
            p.components.camaraderie,
            p.components.commonality,
            p.components.confidentiality,
        ):
            assert c is None or 0 <= c <= 1

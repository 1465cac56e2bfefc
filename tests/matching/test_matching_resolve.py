"""The optimal assignment stays exact when its first candidate arcs are poor: the
optimality check adds the improving pairs and the flow is solved again, first on the
nearly tight arcs (kept only if the dual certificate over every arc holds), else in
full."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from medmentor.matching import Problem, optimal, solve
from medmentor.matching.encode import encode
from medmentor.matching.scoring import score_rows
from tests.matching.test_matching_fast_paths import wide_problem


def dense_optimum(problem: Problem) -> tuple[int, int]:
    """(total integer score, pairs) of a maximum-weight matching, by SciPy's dense solver."""
    enc = encode(problem)
    q = score_rows(enc, np.arange(enc.n, dtype=np.int64)).astype(np.int64)
    slots = [j for j, t in enumerate(problem.mentors) for _ in range(t.capacity)]
    weight = q * (enc.n + 1) + 1
    cost = np.zeros((enc.n, len(slots) + enc.n))
    for col, j in enumerate(slots):
        cost[:, col] = np.where(q[:, j] >= 0, -weight[:, j], 10**12)
    r, c = linear_sum_assignment(cost)
    chosen = -cost[r, c]
    chosen = chosen[chosen > 0].astype(np.int64)
    return int(chosen.sum()) // (enc.n + 1), len(chosen)


@pytest.mark.parametrize(("seed", "trial_rounds"), [(1, 200), (2, 200), (3, 0), (4, 0)])
def test_re_solves_reach_the_dense_optimum(
    monkeypatch: pytest.MonkeyPatch, seed: int, trial_rounds: int
) -> None:
    problem = wide_problem(160, 90, seed, exclusions=20)
    # One arc by score and one by fit: the first flow is far from optimal.
    monkeypatch.setattr(optimal, "K_SCORE", 1)
    monkeypatch.setattr(optimal, "K_FIT", 1)
    # 0 rounds: the restricted re-solve always fails its certificate, the full one runs.
    monkeypatch.setattr(optimal, "TRIAL_ROUNDS", trial_rounds)
    calls: list[int] = []
    flow = optimal._flow

    def counted(*args: object) -> object:
        calls.append(len(args[1]))  # type: ignore[arg-type]
        return flow(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(optimal, "_flow", counted)
    result = solve(problem, "optimal", seed)
    assert result.summary.extensions >= 1
    assert len(calls) > 1
    total, pairs = dense_optimum(problem)
    assert sum(round(p.score * 1_000_000) for p in result.pairs) == total
    assert len(result.pairs) == pairs

"""The engine's fast paths equal its plain ones: grouped kernel, group top-k, dense
rank tables, the grouped optimality proof."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from medmentor.matching import Mentee, Mentor, Preference, Problem, Rules, candidates, solve
from medmentor.matching import encode as encode_module
from medmentor.matching.encode import encode
from medmentor.matching.scoring import raw_block, score_rows
from tests.matching.matching_strategies import problems

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = st.integers(0, 2**32 - 1)
PROVINCES = ("ON", "QC", "BC", "AB", "NS")


def wide_problem(n: int, m: int, seed: int, *, exclusions: int = 0) -> Problem:
    """A random problem with many institutions (the kernel groups by them)."""
    rng = np.random.default_rng(seed)

    def fields() -> dict[str, object]:
        prov = PROVINCES[int(rng.integers(len(PROVINCES)))]
        return {
            "career_stage": int(rng.integers(1, 7)),
            "specialty": f"s{int(rng.integers(6))}",
            "province": prov,
            "institution": f"{prov}-{int(rng.integers(3))}",
            "languages": {"fr"}
            if rng.random() < 0.2
            else {"en", "fr"}
            if rng.random() < 0.2
            else {"en"},
            "interests": {f"i{int(x)}" for x in rng.integers(0, 8, size=2)},
            "goals": {f"g{int(x)}" for x in rng.integers(0, 5, size=2)},
            "modality": ("virtual", "in_person", "either")[int(rng.integers(3))],
            "gender": ("woman", "man")[int(rng.integers(2))],
        }

    mentees = []
    for k in range(n):
        f = fields()
        prefs = (Preference("gender", frozenset({"woman"}), 0.5),) if rng.random() < 0.3 else ()
        conf = "institution" if rng.random() < 0.3 else None
        mentees.append(Mentee(f"e{k}", **f, preferences=prefs, confidentiality=conf))
    mentors = [Mentor(f"t{k}", **fields(), capacity=int(rng.integers(1, 4))) for k in range(m)]
    pairs = [(f"e{int(rng.integers(n))}", f"t{int(rng.integers(m))}") for _ in range(exclusions)]
    return Problem(tuple(mentees), tuple(mentors), rules=Rules(seniority="peer"), exclusions=pairs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kernel_scores_equal_the_plain_product_and_masks(seed: int) -> None:
    enc = encode(wide_problem(300, 140, seed, exclusions=40))
    assert len(enc.group_cols) >= 4  # grouped by institution
    assert enc.kernel.folded
    rows = np.arange(enc.n, dtype=np.int64)
    plain = enc.U @ enc.Vt
    assert enc.HU is not None
    assert enc.HVt is not None
    plain[(enc.HU @ enc.HVt) < enc.R[:, None]] = -1
    plain[enc.ex_i, enc.ex_j] = -1
    assert np.array_equal(score_rows(enc, rows), plain)
    raw = raw_block(enc, rows)[:, enc.kernel.pos]
    assert np.array_equal(raw >= 0, plain >= 0)
    assert np.array_equal(np.maximum(raw, -1), plain)


def _brute_top(s: np.ndarray, k: int) -> set[tuple[int, int]]:
    out = set()
    for r, row in enumerate(s):
        kth = np.sort(row)[::-1][min(k, len(row)) - 1]
        for c in np.flatnonzero(row >= max(kth, 0)):
            out.add((r, int(c)))
    return out


@SETTINGS
@given(
    st.integers(1, 6),
    st.sampled_from([1, 2, 4, 8]),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_group_top_returns_every_entry_reaching_the_kth_best(
    rows: int, w: int, k: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    g = int(rng.integers(k, k + 6))
    s = rng.integers(-1, 4, size=(rows, g * w)).astype(np.float32)  # many ties
    r, c, kth = candidates.group_top(s, k, w)
    assert set(zip(r.tolist(), c.tolist(), strict=True)) == _brute_top(s, k)
    assert np.array_equal(kth, -np.sort(-s, axis=1)[:, k - 1])


@pytest.mark.parametrize(("seed", "k"), [(1, 3), (2, 8), (3, 30), (4, 200)])
def test_fast_lists_equal_the_scan_of_whole_rows(seed: int, k: int) -> None:
    enc = encode(wide_problem(400, 300, seed, exclusions=50), seed)
    rows = np.arange(enc.n, dtype=np.int64)
    w = candidates.group_size(enc.m, k)
    fast = candidates._fast_rows_lists(enc, rows, k, w)
    scan = candidates._scan_rows_lists(enc, rows, k, None)
    for a, b in zip(fast, scan, strict=True):
        assert np.array_equal(a, b)


@SETTINGS
@given(problems(max_mentees=10, max_mentors=6), SEEDS, st.integers(1, 4))
def test_fast_lists_equal_the_scan_on_small_problems(problem: Problem, seed: int, k: int) -> None:
    enc = encode(problem, seed)
    rows = np.arange(enc.n, dtype=np.int64)
    if enc.has_ranks or not enc.n:
        return
    fast = candidates._fast_rows_lists(enc, rows, k, candidates.group_size(enc.m, k))
    scan = candidates._scan_rows_lists(enc, rows, k, None)
    for a, b in zip(fast, scan, strict=True):
        assert np.array_equal(a, b)


@SETTINGS
@given(problems(ranks=True, locks=True), SEEDS, st.sampled_from(["stable", "optimal"]))
def test_dense_rank_tables_give_the_same_result(
    problem: Problem, seed: int, algorithm: str
) -> None:
    dense = solve(problem, algorithm, seed)
    limit = encode_module.DENSE_RANKS
    encode_module.DENSE_RANKS = 0  # the sorted (sparse) lookups instead
    try:
        sparse = solve(problem, algorithm, seed)
    finally:
        encode_module.DENSE_RANKS = limit
    assert dense == sparse


@pytest.mark.parametrize("seed", [1, 2])
def test_optimal_with_groups_equals_linear_sum_assignment(seed: int) -> None:
    problem = wide_problem(240, 140, seed, exclusions=30)
    enc = encode(problem)
    assert candidates.group_size(enc.m, 1) > 1  # the grouped proof is used
    q = score_rows(enc, np.arange(enc.n, dtype=np.int64)).astype(np.int64)
    slots = [j for j, t in enumerate(problem.mentors) for _ in range(t.capacity)]
    big = 10**12
    weight = q * (enc.n + 1) + 1
    cost = np.zeros((enc.n, len(slots) + enc.n))
    for col, j in enumerate(slots):
        cost[:, col] = np.where(q[:, j] >= 0, -weight[:, j], big)
    r, c = linear_sum_assignment(cost)
    chosen = cost[r, c]
    expected = int(-chosen[chosen < 0].sum()) // (enc.n + 1)
    result = solve(problem, "optimal", seed)
    assert sum(round(p.score * 1_000_000) for p in result.pairs) == expected

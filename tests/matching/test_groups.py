"""Mentoring groups (issue 19): properties, an exact CP-SAT reference, a baseline."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medmentor.matching import MatchingInputError, Mentee, Mentor, Problem, Rules
from medmentor.matching.api import check_pair
from medmentor.matching.groups import (
    UNPLACED_MESSAGES,
    exact_groups,
    form_groups,
    greedy_groups,
)
from tests.matching.matching_strategies import person_fields

_spec = importlib.util.spec_from_file_location(
    "bench_matching", Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"
)
assert _spec is not None
assert _spec.loader is not None
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)


def instance(n: int, seed: int, mentors: int, capacity: int) -> Problem:
    """The benchmark's correlated people: ``mentors`` of its mentors, each leading up
    to ``capacity`` mentees."""
    p = _bench.instance(n, seed)
    chosen = tuple(dataclasses.replace(t, capacity=capacity) for t in p.mentors[:mentors])
    return dataclasses.replace(p, mentors=chosen)


@st.composite
def group_inputs(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(0, 16))
    m = draw(st.integers(1, 5))
    mentee_ids = [f"e{k}" for k in range(n)]
    mentor_ids = [f"t{k}" for k in range(m)]
    mentees = [
        Mentee(
            mentee_ids[k],
            **draw(person_fields()),  # type: ignore[arg-type]
            exclude=draw(st.frozensets(st.sampled_from(mentor_ids + mentee_ids), max_size=1)),
        )
        for k in range(n)
    ]
    mentors = [
        Mentor(mentor_ids[k], **draw(person_fields()), capacity=draw(st.integers(1, 6)))  # type: ignore[arg-type]
        for k in range(m)
    ]
    everyone = mentee_ids + mentor_ids
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(everyone), st.sampled_from(everyone)), max_size=8)
    )
    rules = Rules(
        seniority=draw(st.sampled_from(("any", "peer", "strict"))),
        require_shared_language=draw(st.booleans()),
    )
    lo = draw(st.integers(1, 3))
    return {
        "problem": Problem(tuple(mentees), tuple(mentors), rules=rules),
        "exclusions": [(a, b) for a, b in pairs if a != b],
        "size_min": lo,
        "size_max": draw(st.integers(lo, 5)),
        "max_per_institution": draw(st.none() | st.integers(1, 2)),
        "seed": draw(st.integers(0, 3)),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group_inputs())
def test_groups_respect_every_rule(case: dict[str, object]) -> None:
    r = form_groups(**case)  # type: ignore[arg-type]
    problem: Problem = case["problem"]  # type: ignore[assignment]
    mentees = {e.id: e for e in problem.mentees}
    mentors = {t.id: t for t in problem.mentors}
    excluded = {frozenset(x) for x in case["exclusions"]}  # type: ignore[attr-defined]
    excluded |= {
        frozenset((p.id, x)) for p in (*problem.mentees, *problem.mentors) for x in p.exclude
    }
    cap = case["max_per_institution"]
    placed = [e for g in r.groups for e in g.mentee_ids]
    assert len(placed) == len(set(placed))
    assert set(placed) | {u.mentee_id for u in r.unplaced} == set(mentees)
    assert not set(placed) & {u.mentee_id for u in r.unplaced}
    assert len({g.mentor_id for g in r.groups}) == len(r.groups)
    for g in r.groups:
        seats = min(mentors[g.mentor_id].capacity, case["size_max"])  # type: ignore[call-overload]
        assert case["size_min"] <= len(g.mentee_ids) <= seats  # type: ignore[operator]
        members = [g.mentor_id, *g.mentee_ids]
        for a in members:
            for b in members:
                assert a == b or frozenset((a, b)) not in excluded
        for e in g.mentee_ids:
            # The pair engine's own verdict on each pair (its exclusions included).
            check = check_pair(problem, e, g.mentor_id)
            assert check.broken == (), (e, g.mentor_id, check.broken)
        if cap is not None:
            insts = [mentees[e].institution for e in g.mentee_ids if mentees[e].institution]
            assert all(insts.count(i) <= cap for i in insts)  # type: ignore[operator]
        assert 0 <= g.score <= 1
        assert g.reasons
    assert r.total == pytest.approx(sum(g.score * len(g.mentee_ids) for g in r.groups), abs=1e-4)
    for u in r.unplaced:
        assert u.message == UNPLACED_MESSAGES[u.reason]
    assert form_groups(**case) == r  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 40), st.integers(1, 8), st.integers(1, 4), st.integers(0, 3), st.integers(0, 3)
)
def test_everyone_placed_when_seats_suffice_and_nothing_forbids(
    n: int, m: int, lo: int, spread: int, seed: int
) -> None:
    """No rule bites and the seats hold everyone: whenever some number of groups
    fits ``n`` within the sizes, everyone is placed; otherwise the unplaced are
    too few for a group."""
    hi = lo + spread
    mentees = [Mentee(f"e{k}", specialty=("fm", "im")[k % 2]) for k in range(n)]
    mentors = [Mentor(f"t{k}", specialty=("fm", "im")[k % 2], capacity=hi) for k in range(m)]
    problem = Problem(tuple(mentees), tuple(mentors))
    r = form_groups(problem, size_min=lo, size_max=hi, seed=seed)
    fits = n == 0 or any(k * lo <= n <= k * hi for k in range(1, m + 1))
    if fits:
        assert not r.unplaced
    else:
        assert r.unplaced
        assert {u.reason for u in r.unplaced} <= {"too_few_for_a_group", "no_seat"}


def test_unplaced_told_why() -> None:
    mentors = (
        Mentor("t0", languages={"en"}, capacity=3),
        Mentor("t1", languages={"en"}, capacity=3),
    )
    en = tuple(Mentee(f"e{k}", languages={"en"}) for k in range(7))
    fr = (Mentee("f0", languages={"fr"}),)
    r = form_groups(Problem(en + fr, mentors), size_min=2, size_max=3, seed=0)
    reasons = {u.mentee_id: u.reason for u in r.unplaced}
    assert reasons.pop("f0") == "no_eligible_mentor"
    assert list(reasons.values()) == ["no_seat"]  # seven English speakers, six seats
    # Two mentees, a minimum of three: neither mentor can lead.
    r = form_groups(Problem(en[:2], mentors), size_min=3, size_max=3, seed=0)
    assert r.groups == ()
    assert {u.reason for u in r.unplaced} == {"too_few_for_a_group"}


def test_mentee_exclusions_split_groups() -> None:
    """Six mentees who all prefer t0; e0 and e1 must not meet, and a block names a
    mentor too: the excluded never share a group."""
    mentees = tuple(Mentee(f"e{k}", specialty="fm", interests={"research"}) for k in range(6))
    mentors = (
        Mentor("t0", specialty="fm", interests={"research"}, capacity=3),
        Mentor("t1", specialty="im", capacity=3),
    )
    r = form_groups(
        Problem(mentees, mentors),
        size_min=3,
        size_max=3,
        exclusions=[("e0", "e1"), ("t1", "e2")],
    )
    of = r.group_of()
    assert not r.unplaced
    assert of["e0"] != of["e1"]
    assert of["e2"] == "t0"


def test_locked_pairs_are_kept() -> None:
    mentees = tuple(Mentee(f"e{k}", specialty="fm") for k in range(6))
    mentors = (Mentor("t0", specialty="fm", capacity=3), Mentor("t1", specialty="im", capacity=3))
    problem = Problem(mentees, mentors, locked=(("e0", "t1"),))
    r = form_groups(problem, size_min=3, size_max=3)
    assert r.group_of()["e0"] == "t1"
    assert not r.unplaced


def test_locked_pairs_that_cannot_hold_raise() -> None:
    mentees = (Mentee("e0"), Mentee("e1"))
    problem = Problem(mentees, (Mentor("t0", capacity=3),), locked=(("e0", "t0"), ("e1", "t0")))
    with pytest.raises(MatchingInputError, match="exclusion or the institution cap"):
        form_groups(problem, size_min=1, size_max=3, exclusions=[("e0", "e1")])
    with pytest.raises(MatchingInputError, match="is excluded"):
        form_groups(problem, size_min=1, size_max=3, exclusions=[("t0", "e1")])
    with pytest.raises(MatchingInputError, match="more locked mentees than seats"):
        form_groups(problem, size_min=1, size_max=1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"size_min": 0, "size_max": 3}, "size_min"),
        ({"size_min": 4, "size_max": 3}, "size_min"),
        ({"size_min": 2, "size_max": 3, "max_per_institution": 0}, "max_per_institution"),
        ({"size_min": 2, "size_max": 3, "exclusions": [("e0", "nobody")]}, "exclude"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], field: str) -> None:
    problem = Problem((Mentee("e0"),), (Mentor("t0"),))
    with pytest.raises(MatchingInputError) as err:
        form_groups(problem, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field
    assert str(err.value)


@pytest.mark.parametrize(
    ("n", "seed", "mentors", "lo", "hi", "cap"),
    [(12, 1, 4, 2, 4, None), (16, 2, 5, 2, 4, 2), (20, 3, 5, 3, 5, None), (24, 4, 6, 3, 5, 2)],
)
def test_within_two_percent_of_cp_sat_optimum(
    n: int, seed: int, mentors: int, lo: int, hi: int, cap: int | None
) -> None:
    problem = instance(n, seed, mentors, hi)
    excl = [(f"e{k}", f"e{k + 1}") for k in range(0, n - 1, 3)]
    kw = {"size_min": lo, "size_max": hi, "max_per_institution": cap, "exclusions": excl}
    ours = form_groups(problem, seed=1, **kw)  # type: ignore[arg-type]
    best = exact_groups(problem, time_limit=20, **kw)  # type: ignore[arg-type]
    assert best.placed is not None
    assert best.total is not None
    assert n - len(ours.unplaced) == best.placed
    assert ours.total >= 0.98 * (best.bound if best.bound is not None else best.total)


def test_beats_naive_greedy() -> None:
    problem = instance(600, 3, 120, 6)
    kw = {"size_min": 4, "size_max": 6, "max_per_institution": 2}
    ours = form_groups(problem, seed=2, **kw)  # type: ignore[arg-type]
    naive = greedy_groups(problem, seed=2, **kw)  # type: ignore[arg-type]
    assert len(ours.unplaced) <= len(naive.unplaced)
    assert ours.total > naive.total


def test_same_seed_same_groups_on_a_larger_instance() -> None:
    problem = instance(300, 5, 60, 6)
    a = form_groups(problem, size_min=4, size_max=6, seed=7)
    assert a == form_groups(problem, size_min=4, size_max=6, seed=7)
    assert not a.unplaced

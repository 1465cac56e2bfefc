"""On random instances with explicit rank lists, ``stable`` equals the resident-optimal
solution of the ``matching`` package (PyPI: matching, ``games.HospitalResident``)."""

from __future__ import annotations

import random
import warnings

import pytest
from matching.games import HospitalResident

from medmentor.matching import Mentee, Mentor, Problem, Rules, solve


def _instance(seed: int, n: int, m: int) -> Problem:
    rng = random.Random(seed)
    mentee_ids = [f"e{k}" for k in range(n)]
    mentor_ids = [f"t{k}" for k in range(m)]
    mentees = tuple(
        Mentee(i, ranks=tuple(rng.sample(mentor_ids, rng.randint(1, m)))) for i in mentee_ids
    )
    mentors = tuple(
        Mentor(
            t, capacity=rng.randint(1, 3), ranks=tuple(rng.sample(mentee_ids, rng.randint(1, n)))
        )
        for t in mentor_ids
    )
    return Problem(mentees, mentors, rules=Rules(ranks_exclusive=True))


def _package_solution(problem: Problem) -> dict[str, str]:
    """Resident-optimal matching; both sides keep only mutually acceptable partners."""
    mentor_ranks = {t.id: t.ranks for t in problem.mentors}
    resident_prefs = {
        e.id: [t for t in e.ranks if e.id in mentor_ranks[t]] for e in problem.mentees
    }
    resident_prefs = {e: prefs for e, prefs in resident_prefs.items() if prefs}
    hospital_prefs = {
        t.id: [e for e in t.ranks if t.id in resident_prefs.get(e, [])] for t in problem.mentors
    }
    hospital_prefs = {t: prefs for t, prefs in hospital_prefs.items() if prefs}
    if not resident_prefs:
        return {}
    capacities = {t.id: t.capacity for t in problem.mentors if t.id in hospital_prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        matching = game.solve(optimal="resident")
        assert game.check_validity()
        assert game.check_stability()
    return {r.name: h.name for h, residents in matching.items() for r in residents}


@pytest.mark.parametrize("seed", range(60))
def test_stable_equals_matching_package_resident_optimal(seed: int) -> None:
    rng = random.Random(seed)
    problem = _instance(seed, rng.randint(1, 30), rng.randint(1, 12))
    assert solve(problem, "stable", seed).mentor_of() == _package_solution(problem)


def test_package_equality_on_a_larger_instance() -> None:
    problem = _instance(2024, 150, 40)
    assert solve(problem, "stable", 7).mentor_of() == _package_solution(problem)

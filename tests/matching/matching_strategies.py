"""Hypothesis strategies and small reference solvers for the engine's tests."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from medmentor.matching import Mentee, Mentor, Preference, Problem, Rules, Weights
from medmentor.matching.check import broken_rules
from medmentor.matching.encode import encode
from medmentor.matching.inputs import excluded_pairs
from medmentor.matching.scoring import mentee_keys, mentor_keys, pair_scores, score_rows

SPECIALTIES = ("fm", "im", "ped", "psy")
PARENT = {"fm": None, "im": None, "ped": "im", "psy": None}
INTERESTS = ("sexual-health", "research", "teaching", "global-health", "wellness")
GOALS = ("wlb", "leadership", "research", "career")
LANGS = ("en", "fr")
PROVINCES = ("ON", "QC", "SK")


def _subset(pool: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(pool), max_size=3)


@st.composite
def person_fields(draw: st.DrawFn) -> dict[str, object]:
    spec = draw(st.none() | st.sampled_from(SPECIALTIES))
    return {
        "career_stage": draw(st.none() | st.integers(1, 6)),
        "specialty": spec,
        "specialty_parent": PARENT.get(spec) if spec else None,
        "province": draw(st.none() | st.sampled_from(PROVINCES)),
        "institution": draw(st.none() | st.sampled_from(("a", "b", "c"))),
        "languages": draw(_subset(LANGS)),
        "interests": draw(_subset(INTERESTS)),
        "goals": draw(_subset(GOALS)),
        "modality": draw(st.none() | st.sampled_from(("virtual", "in_person", "either"))),
        "utc_offset": draw(st.none() | st.sampled_from((-8.0, -5.0, -3.5))),
        "gender": draw(st.none() | st.sampled_from(("woman", "man"))),
    }


@st.composite
def problems(
    draw: st.DrawFn,
    max_mentees: int = 8,
    max_mentors: int = 5,
    ranks: bool = False,
    locks: bool = False,
) -> Problem:
    """Small random problems with features, exclusions, rules and optional ranks."""
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(1, max_mentors))
    mentee_ids = [f"e{k}" for k in range(n)]
    mentor_ids = [f"t{k}" for k in range(m)]
    mentees = []
    for k in range(n):
        prefs = ()
        if draw(st.booleans()):
            prefs = (
                Preference(
                    "gender",
                    frozenset({draw(st.sampled_from(("woman", "man")))}),
                    draw(st.sampled_from((0.5, 1.0))),
                    required=draw(st.booleans()),
                ),
            )
        mentees.append(
            Mentee(
                mentee_ids[k],
                **draw(person_fields()),  # type: ignore[arg-type]
                exclude=draw(st.frozensets(st.sampled_from(mentor_ids), max_size=1)),
                ranks=tuple(draw(st.permutations(mentor_ids))[: draw(st.integers(1, m))])
                if ranks and draw(st.booleans())
                else (),
                preferences=prefs,
                confidentiality=draw(st.none() | st.just("institution")),
            )
        )
    mentors = [
        Mentor(
            mentor_ids[k],
            **draw(person_fields()),  # type: ignore[arg-type]
            capacity=draw(st.integers(1, 3)),
            ranks=tuple(draw(st.permutations(mentee_ids))[: draw(st.integers(0, n))])
            if ranks and n and draw(st.booleans())
            else (),
        )
        for k in range(m)
    ]
    rules = Rules(
        seniority=draw(st.sampled_from(("any", "peer", "strict"))),
        require_shared_language=draw(st.booleans()),
        ranks_exclusive=draw(st.booleans()),
    )
    weights = Weights(*draw(st.tuples(*[st.sampled_from((0.0, 1.0, 2.0))] * 4)))
    if sum(weights.as_tuple()) == 0:
        weights = Weights()
    problem = Problem(tuple(mentees), tuple(mentors), weights, rules)
    if locks and n and draw(st.booleans()):
        # A coordinator locks the first mentee with the first mentor it may have.
        excluded = excluded_pairs(problem)
        for t in mentors:
            if not broken_rules(problem, mentees[0], t, excluded):
                return replace(problem, locked=((mentees[0].id, t.id),))
    return problem


def dense(problem: Problem, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dense (score, eligible, mentee key, mentor key) matrices of a whole problem."""
    enc = encode(problem, seed)
    n, m = enc.n, enc.m
    i = np.repeat(np.arange(n, dtype=np.int64), m)
    j = np.tile(np.arange(m, dtype=np.int64), n)
    q = pair_scores(enc, i, j)
    eligible = score_rows(enc, np.arange(n, dtype=np.int64)) >= 0 if n else np.zeros((0, m), bool)
    return (
        q.reshape(n, m),
        eligible,
        mentee_keys(enc, i, j, q).reshape(n, m),
        mentor_keys(enc, i, j, q).reshape(n, m),
    )


def reference_da(
    eligible: np.ndarray, ekey: np.ndarray, tkey: np.ndarray, capacity: list[int]
) -> dict[int, int]:
    """Textbook mentee-proposing deferred acceptance over full, dense lists."""
    n, m = eligible.shape
    lists = [
        sorted((j for j in range(m) if eligible[i, j]), key=lambda j, i=i: -ekey[i, j])
        for i in range(n)
    ]
    nxt = [0] * n
    held: dict[int, list[int]] = {j: [] for j in range(m)}
    free = list(range(n))
    while free:
        i = free.pop()
        if nxt[i] >= len(lists[i]):
            continue
        j = lists[i][nxt[i]]
        nxt[i] += 1
        held[j].append(i)
        if len(held[j]) > capacity[j]:
            worst = min(held[j], key=lambda x: tkey[x, j])
            held[j].remove(worst)
            free.append(worst)
    return {i: j for j, mentees in held.items() for i in mentees}


@st.composite
def speed_events(
    draw: st.DrawFn,
    max_mentees: int = 8,
    max_mentors: int = 4,
    max_rotations: int = 3,
    max_table: int = 2,
) -> dict[str, object]:
    """Small speed-mentoring events: the ``problems`` above (ranks off) with extra
    exclusions, the rotations, the table size, up to five choices per mentee (some of
    ineligible mentors) and a seed."""
    problem = draw(problems(max_mentees=max_mentees, max_mentors=max_mentors))
    mentee_ids = [e.id for e in problem.mentees]
    mentor_ids = [t.id for t in problem.mentors]
    if mentee_ids:
        extra = draw(
            st.lists(
                st.tuples(st.sampled_from(mentee_ids), st.sampled_from(mentor_ids)), max_size=4
            )
        )
        problem = replace(problem, exclusions=tuple(extra))
    choices: dict[str, list[str]] = {}
    for e in mentee_ids:
        if draw(st.booleans()):
            k = draw(st.integers(0, min(5, len(mentor_ids))))
            choices[e] = list(draw(st.permutations(mentor_ids))[:k])
    return {
        "problem": problem,
        "rotations": draw(st.integers(1, max_rotations)),
        "table_size": draw(st.integers(1, max_table)),
        "choices": choices,
        "seed": draw(st.integers(0, 3)),
    }

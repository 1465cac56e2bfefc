"""Speed-mentoring schedules: properties, an exact CP-SAT reference, named cases."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medmentor.matching import MatchingInputError, Mentee, Mentor, Preference, Problem, Rules
from medmentor.matching.check import broken_rules
from medmentor.matching.inputs import excluded_pairs
from medmentor.matching.speed import (
    UNMET_MESSAGES,
    SpeedSchedule,
    exact_schedule,
    greedy_schedule,
    schedule_event,
    schedule_violations,
)
from medmentor.matching.speed.schedule import setup
from medmentor.matching.speed.select import levels, objective
from tests.matching.matching_strategies import speed_events

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def triples(s: SpeedSchedule) -> list[tuple[str, str, int]]:
    return [(x.mentee_id, x.mentor_id, x.rotation) for x in s.meetings]


def assert_valid(problem: Problem, s: SpeedSchedule) -> None:
    """Every rule of a schedule, checked here from the people (not the engine)."""
    pairs = Counter((x.mentee_id, x.mentor_id) for x in s.meetings)
    assert max(pairs.values(), default=1) == 1, "a pair meets twice"
    per_mentee = Counter((x.mentee_id, x.rotation) for x in s.meetings)
    assert max(per_mentee.values(), default=1) == 1, "a mentee twice in a rotation"
    per_table = Counter((x.mentor_id, x.rotation) for x in s.meetings)
    assert max(per_table.values(), default=0) <= s.table_size
    assert all(1 <= x.rotation <= s.rotations for x in s.meetings)
    mentees = {e.id: e for e in problem.mentees}
    mentors = {t.id: t for t in problem.mentors}
    excluded = excluded_pairs(problem)
    for x in s.meetings:
        e, t = mentees[x.mentee_id], mentors[x.mentor_id]
        assert (e.id, t.id) not in problem.exclusions
        assert t.id not in e.exclude
        assert e.id not in t.exclude
        assert not broken_rules(problem, e, t, excluded), (e.id, t.id)
        for pref in e.preferences:
            if pref.required and pref.attribute == "language":
                assert pref.values & t.languages
    order = {t.id: k for k, t in enumerate(problem.mentors)}
    order_e = {e.id: k for k, e in enumerate(problem.mentees)}
    keys = [(x.rotation, order[x.mentor_id], order_e[x.mentee_id]) for x in s.meetings]
    assert keys == sorted(keys)
    met = {x.mentee_id for x in s.meetings}
    assert [u.mentee_id for u in s.unmet] == [e.id for e in problem.mentees if e.id not in met]
    assert all(u.message == UNMET_MESSAGES[u.reason] for u in s.unmet)
    assert s.total == pytest.approx(sum(x.score for x in s.meetings), abs=1e-5)
    assert (
        schedule_violations(problem, triples(s), rotations=s.rotations, table_size=s.table_size)
        == []
    )


def engine_objective(case: dict[str, object], s: SpeedSchedule) -> int:
    """The selection objective of a returned schedule (balance + fit)."""
    st_ = setup(case["problem"], case["rotations"], case["table_size"], case.get("choices"), (), 0)  # type: ignore[arg-type]
    pos_e = {e.id: k for k, e in enumerate(st_.problem.mentees)}
    pos_t = {t.id: k for k, t in enumerate(st_.problem.mentors)}
    arcs = np.array(
        [st_.arc_of(pos_e[x.mentee_id], pos_t[x.mentor_id]) for x in s.meetings], dtype=np.int64
    )
    assert (arcs >= 0).all()
    bonus = levels(st_.enc.n, st_.enc.m, len(st_.ai), st_.rotations, st_.table_size)
    return objective(st_.enc.n, st_.enc.m, st_.ai[arcs], st_.aj[arcs], st_.fit[arcs], bonus)


# ---------------------------------------------------------------- properties


@SETTINGS
@given(speed_events())
def test_schedule_respects_every_rule(case: dict[str, object]) -> None:
    s = schedule_event(**case)  # type: ignore[arg-type]
    assert_valid(case["problem"], s)  # type: ignore[arg-type]
    shape = (case["rotations"], case["table_size"], case["seed"])
    assert (s.rotations, s.table_size, s.seed) == shape
    for x in s.meetings:
        picked = case["choices"].get(x.mentee_id, [])  # type: ignore[attr-defined]
        assert x.choice == (picked.index(x.mentor_id) + 1 if x.mentor_id in picked else None)
        assert x.reasons
        assert not x.locked


@SETTINGS
@given(speed_events())
def test_no_meeting_could_move_to_an_earlier_free_rotation(case: dict[str, object]) -> None:
    s = schedule_event(**case)  # type: ignore[arg-type]
    busy = {(x.mentee_id, x.rotation) for x in s.meetings}
    load = Counter((x.mentor_id, x.rotation) for x in s.meetings)
    for x in s.meetings:
        for r in range(1, x.rotation):
            assert (x.mentee_id, r) in busy or load[x.mentor_id, r] == s.table_size


@SETTINGS
@given(speed_events(), st.randoms(use_true_random=False))
def test_same_input_same_schedule_whatever_the_order_of_irrelevant_things(
    case: dict[str, object], rnd: random.Random
) -> None:
    first = schedule_event(**case)  # type: ignore[arg-type]
    assert schedule_event(**case) == first  # type: ignore[arg-type]
    problem: Problem = case["problem"]  # type: ignore[assignment]
    excl = list(problem.exclusions)
    rnd.shuffle(excl)
    picks = list(case["choices"].items())  # type: ignore[attr-defined]
    rnd.shuffle(picks)
    again = schedule_event(  # type: ignore[arg-type]
        **{**case, "problem": replace(problem, exclusions=tuple(excl)), "choices": dict(picks)}
    )
    assert again == first


@SETTINGS
@given(
    st.integers(1, 12), st.integers(1, 5), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2)
)
def test_meetings_are_spread_evenly_when_everyone_is_eligible(
    n: int, m: int, rotations: int, table: int, seed: int
) -> None:
    problem = Problem(
        tuple(Mentee(f"e{k}", interests={"a", "b"} if k % 2 else {"b"}) for k in range(n)),
        tuple(Mentor(f"t{k}", interests={"a"} if k % 3 else {"b"}) for k in range(m)),
    )
    s = schedule_event(problem, rotations=rotations, table_size=table, seed=seed)
    assert_valid(problem, s)
    counts = Counter(x.mentee_id for x in s.meetings)
    per = [counts[e.id] for e in problem.mentees]
    assert max(per) - min(per) <= 1
    # As many meetings as the seats and the distinct mentors allow.
    assert len(s.meetings) == min(n * min(rotations, m), m * rotations * table)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(speed_events(max_mentees=8, max_mentors=4, max_rotations=3))
def test_the_selection_is_optimal_against_cp_sat(case: dict[str, object]) -> None:
    s = schedule_event(**case)  # type: ignore[arg-type]
    kw = {k: case[k] for k in ("problem", "rotations", "table_size", "choices")}
    best = exact_schedule(**kw, time_limit=20)  # type: ignore[arg-type]
    assert best.proved
    assert engine_objective(case, s) == best.objective
    # The total score may differ between selections of equal objective only where the
    # fits round the scores (1e-4 of a perfect score per meeting).
    assert s.total == pytest.approx(best.total, abs=1e-4 * max(len(s.meetings), 1) + 1e-9)


@SETTINGS
@given(speed_events())
def test_a_chosen_mentor_is_met_when_eligible_and_seats_allow(case: dict[str, object]) -> None:
    s = schedule_event(**case)  # type: ignore[arg-type]
    rotations, table = case["rotations"], case["table_size"]
    met = {(x.mentee_id, x.mentor_id) for x in s.meetings}
    load = Counter(x.mentor_id for x in s.meetings)
    count = Counter(x.mentee_id for x in s.meetings)
    problem: Problem = case["problem"]  # type: ignore[assignment]
    mentees = {e.id: e for e in problem.mentees}
    mentors = {t.id: t for t in problem.mentors}
    excluded = excluded_pairs(problem)
    for e, picked in case["choices"].items():  # type: ignore[attr-defined]
        own = {t for (a, t) in met if a == e}
        for t in picked:
            if broken_rules(problem, mentees[e], mentors[t], excluded) or (e, t) in met:
                continue
            full = load[t] == rotations * table  # type: ignore[operator]
            busy_with_choices = count[e] == rotations and own <= set(picked)
            assert full or busy_with_choices, (e, t)


@SETTINGS
@given(speed_events(), st.randoms(use_true_random=False))
def test_locked_meetings_are_kept(case: dict[str, object], rnd: random.Random) -> None:
    first = schedule_event(**case)  # type: ignore[arg-type]
    keep = [x for x in triples(first) if rnd.random() < 0.4]
    s = schedule_event(**case, locked=keep)  # type: ignore[arg-type]
    assert_valid(case["problem"], s)  # type: ignore[arg-type]
    got = {(x.mentee_id, x.mentor_id, x.rotation) for x in s.meetings if x.locked}
    assert got == set(keep)
    assert sum(x.locked for x in s.meetings) == len(keep)


@SETTINGS
@given(speed_events(), st.data())
def test_schedule_violations_finds_every_kind(case: dict[str, object], data: st.DataObject) -> None:
    s = schedule_event(**case)  # type: ignore[arg-type]
    if not s.meetings:
        return
    rotations, table = case["rotations"], case["table_size"]
    meetings = triples(s)
    a, b, r = data.draw(st.sampled_from(meetings))

    def found(edited: list[tuple[str, str, int]]) -> list[str]:
        out = schedule_violations(case["problem"], edited, rotations=rotations, table_size=table)  # type: ignore[arg-type]
        return [f"{v.kind}: {v.message}" for v in out]

    assert any("more than once" in v for v in found([*meetings, (a, b, r)]))
    assert any("outside 1 to" in v for v in found([*meetings, (a, b, rotations + 1)]))  # type: ignore[operator]
    assert any("unknown mentor" in v for v in found([*meetings, (a, "nobody", 1)]))
    problem: Problem = case["problem"]  # type: ignore[assignment]
    others = [t.id for t in problem.mentors if (a, t.id) not in {(x, y) for x, y, _ in meetings}]
    if others:
        assert any("meetings in rotation" in v for v in found([*meetings, (a, others[0], r)]))
    crowd = [(e.id, b, r) for e in problem.mentees]
    if len(problem.mentees) > table:  # type: ignore[operator]
        assert any("more than the table size" in v for v in found(crowd))
    excluded = excluded_pairs(problem)
    bad = [
        (e.id, t.id)
        for e in problem.mentees
        for t in problem.mentors
        if broken_rules(problem, e, t, excluded)
    ]
    if bad:
        assert any("hard rules forbid" in v for v in found([(*bad[0], 1)]))


# ---------------------------------------------------------------- named cases


def people(n: int, m: int) -> Problem:
    mentees = tuple(Mentee(f"e{k}") for k in range(n))
    return Problem(mentees, tuple(Mentor(f"t{k}") for k in range(m)))


def test_two_mentors_four_mentees_two_rotations_tables_of_two() -> None:
    problem = people(4, 2)
    s = schedule_event(problem, rotations=2, table_size=2)
    assert_valid(problem, s)
    for e in problem.mentees:
        assert sorted(x.mentor_id for x in s.of_mentee(e.id)) == ["t0", "t1"]
    assert [len(s.at(r)) for r in (1, 2)] == [4, 4]
    assert all(len(s.of_mentor(t.id)) == 4 for t in problem.mentors)
    assert s.unmet == ()


def test_one_to_one_is_a_latin_square() -> None:
    problem = people(3, 3)
    s = schedule_event(problem, rotations=3)
    assert_valid(problem, s)
    assert {(x.mentee_id, x.mentor_id) for x in s.meetings} == {
        (e.id, t.id) for e in problem.mentees for t in problem.mentors
    }


def test_more_mentees_than_seats_leaves_the_fewest_unmet() -> None:
    problem = people(5, 1)
    s = schedule_event(problem, rotations=2, table_size=2)
    assert len(s.meetings) == 4
    assert [(u.mentee_id, u.reason) for u in s.unmet] == [(s.unmet[0].mentee_id, "no_seat")]


def test_a_mentee_nobody_may_meet_is_unmet_with_the_reason() -> None:
    problem = replace(people(2, 2), exclusions=(("e0", "t0"), ("e0", "t1")))
    s = schedule_event(problem, rotations=2)
    assert [(u.mentee_id, u.reason) for u in s.unmet] == [("e0", "no_eligible_mentor")]
    assert {x.mentor_id for x in s.of_mentee("e1")} == {"t0", "t1"}


def test_exclusions_either_way_and_required_language_are_never_scheduled() -> None:
    problem = Problem(
        (
            Mentee("e0", exclude={"t0"}),
            Mentee("e1", preferences=(Preference("language", {"fr"}, required=True),)),
            Mentee("e2", languages={"en"}),
        ),
        (Mentor("t0", languages={"fr"}), Mentor("t1", languages={"en"}, exclude={"e2"})),
        rules=Rules(require_shared_language=True),
    )
    s = schedule_event(problem, rotations=2)
    assert_valid(problem, s)
    assert {(x.mentee_id, x.mentor_id) for x in s.meetings} == {("e0", "t1"), ("e1", "t0")}
    assert [u.mentee_id for u in s.unmet] == ["e2"]


def test_the_first_choice_comes_first() -> None:
    problem = Problem(
        (Mentee("e0", interests={"research"}),),
        (Mentor("t0", interests={"research"}), Mentor("t1"), Mentor("t2")),
    )
    s = schedule_event(problem, rotations=3, choices={"e0": ["t2", "t1"]})
    assert [(x.mentor_id, x.choice) for x in s.of_mentee("e0")] == [
        ("t2", 1),
        ("t1", 2),
        ("t0", None),
    ]
    assert s.of_mentee("e0")[2].reasons[0].startswith("shared interest")


def test_a_chosen_mentor_goes_to_those_who_ranked_them_higher() -> None:
    # One rotation, one seat each: t0 is e1's first choice, e0's second; e2 chose
    # nobody. e0 gets their first choice t1, e1 gets t0, e2 is left out.
    problem = people(3, 2)
    s = schedule_event(problem, rotations=1, choices={"e0": ["t1", "t0"], "e1": ["t0"]})
    assert {(x.mentee_id, x.mentor_id, x.choice) for x in s.meetings} == {
        ("e1", "t0", 1),
        ("e0", "t1", 1),
    }
    assert [(u.mentee_id, u.reason) for u in s.unmet] == [("e2", "no_seat")]
    # With only t0 to share, the first choice wins over the second.
    s = schedule_event(people(2, 1), rotations=1, choices={"e0": ["t0"], "e1": []})
    s2 = schedule_event(
        replace(people(2, 2), exclusions=(("e0", "t1"), ("e1", "t1"))),
        rotations=1,
        choices={"e0": ["t1", "t0"], "e1": ["t0"]},
    )
    assert [x.mentee_id for x in s.meetings] == ["e0"]
    assert [x.mentee_id for x in s2.meetings] == ["e1"]


def test_a_choice_of_an_ineligible_mentor_is_ignored() -> None:
    problem = replace(people(1, 2), exclusions=(("e0", "t0"),))
    s = schedule_event(problem, rotations=2, choices={"e0": ["t0", "t1"]})
    assert [(x.mentor_id, x.choice) for x in s.meetings] == [("t1", 2)]


def test_a_meeting_that_cannot_be_coloured_around_locked_ones_is_dropped() -> None:
    # e0 is busy in rotation 1 and t1 in rotation 2: e0-t1 fits no rotation, likewise
    # e1-t0; locked meetings are never moved, so both are dropped.
    problem = people(2, 2)
    locked = [("e0", "t0", 1), ("e1", "t1", 2)]
    s = schedule_event(problem, rotations=2, locked=locked)
    assert_valid(problem, s)
    assert sorted(triples(s)) == sorted(locked)
    assert all(x.locked for x in s.meetings)


def test_locked_meetings_keep_their_rotation() -> None:
    problem = people(4, 2)
    s = schedule_event(problem, rotations=2, table_size=2, locked=[("e3", "t1", 1)])
    assert_valid(problem, s)
    assert ("e3", "t1", 1) in triples(s)
    assert len(s.meetings) == 8


def test_greedy_baseline_is_valid_and_no_better() -> None:
    problem = people(6, 3)
    choices = {"e0": ["t0"], "e1": ["t0"], "e2": ["t0"]}
    g = greedy_schedule(problem, rotations=2, choices=choices)
    s = schedule_event(problem, rotations=2, choices=choices)
    assert_valid(problem, g)
    assert len(g.meetings) <= len(s.meetings)


def test_empty_events() -> None:
    assert schedule_event(people(0, 2), rotations=3).meetings == ()
    s = schedule_event(Problem((Mentee("e0"),), ()), rotations=3)
    assert [u.reason for u in s.unmet] == ["no_eligible_mentor"]


# ---------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rotations": 0}, "rotations"),
        ({"rotations": 51}, "rotations"),
        ({"rotations": 2.0}, "rotations"),
        ({"rotations": True}, "rotations"),
        ({"table_size": 0}, "table_size"),
        ({"table_size": 9}, "table_size"),
        ({"choices": {"nobody": ["t0"]}}, "choices"),
        ({"choices": {"e0": ["nobody"]}}, "choices"),
        ({"choices": {"e0": ["t0", "t1", "t2", "t3", "t4", "t5"]}}, "choices"),
        ({"choices": {"e0": ["t0", "t0"]}}, "choices"),
        ({"choices": {"e0": "t0"}}, "choices"),
        ({"locked": [("e0", "t0")]}, "locked"),
        ({"locked": [("nobody", "t0", 1)]}, "locked"),
        ({"locked": [("e0", "t0", 3)]}, "locked"),
        ({"locked": [("e0", "t0", 1), ("e0", "t1", 1)]}, "locked"),
        ({"locked": [("e0", "t0", 1), ("e1", "t0", 1)]}, "locked"),
        ({"locked": [("e0", "t0", 1), ("e0", "t0", 2)]}, "locked"),
        ({"locked": [("e0", "t6", 1)]}, "locked"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    problem = replace(people(2, 7), exclusions=(("e0", "t6"),))
    args: dict[str, object] = {"rotations": 2, **kwargs}
    with pytest.raises(MatchingInputError) as err:
        schedule_event(problem, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    if field in ("rotations", "table_size"):
        with pytest.raises(MatchingInputError) as err:
            schedule_violations(problem, [], **{"rotations": 2, "table_size": 1, **kwargs})  # type: ignore[arg-type]
        assert err.value.field == field


def test_capacity_and_problem_locked_are_not_used() -> None:
    problem = Problem(
        (Mentee("e0"), Mentee("e1")), (Mentor("t0", capacity=1),), locked=(("e0", "t0"),)
    )
    s = schedule_event(problem, rotations=2)
    assert len(s.meetings) == 2
    assert not any(x.locked for x in s.meetings)


def test_schedule_violations_names_people_by_label() -> None:
    problem = replace(people(2, 1), labels={"e0": "Ana Lee", "t0": "Dr Bo"})
    out = schedule_violations(
        problem, [("e0", "t0", 1), ("e0", "t0", 2), ("e1", "t0", 1)], rotations=2, table_size=1
    )
    assert [v.message for v in out] == [
        "mentee Ana Lee meets mentor Dr Bo more than once (rotations 1, 2)",
        "mentor Dr Bo has 2 mentees in rotation 1, more than the table size 1",
    ]
    repeated, crowded = out
    assert (repeated.kind, repeated.mentee_id, repeated.mentor_id) == ("repeated_pair", "e0", "t0")
    assert repeated.rotations == (1, 2)
    assert (crowded.kind, crowded.mentor_id, crowded.rotations) == ("table_over", "t0", (1,))
    assert crowded.others == ("e0", "e1")
    assert schedule_violations(problem, [], rotations=2, table_size=1) == []

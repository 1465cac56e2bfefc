"""Named worked examples: textbook instances and the four Cs on small cases."""

from __future__ import annotations

import numpy as np
import pytest

from medmentor.matching import (
    MatchingInputError,
    Mentee,
    Mentor,
    Preference,
    Problem,
    Question,
    Rules,
    Weights,
    check_matching,
    check_pair,
    rank_mentors,
    solve,
)
from medmentor.matching import stable as stable_module
from tests.matching.matching_strategies import dense, reference_da

LABELS = {
    "fm": "family medicine",
    "sexual-health": "sexual health",
    "wlb": "work-life balance",
    "fr": "French",
    "en": "English",
}


def test_gale_shapley_three_by_three_is_mentee_optimal() -> None:
    # Each side's first choices form a cycle: mentee-proposing gives every mentee its
    # first choice (and every mentor its last).
    mentees = (
        Mentee("a", ranks=("A", "B", "C")),
        Mentee("b", ranks=("B", "C", "A")),
        Mentee("c", ranks=("C", "A", "B")),
    )
    mentors = (
        Mentor("A", ranks=("b", "c", "a")),
        Mentor("B", ranks=("c", "a", "b")),
        Mentor("C", ranks=("a", "b", "c")),
    )
    assert solve(Problem(mentees, mentors)).mentor_of() == {"a": "A", "b": "B", "c": "C"}


def test_hospital_resident_example_from_the_matching_package_docs() -> None:
    resident_prefs = {
        "A": ["C"],
        "S": ["C", "M"],
        "D": ["C", "M", "G"],
        "J": ["C", "G", "M"],
        "L": ["M", "C", "G"],
    }
    hospital_prefs = {
        "M": ["D", "L", "S", "J"],
        "C": ["D", "A", "S", "L", "J"],
        "G": ["D", "J", "L"],
    }
    problem = Problem(
        tuple(Mentee(r, ranks=tuple(p)) for r, p in resident_prefs.items()),
        tuple(Mentor(h, ranks=tuple(p), capacity=2) for h, p in hospital_prefs.items()),
    )
    got = solve(problem).mentor_of()
    assert got == {"A": "C", "D": "C", "L": "M", "S": "M", "J": "G"}


def test_reasons_read_like_the_issue() -> None:
    e = Mentee(
        "e",
        specialty="fm",
        interests={"sexual-health", "research"},
        goals={"wlb"},
        languages={"en", "fr"},
    )
    t = Mentor(
        "t",
        specialty="fm",
        interests={"sexual-health"},
        goals={"wlb", "teaching"},
        languages={"fr"},
    )
    result = solve(Problem((e,), (t,), labels=LABELS))
    assert result.pairs[0].reasons == (
        "both family medicine",
        "shared interest: sexual health",
        "offers work-life balance",
        "both speak French",
    )


def test_meeting_rhythm_and_career_path_read_as_phrases() -> None:
    e = Mentee("e", cadence="monthly", career_path="academic")
    t = Mentor("t", cadence="monthly", career_path="academic")
    labels = {"monthly": "Every month", "academic": "academic"}
    reasons = solve(Problem((e,), (t,), labels=labels)).pairs[0].reasons
    assert "same meeting rhythm: Every month" in reasons
    assert "same career path: academic" in reasons


def test_commonality_prefers_the_same_specialty_then_the_family() -> None:
    e = Mentee("e", specialty="ped", specialty_parent="im")
    mentors = (
        Mentor("same", specialty="ped", specialty_parent="im"),
        Mentor("family", specialty="im"),
        Mentor("other", specialty="psy"),
    )
    ranked = rank_mentors(e, mentors, Weights(0, 0, 1, 0))
    assert [(r.mentor_id, r.score) for r in ranked] == [
        ("same", 1.0),
        ("family", 0.5),
        ("other", 0.0),
    ]
    assert ranked[1].reasons == ("related specialties (im)",)


def test_hard_rules_are_masks_and_say_why() -> None:
    e = Mentee(
        "e",
        career_stage=2,
        languages={"fr"},
        preferences=(Preference("gender", frozenset({"woman"}), required=True),),
    )
    mentors = (
        Mentor("ok", career_stage=4, languages={"fr", "en"}, gender="woman"),
        Mentor("junior", career_stage=2, languages={"fr"}, gender="woman"),
        Mentor("english", career_stage=5, languages={"en"}, gender="woman"),
        Mentor("man", career_stage=5, languages={"fr"}, gender="man"),
        Mentor("boss", career_stage=6, languages={"fr"}, gender="woman", exclude={"e"}),
    )
    ranked = rank_mentors(e, mentors, rules=Rules(seniority="strict"))
    assert [r.mentor_id for r in ranked if r.eligible] == ["ok"]
    why = {r.mentor_id: r.reasons for r in ranked if not r.eligible}
    assert why == {
        "junior": ("mentor's career stage is not above the mentee's",),
        "english": ("no shared language",),
        "man": ("required preference not met: gender",),
        "boss": ("excluded: reporting line or conflict of interest",),
    }
    peer = rank_mentors(e, mentors, rules=Rules(seniority="peer"))
    assert {r.mentor_id for r in peer if r.eligible} == {"ok", "junior"}


def test_locked_pairs_are_kept_and_consume_capacity() -> None:
    mentees = tuple(Mentee(f"e{k}", specialty="fm") for k in range(3))
    mentors = (Mentor("t1", specialty="fm", capacity=1), Mentor("t2", specialty="im", capacity=2))
    problem = Problem(mentees, mentors, locked=(("e2", "t1"),))
    for algorithm in ("stable", "optimal"):
        result = solve(problem, algorithm)
        assert result.mentor_of() == {"e2": "t1", "e0": "t2", "e1": "t2"}
        assert [p.locked for p in result.pairs] == [True, False, False]
        assert check_matching(problem, [(p.mentee_id, p.mentor_id) for p in result.pairs]).ok
    with pytest.raises(MatchingInputError) as err:
        solve(Problem(mentees, mentors, locked=(("e0", "t1"), ("e1", "t1"))))
    assert err.value.field == "locked"


def test_exclusion_either_direction_never_proposed() -> None:
    problem = Problem(
        (Mentee("e", exclude={"t1"}), Mentee("f")),
        (Mentor("t1", capacity=2), Mentor("t2", exclude={"f"})),
    )
    for algorithm in ("stable", "optimal"):
        got = solve(problem, algorithm).mentor_of()
        assert got.get("e") != "t1"
        assert got.get("f") != "t2"


def test_questions_same_different_covers() -> None:
    questions = (
        Question("style", "same"),
        Question("shift", "different"),
        Question("topics", "covers"),
    )
    e = Mentee("e", answers={"style": {"direct"}, "shift": {"night"}, "topics": {"a", "b"}})
    good = Mentor(
        "good", answers={"style": {"direct"}, "shift": {"day"}, "topics": {"a", "b", "c"}}
    )
    bad = Mentor("bad", answers={"style": {"gentle"}, "shift": {"night"}, "topics": {"a"}})
    ranked = rank_mentors(e, (bad, good), Weights(0, 1, 0, 0), questions=questions)
    assert [(r.mentor_id, r.score) for r in ranked] == [("good", 1.0), ("bad", 0.0)]
    assert ranked[0].reasons == (
        "same answer on style: direct",
        "different answers on shift",
        "covers topics: a and b",
    )


def test_optimal_beats_stable_on_the_classic_two_by_two() -> None:
    # Both mentees love "star"; stable gives star to e1 (star's better fit) and leaves
    # e2 a poor mentor, optimal trades a little for a larger total.
    e1 = Mentee("e1", interests={"a", "b"})
    e2 = Mentee("e2", interests={"a", "c"})
    star = Mentor("star", interests={"a", "b", "c"})
    weak = Mentor("weak", interests={"b"})
    problem = Problem((e1, e2), (star, weak), Weights(0, 0, 1, 0))
    stable, optimal = solve(problem, "stable"), solve(problem, "optimal")
    assert optimal.summary.total_score >= stable.summary.total_score
    assert optimal.mentor_of() == {"e1": "weak", "e2": "star"}


def test_check_pair_reports_broken_rules_and_unknown_ids() -> None:
    problem = Problem((Mentee("e", languages={"fr"}),), (Mentor("t", languages={"en"}),))
    assert check_pair(problem, "e", "t").broken == ("no shared language",)
    with pytest.raises(MatchingInputError) as err:
        check_pair(problem, "e", "zz")
    assert err.value.participant == "zz"


def test_unmatched_reasons() -> None:
    problem = Problem(
        (
            Mentee("alone", languages={"de"}),
            Mentee("picky", ranks=("t",)),
            Mentee("late", specialty="im"),
            Mentee("first", specialty="fm"),
        ),
        (Mentor("t", languages={"en"}, specialty="fm", ranks=("first", "late")),),
    )
    result = solve(problem)
    assert result.mentor_of() == {"first": "t"}
    assert {u.mentee_id: u.reason for u in result.unmatched} == {
        "alone": "no_eligible_mentor",
        "picky": "no_eligible_mentor",
        "late": "mentors_full",
    }


def test_lazy_extension_keeps_the_matching_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # Everyone ranks the same popular mentors first: with one-long initial lists nearly
    # every mentee exhausts its list and must be extended.
    rng = np.random.default_rng(5)
    specs = ["fm", "im", "ped", "psy"]
    mentees = tuple(
        Mentee(
            f"e{k}", specialty=str(rng.choice(specs)), interests=set(rng.choice(list("abcdef"), 2))
        )
        for k in range(120)
    )
    mentors = tuple(
        Mentor(
            f"t{k}",
            specialty=str(rng.choice(specs)),
            capacity=2,
            interests=set(rng.choice(list("abcdef"), 3)),
        )
        for k in range(50)
    )
    problem = Problem(mentees, mentors)
    monkeypatch.setattr(stable_module, "FIRST_K", 1)
    result = solve(problem, "stable", 3)
    assert result.summary.extensions > 0
    _, eligible, ekey, tkey = dense(problem, 3)
    expected = reference_da(eligible, ekey, tkey, [t.capacity for t in mentors])
    assert result.mentor_of() == {mentees[i].id: mentors[j].id for i, j in expected.items()}


def test_a_mentee_ranking_more_mentors_than_its_first_list_proposes_in_rank_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "keen" ranks A, B, C (not exclusively); D, unranked, is the best fit by score.
    # A prefers "first". With one-long first lists, keen's list must go on with B,
    # its next ranked mentor, not with D.
    mentees = (
        Mentee("keen", specialty="fm", ranks=("A", "B", "C")),
        Mentee("first", ranks=("A",)),
    )
    mentors = (
        Mentor("A", capacity=1, ranks=("first", "keen")),
        Mentor("B", capacity=1),
        Mentor("C", capacity=1),
        Mentor("D", specialty="fm", capacity=1),
    )
    monkeypatch.setattr(stable_module, "FIRST_K", 1)
    result = solve(Problem(mentees, mentors, rules=Rules(ranks_exclusive=False)), "stable", 0)
    assert result.summary.extensions > 0
    assert result.mentor_of() == {"first": "A", "keen": "B"}

"""MedMentor's matching engine: explainable four-C scores, stable and optimal matching.

A pure library (NumPy, SciPy, OR-Tools; no Django). Build immutable inputs, then::

    from medmentor.matching import Mentee, Mentor, Problem, Weights, solve

    problem = Problem(
        mentees=(Mentee("e1", specialty="fm", interests={"sexual-health"}),),
        mentors=(Mentor("t1", specialty="fm", interests={"sexual-health"}, capacity=2),),
        weights=Weights(commonality=2),
    )
    result = solve(problem, algorithm="stable", seed=1)
    for pair in result.pairs:
        print(pair.mentee_id, pair.mentor_id, pair.score, "; ".join(pair.reasons))

Bad input raises :class:`MatchingInputError` with the offending ``participant`` and
``field``. See ``docs/matching.md``.
"""

from medmentor.matching.api import check_matching, check_pair, rank_mentors, solve
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import (
    COMPONENTS,
    Mentee,
    Mentor,
    Preference,
    Problem,
    Question,
    Rules,
    Weights,
    check_inputs,
)
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

__all__ = [
    "COMPONENTS",
    "Components",
    "MatchingInputError",
    "Mentee",
    "Mentor",
    "Pair",
    "PairCheck",
    "Preference",
    "Problem",
    "Question",
    "RankedMentor",
    "Report",
    "Result",
    "Rules",
    "Summary",
    "Unmatched",
    "Violation",
    "Weights",
    "check_inputs",
    "check_matching",
    "check_pair",
    "rank_mentors",
    "solve",
]

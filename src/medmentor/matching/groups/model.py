"""Mentoring groups: the results, the reason codes and the checks of the arguments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import Problem, check_inputs

UNPLACED_MESSAGES = {
    "no_eligible_mentor": "no mentor passes the hard rules with this mentee",
    "no_seat": (
        "every group whose mentor is eligible is full or holds someone this mentee "
        "must not be grouped with"
    ),
    "too_few_for_a_group": (
        "too few mentees remain for this mentee's eligible mentors to lead a group "
        "of the minimum size"
    ),
}


@dataclass(frozen=True, slots=True)
class Group:
    """One mentor and the mentees they lead (input order).

    ``score`` is the mean pair score (mentee -> mentor, the pair engine's four-C score)
    of its mentees, in [0, 1]; ``reasons`` say what the members share.
    """

    mentor_id: str
    mentee_ids: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnplacedMentee:
    """A mentee in no group. Codes: see ``UNPLACED_MESSAGES``."""

    mentee_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class GroupsResult:
    """Outcome of :func:`form_groups`: groups in mentor input order, the unplaced in
    mentee input order, and ``total``, the sum of every placed pair's score."""

    groups: tuple[Group, ...]
    unplaced: tuple[UnplacedMentee, ...]
    total: float
    seed: int

    def group_of(self) -> dict[str, str]:
        """Mentee id -> mentor id of their group."""
        return {e: g.mentor_id for g in self.groups for e in g.mentee_ids}


def _whole(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise MatchingInputError(f"{name} must be a whole number >= {least}", field=name)
    return value


def checked_problem(
    problem: Problem,
    size_min: int,
    size_max: int,
    max_per_institution: int | None,
    exclusions: Iterable[tuple[str, str]],
) -> tuple[Problem, list[tuple[str, str]]]:
    """Validate the arguments; return the problem with every mentee-mentor exclusion
    added to ``problem.exclusions`` (so the pair engine enforces it) and the
    unordered mentee-mentee exclusions (``exclusions`` and each mentee's ``exclude``).
    """
    _whole("size_min", size_min, 1)
    _whole("size_max", size_max, 1)
    if size_min > size_max:
        raise MatchingInputError("size_min must not exceed size_max", field="size_min")
    if max_per_institution is not None:
        _whole("max_per_institution", max_per_institution, 1)
    check_inputs(problem)
    mentee_ids = {m.id for m in problem.mentees}
    mentor_ids = {t.id for t in problem.mentors}
    pair_excl: list[tuple[str, str]] = []
    peer_excl: list[tuple[str, str]] = []
    for pair in exclusions:
        a, b = (str(x) for x in pair)
        for x in (a, b):
            if x not in mentee_ids and x not in mentor_ids:
                raise MatchingInputError(
                    f"exclusion ({a!r}, {b!r}) names an unknown id {x!r}",
                    participant=x,
                    field="exclude",
                )
        if a in mentee_ids and b in mentee_ids:
            peer_excl.append((a, b))
        # Someone may be both a mentee and a mentor: the pair is excluded either way.
        if a in mentee_ids and b in mentor_ids:
            pair_excl.append((a, b))
        if b in mentee_ids and a in mentor_ids:
            pair_excl.append((b, a))
    for m in problem.mentees:
        peer_excl.extend((m.id, x) for x in sorted(m.exclude) if x in mentee_ids)
    if pair_excl:
        problem = replace(problem, exclusions=(*problem.exclusions, *pair_excl))
    return problem, peer_excl

"""Speed-mentoring schedules: the results, the reason codes, the fit constants and the
checks of the arguments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import Problem, check_inputs

MAX_ROTATIONS = 50
MAX_TABLE = 8
MAX_CHOICES = 5

UNMET_MESSAGES = {
    "no_eligible_mentor": "no mentor passes the hard rules with this mentee",
    "no_seat": "every eligible mentor's table is full in every rotation",
}


@dataclass(frozen=True, slots=True)
class SpeedMeeting:
    """One meeting: ``mentee_id`` sits at ``mentor_id``'s table in ``rotation`` (1..R).

    ``score`` is the pair engine's four-C score (mentee -> mentor) in [0, 1];
    ``choice`` the mentee's rank of this mentor (1..5) when they chose them, else
    None; ``reasons`` the pair engine's reasons for the pair (the app says "you chose
    this mentor" from ``choice``); ``locked`` whether the coordinator fixed it.
    """

    rotation: int
    mentor_id: str
    mentee_id: str
    score: float
    choice: int | None
    reasons: tuple[str, ...]
    locked: bool


@dataclass(frozen=True, slots=True)
class UnmetMentee:
    """A mentee with no meeting at all. Codes: see ``UNMET_MESSAGES``."""

    mentee_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing wrong with a hand-edited schedule. ``kind``: ``unknown_mentee``,
    ``unknown_mentor``, ``rotation_out_of_range``, ``repeated_pair``,
    ``mentee_double_booked`` (``others``: the mentors of that rotation),
    ``table_over`` (``others``: the mentees at the table) or ``forbidden_pair``
    (``others``: the broken hard rules). ``message`` says it in plain English; an app
    words it from the fields in its reader's language."""

    kind: str
    message: str
    mentee_id: str = ""
    mentor_id: str = ""
    rotations: tuple[int, ...] = ()
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SpeedSchedule:
    """Outcome of :func:`schedule_event`: the meetings sorted by (rotation, mentor input
    order, mentee input order), the mentees without any meeting (input order) and
    ``total``, the sum of the meetings' scores."""

    meetings: tuple[SpeedMeeting, ...]
    unmet: tuple[UnmetMentee, ...]
    total: float
    rotations: int
    table_size: int
    seed: int

    def of_mentee(self, mentee_id: str) -> tuple[SpeedMeeting, ...]:
        """The meetings of one mentee, by rotation."""
        return tuple(x for x in self.meetings if x.mentee_id == mentee_id)

    def of_mentor(self, mentor_id: str) -> tuple[SpeedMeeting, ...]:
        """The meetings at one mentor's table, by rotation (then mentee input order)."""
        return tuple(x for x in self.meetings if x.mentor_id == mentor_id)

    def at(self, rotation: int) -> tuple[SpeedMeeting, ...]:
        """The meetings of one rotation, in mentor then mentee input order."""
        return tuple(x for x in self.meetings if x.rotation == rotation)


def _whole(name: str, value: object, least: int, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise MatchingInputError(
            f"{name} must be a whole number from {least} to {most}", field=name
        )
    return value


def check_shape(rotations: object, table_size: object) -> tuple[int, int]:
    """Validate the number of rotations and the table size."""
    return (
        _whole("rotations", rotations, 1, MAX_ROTATIONS),
        _whole("table_size", table_size, 1, MAX_TABLE),
    )


def checked_problem(problem: Problem) -> Problem:
    """Validate the problem; ``problem.locked`` (pairs, not meetings) is not used by
    events and mentor ``capacity`` is ignored (every mentor has R x table_size seats)."""
    if isinstance(problem, Problem) and problem.locked:
        problem = replace(problem, locked=())
    check_inputs(problem)
    return problem


def checked_choices(
    problem: Problem, choices: Mapping[str, Sequence[str]] | None
) -> dict[str, tuple[str, ...]]:
    """Validate ``choices`` (mentee id -> up to five distinct mentor ids, best first)."""
    if choices is None:
        return {}
    if not isinstance(choices, Mapping):
        raise MatchingInputError("choices must map mentee ids to mentor ids", field="choices")
    mentee_ids = {e.id for e in problem.mentees}
    mentor_ids = {t.id for t in problem.mentors}
    out: dict[str, tuple[str, ...]] = {}
    for key, value in choices.items():
        who = str(key)
        if who not in mentee_ids:
            raise MatchingInputError(
                f"choices name an unknown mentee {who!r}", participant=who, field="choices"
            )
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise MatchingInputError(
                f"the choices of {who!r} must be a list of mentor ids",
                participant=who,
                field="choices",
            )
        picked = tuple(str(x) for x in value)
        if len(picked) > MAX_CHOICES:
            raise MatchingInputError(
                f"{who!r} chose more than {MAX_CHOICES} mentors", participant=who, field="choices"
            )
        if len(set(picked)) != len(picked):
            raise MatchingInputError(
                f"{who!r} chose a mentor twice", participant=who, field="choices"
            )
        for x in picked:
            if x not in mentor_ids:
                raise MatchingInputError(
                    f"{who!r} chose an unknown mentor {x!r}", participant=who, field="choices"
                )
        out[who] = picked
    return out


def parsed_locked(
    problem: Problem, locked: Iterable[tuple[str, str, int]], rotations: int
) -> list[tuple[str, str, int]]:
    """The locked meetings as (mentee id, mentor id, rotation), ids and rotations
    checked (collisions and hard rules are checked by the caller, which knows them)."""
    mentee_ids = {e.id for e in problem.mentees}
    mentor_ids = {t.id for t in problem.mentors}
    out: list[tuple[str, str, int]] = []
    for item in locked:
        try:
            a, b, r = item
        except (TypeError, ValueError):
            raise MatchingInputError(
                "locked meetings must be (mentee id, mentor id, rotation)", field="locked"
            ) from None
        a, b = str(a), str(b)
        if a not in mentee_ids or b not in mentor_ids:
            raise MatchingInputError(
                f"locked meeting ({a!r}, {b!r}) must name a mentee and a mentor",
                participant=a,
                field="locked",
            )
        if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= rotations:
            raise MatchingInputError(
                f"locked meeting ({a!r}, {b!r}) must be in a rotation from 1 to {rotations}",
                participant=a,
                field="locked",
            )
        out.append((a, b, r))
    return out

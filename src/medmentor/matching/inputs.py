"""Immutable inputs of the engine and their validation (``check_inputs``).

Features are plain codes (strings) so that the web app can pass taxonomy codes
straight in; sets may be given as any iterable and are stored as ``frozenset``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from medmentor.matching.exceptions import MatchingInputError

COMPONENTS: tuple[str, ...] = ("consideration", "camaraderie", "commonality", "confidentiality")
MODALITY_ANY = "either"
PREFERENCE_ATTRIBUTES = ("gender", "language", "province")
QUESTION_RULES = ("same", "different", "covers")

Seniority = Literal["any", "peer", "strict"]
Algorithm = Literal["stable", "optimal"]


def _set(value: Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(str(v) for v in value if str(v) != "")


def answers_mapping(value: Mapping[str, Iterable[str]] | None) -> Mapping[str, frozenset[str]]:
    if not value:
        return MappingProxyType({})
    return MappingProxyType({str(k): _set(v) for k, v in sorted(value.items())})


@dataclass(frozen=True, slots=True)
class Preference:
    """A mentee's stated preference about the mentor (camaraderie).

    ``attribute`` is one of ``gender``, ``language`` or ``province``; ``values`` the
    acceptable codes; ``importance`` in (0, 1] weighs it against the mentee's other
    preferences; ``required`` turns it into a hard rule (a mask, never a penalty).
    """

    attribute: str
    values: frozenset[str]
    importance: float = 1.0
    required: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _set(self.values))


@dataclass(frozen=True, slots=True)
class Participant:
    """Features shared by mentees and mentors (see ``docs/matching.md``)."""

    id: str
    career_stage: int | None = None
    specialty: str | None = None
    specialty_parent: str | None = None
    province: str | None = None
    institution: str | None = None
    department: str | None = None
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    modality: str | None = None
    cadence: str | None = None
    utc_offset: float | None = None
    availability: frozenset[str] = frozenset()
    gender: str | None = None
    career_path: str | None = None
    answers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()
    ranks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("languages", "interests", "goals", "availability", "exclude"):
            object.__setattr__(self, name, _set(getattr(self, name)))
        object.__setattr__(self, "answers", answers_mapping(self.answers))
        object.__setattr__(self, "ranks", tuple(map(str, self.ranks)))
        for name in ("specialty", "specialty_parent", "province", "institution", "department"):
            value = getattr(self, name)
            if value == "":
                object.__setattr__(self, name, None)
        for name in ("modality", "cadence", "gender", "career_path"):
            value = getattr(self, name)
            if value == "":
                object.__setattr__(self, name, None)


@dataclass(frozen=True, slots=True)
class Mentee(Participant):
    """A person seeking a mentor.

    ``goals`` are the goals sought; ``preferences`` the stated camaraderie
    preferences; ``confidentiality`` asks for a mentor from another ``"institution"``
    or another ``"department"`` (``None``: not asked). ``ranks`` lists mentor ids in
    order of preference.
    """

    preferences: tuple[Preference, ...] = ()
    confidentiality: str | None = None

    def __post_init__(self) -> None:
        Participant.__post_init__(self)
        object.__setattr__(self, "preferences", tuple(self.preferences))
        if self.confidentiality == "":
            object.__setattr__(self, "confidentiality", None)


@dataclass(frozen=True, slots=True)
class Mentor(Participant):
    """A person offering mentoring to up to ``capacity`` mentees.

    ``goals`` are the goals offered; ``ranks`` lists mentee ids in order of preference.
    """

    capacity: int = 1


P = TypeVar("P", Mentee, Mentor)


def people_from_columns(cls: type[P], columns: Mapping[str, Sequence[Any]]) -> list[P]:
    """One ``cls`` a row of ``columns`` (every field of ``cls``, each a column of equal
    length), whose values are already in the form ``__post_init__`` leaves them:
    frozensets of non-empty strings, ``None`` for an empty code, answers from
    :func:`answers_mapping`, tuples. The CSV reader parses each distinct cell once and
    shares the values; building the people then skips normalising every field again."""
    names = [f.name for f in fields(cls)]
    if sorted(names) != sorted(columns):
        raise ValueError(f"columns of {cls.__name__}: expected {sorted(names)}")
    setter = object.__setattr__
    out: list[P] = []
    for values in zip(*(columns[name] for name in names), strict=True):
        person = object.__new__(cls)
        for name, value in zip(names, values, strict=True):
            setter(person, name, value)
        out.append(person)
    return out


@dataclass(frozen=True, slots=True)
class Weights:
    """Per-program weights of the four Cs (any non-negative numbers, not all zero)."""

    consideration: float = 1.0
    camaraderie: float = 1.0
    commonality: float = 1.0
    confidentiality: float = 1.0

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.consideration, self.camaraderie, self.commonality, self.confidentiality)


@dataclass(frozen=True, slots=True)
class Question:
    """An extra intake question used in matching.

    ``rule``: ``same`` (the answers are equal), ``different`` (no answer in common) or
    ``covers`` (the mentor's answers include every answer of the mentee). ``weight``
    weighs it against the other terms of its four-C ``component``.
    """

    code: str
    rule: str = "same"
    weight: float = 1.0
    component: str = "camaraderie"
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    """Hard rules of a program (masks, never penalties).

    ``seniority``: ``strict`` (mentor's career stage strictly above the mentee's),
    ``peer`` (at or above) or ``any``. ``require_shared_language``: a pair must share a
    language when both state languages. ``ranks_exclusive``: a participant who ranks
    considers only those ranked (``True``) or ranks them ahead of everyone else, who
    follow by score (``False``, "picks").
    """

    seniority: Seniority = "any"
    require_shared_language: bool = True
    ranks_exclusive: bool = True


@dataclass(frozen=True, slots=True)
class Problem:
    """One matching problem: people, weights, rules and fixed decisions.

    ``exclusions`` are extra (mentee id, mentor id) pairs never to propose (reporting
    lines, conflicts, blocks), in addition to each person's ``exclude``; ``locked``
    are (mentee id, mentor id) pairs held fixed: they consume the mentor's capacity
    and the mentee is not matched again. ``labels`` maps codes to human labels used
    in reasons.
    """

    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    weights: Weights = Weights()
    rules: Rules = Rules()
    questions: tuple[Question, ...] = ()
    exclusions: tuple[tuple[str, str], ...] = ()
    locked: tuple[tuple[str, str], ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mentees", tuple(self.mentees))
        object.__setattr__(self, "mentors", tuple(self.mentors))
        object.__setattr__(self, "questions", tuple(self.questions))
        object.__setattr__(self, "exclusions", tuple((str(a), str(b)) for a, b in self.exclusions))
        object.__setattr__(self, "locked", tuple((str(a), str(b)) for a, b in self.locked))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))


def _fail(message: str, who: str | None, field_name: str) -> MatchingInputError:
    return MatchingInputError(message, participant=who, field=field_name)


def _check_person(p: Participant, role: str) -> None:
    if not isinstance(p.id, str) or p.id == "":
        raise _fail(f"{role} without an id", None, "id")
    if p.career_stage is not None and (
        isinstance(p.career_stage, bool) or not isinstance(p.career_stage, int)
    ):
        raise _fail(f"career stage of {p.id!r} must be an integer", p.id, "career_stage")
    if p.utc_offset is not None and (
        not isinstance(p.utc_offset, int | float)
        or not math.isfinite(p.utc_offset)
        or not -14 <= p.utc_offset <= 14
    ):
        raise _fail(f"time zone offset of {p.id!r} must be in [-14, 14] hours", p.id, "utc_offset")
    if len(p.ranks) > 1 and len(set(p.ranks)) != len(p.ranks):
        raise _fail(f"{p.id!r} ranks someone twice", p.id, "ranks")


def check_inputs(problem: Problem) -> None:
    """Validate ``problem``; raise :class:`MatchingInputError` naming the culprit."""
    if not isinstance(problem, Problem):
        raise MatchingInputError("expected a Problem")
    weights = problem.weights.as_tuple()
    for name, w in zip(COMPONENTS, weights, strict=True):
        if not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise _fail(f"weight of {name} must be a non-negative number", None, name)
    if sum(weights) <= 0:
        raise _fail("at least one of the four weights must be positive", None, "weights")
    if problem.rules.seniority not in ("any", "peer", "strict"):
        raise _fail("seniority must be any, peer or strict", None, "seniority")
    codes = set()
    for q in problem.questions:
        if q.rule not in QUESTION_RULES:
            raise _fail(f"question {q.code!r}: unknown rule {q.rule!r}", None, "questions")
        if q.component not in COMPONENTS:
            raise _fail(
                f"question {q.code!r}: unknown component {q.component!r}", None, "questions"
            )
        if not math.isfinite(q.weight) or q.weight <= 0:
            raise _fail(f"question {q.code!r}: weight must be positive", None, "questions")
        if q.code in codes:
            raise _fail(f"question {q.code!r} given twice", None, "questions")
        codes.add(q.code)

    mentee_ids: set[str] = set()
    for m in problem.mentees:
        if not isinstance(m, Mentee):
            raise _fail("mentees must be Mentee objects", None, "mentees")
        _check_person(m, "mentee")
        if m.id in mentee_ids:
            raise _fail(f"duplicate mentee id {m.id!r}", m.id, "id")
        mentee_ids.add(m.id)
        if m.confidentiality not in (None, "institution", "department"):
            raise _fail(
                f"confidentiality of {m.id!r} must be institution or department",
                m.id,
                "confidentiality",
            )
        seen: set[str] = set()
        for pref in m.preferences:
            if pref.attribute not in PREFERENCE_ATTRIBUTES:
                raise _fail(f"{m.id!r}: unknown preference {pref.attribute!r}", m.id, "preferences")
            if pref.attribute in seen:
                raise _fail(f"{m.id!r}: preference {pref.attribute!r} twice", m.id, "preferences")
            seen.add(pref.attribute)
            if not pref.values:
                raise _fail(f"{m.id!r}: preference without values", m.id, "preferences")
            if not (0 < pref.importance <= 1):
                raise _fail(f"{m.id!r}: importance must be in (0, 1]", m.id, "preferences")
    mentor_ids: set[str] = set()
    for t in problem.mentors:
        if not isinstance(t, Mentor):
            raise _fail("mentors must be Mentor objects", None, "mentors")
        _check_person(t, "mentor")
        if t.id in mentor_ids:
            raise _fail(f"duplicate mentor id {t.id!r}", t.id, "id")
        mentor_ids.add(t.id)
        if isinstance(t.capacity, bool) or not isinstance(t.capacity, int) or t.capacity < 1:
            raise _fail(f"capacity of {t.id!r} must be a whole number >= 1", t.id, "capacity")

    everyone = mentee_ids | mentor_ids
    for p in (*problem.mentees, *problem.mentors):
        for other in sorted(p.exclude):
            if other not in everyone:
                raise _fail(f"{p.id!r} excludes unknown id {other!r}", p.id, "exclude")
    for m in problem.mentees:
        if not mentor_ids.issuperset(m.ranks):
            r = next(r for r in m.ranks if r not in mentor_ids)
            what = "a mentee" if r in mentee_ids else "an unknown id"
            raise _fail(f"mentee {m.id!r} ranks {what}: {r!r}", m.id, "ranks")
    for t in problem.mentors:
        if not mentee_ids.issuperset(t.ranks):
            r = next(r for r in t.ranks if r not in mentee_ids)
            what = "a mentor" if r in mentor_ids else "an unknown id"
            raise _fail(f"mentor {t.id!r} ranks {what}: {r!r}", t.id, "ranks")
    for a, b in problem.exclusions:
        if a not in mentee_ids or b not in mentor_ids:
            raise _fail(f"exclusion ({a!r}, {b!r}) must name a mentee and a mentor", a, "exclude")
    _check_locked(problem, mentee_ids, mentor_ids)


def _check_locked(problem: Problem, mentee_ids: set[str], mentor_ids: set[str]) -> None:
    if not problem.locked:
        return
    capacity = {t.id: t.capacity for t in problem.mentors}
    excluded = excluded_pairs(problem)
    locked_mentees: set[str] = set()
    for a, b in problem.locked:
        if a not in mentee_ids or b not in mentor_ids:
            raise _fail(f"locked pair ({a!r}, {b!r}) must name a mentee and a mentor", a, "locked")
        if a in locked_mentees:
            raise _fail(f"mentee {a!r} is locked twice", a, "locked")
        locked_mentees.add(a)
        if (a, b) in excluded or a == b:
            raise _fail(f"locked pair ({a!r}, {b!r}) is excluded", a, "locked")
        capacity[b] -= 1
        if capacity[b] < 0:
            raise _fail(f"mentor {b!r} has more locked mentees than capacity", b, "locked")


def excluded_pairs(problem: Problem) -> set[tuple[str, str]]:
    """Every excluded (mentee id, mentor id) pair, whichever side declared it."""
    mentor_ids = {t.id for t in problem.mentors}
    mentee_ids = {m.id for m in problem.mentees}
    pairs = set(problem.exclusions)
    for m in problem.mentees:
        if m.exclude:  # few people exclude anyone
            pairs.update((m.id, x) for x in m.exclude if x in mentor_ids)
    for t in problem.mentors:
        if t.exclude:
            pairs.update((x, t.id) for x in t.exclude if x in mentee_ids)
    pairs.update((i, i) for i in mentee_ids & mentor_ids)
    return pairs

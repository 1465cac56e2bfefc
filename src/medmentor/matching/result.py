"""Immutable results returned by the engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Components:
    """The four Cs of a pair, each in [0, 1] (``None`` when the program weighs it 0)."""

    consideration: float | None
    camaraderie: float | None
    commonality: float | None
    confidentiality: float | None


@dataclass(frozen=True, slots=True)
class Pair:
    """A proposed (or locked) pair with its score in [0, 1] and why."""

    mentee_id: str
    mentor_id: str
    score: float
    components: Components
    reasons: tuple[str, ...]
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A mentee left without a mentor; ``reason`` is a code, ``message`` plain English.

    Codes: ``no_eligible_mentor``, ``mentors_full``, ``ranked_none_accepted``.
    """

    mentee_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Round figures: matched share, mean and minimum score, mentor load."""

    mentees: int
    matched: int
    matched_share: float
    mean_score: float | None
    min_score: float | None
    total_score: float
    mentors: int
    mentor_load: float  # mean of (mentees / capacity) over mentors
    mentors_full: int
    extensions: int  # stable: lazy list extensions; optimal: re-solves after the proof


@dataclass(frozen=True, slots=True)
class Result:
    """Outcome of :func:`medmentor.matching.solve`."""

    algorithm: str
    seed: int
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    summary: Summary

    def mentor_of(self) -> dict[str, str]:
        """Mentee id -> mentor id for every pair."""
        return {p.mentee_id: p.mentor_id for p in self.pairs}


@dataclass(frozen=True, slots=True)
class RankedMentor:
    """One mentor in a search ranking for one mentee."""

    mentor_id: str
    score: float
    components: Components
    reasons: tuple[str, ...]  # why it fits, or which rules it breaks when not eligible
    eligible: bool


@dataclass(frozen=True, slots=True)
class PairCheck:
    """A hand-made pair: its score and the rules it breaks (empty when none)."""

    mentee_id: str
    mentor_id: str
    score: float
    components: Components
    reasons: tuple[str, ...]
    broken: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule a matching breaks: ``kind`` is ``unknown``, ``duplicate``, ``capacity``,
    ``locked``, ``rule`` (exclusion, language, seniority, ranks, ...) or ``blocking``."""

    kind: str
    mentee_id: str | None
    mentor_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    """Outcome of :func:`medmentor.matching.check_matching`."""

    violations: tuple[Violation, ...]
    blocking_pairs: int

    @property
    def ok(self) -> bool:
        return not self.violations

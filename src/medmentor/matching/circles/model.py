"""Peer circles: the shapes (results, the dense sub-problem) and the pair affinities."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import (
    Mentee,
    Mentor,
    Participant,
)

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

BIG = 1e9  # affinity of a pair that breaks a hard rule (units of 1 / (2 * SCALE))
CHUNK = 4000  # most people solved together on one dense matrix
SMALL = 150  # up to this many people, perturbation rounds follow the local search
RETRIES = 4  # constructions retried with the unplaced first
ROUNDS = 40  # perturbation rounds on small instances
MAX_PASSES = 300  # local-search passes (batches of moves) per descent
METHODS = ("search", "greedy", "random")
UNPLACED_MESSAGES = {
    "no_feasible_circle": "no circle can take this person without breaking a hard rule",
    "too_few_people": "too few people remain to form another circle within the size range",
}


@dataclass(frozen=True, slots=True)
class Circle:
    """One circle: members (input order), affinity and what its members share.

    ``score`` is the mean symmetric pair score of its members in [0, 1]; ``total`` the
    sum over its pairs (what the engine maximises).
    """

    id: str
    members: tuple[str, ...]
    score: float
    total: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A participant in no circle. Codes: ``no_feasible_circle``, ``too_few_people``."""

    person_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class CirclesResult:
    """Outcome of :func:`form_circles`."""

    method: str
    seed: int
    circles: tuple[Circle, ...]
    unplaced: tuple[Unplaced, ...]
    total_score: float  # sum of every circle's total

    def circle_of(self) -> dict[str, str]:
        """Person id -> circle id."""
        return {p: c.id for c in self.circles for p in c.members}


# -- inputs ---------------------------------------------------------------------------
_FIELDS = tuple(f.name for f in dataclasses.fields(Participant))


def as_mentee(p: Participant) -> Mentee:
    if isinstance(p, Mentee):
        return p
    return Mentee(**{k: getattr(p, k) for k in _FIELDS})


def as_mentor(p: Participant) -> Mentor:
    return Mentor(**{k: getattr(p, k) for k in _FIELDS}, capacity=1)


def check_circle_inputs(
    people: Sequence[Participant], size_min: int, size_max: int, cap: int | None
) -> None:
    for name, v in (("size_min", size_min), ("size_max", size_max)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 2:
            raise MatchingInputError(f"{name} must be a whole number >= 2", field=name)
    if size_min > size_max:
        raise MatchingInputError("size_min must not exceed size_max", field="size_min")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise MatchingInputError(
            "max_per_institution must be a whole number >= 1", field="max_per_institution"
        )
    for p in people:
        if not isinstance(p, Participant):
            raise MatchingInputError("people must be Participant objects", field="people")


# -- the dense sub-problem ------------------------------------------------------------
@dataclass
class DenseProblem:
    """One chunk: affinities ``A`` (exact integers in units of 1 / (2 * SCALE); -BIG
    where a rule forbids the pair, 0 on the diagonal) and institution codes."""

    A: F32
    inst: I64  # institution code, -1 when none
    n_inst: int
    cap: int  # institution cap (a large number when none)
    size_min: int
    size_max: int


def pair_affinities(
    U: F32, Vt: F32, idx: I64, lang: F32 | None, excl: list[tuple[int, int]]
) -> F32:
    """Dense symmetric affinity of the people ``idx`` (rows of ``U``)."""
    u, vt = U[idx], Vt[:, idx]
    A: F32 = u @ vt
    A += A.T.copy()
    np.fill_diagonal(A, 0.0)
    if lang is not None:
        L = lang[idx]
        silent = L.sum(axis=1) == 0
        step = 1024
        for a in range(0, len(idx), step):
            shared = L[a : a + step] @ L.T
            bad = (shared == 0) & ~silent[a : a + step, None] & ~silent[None, :]
            A[a : a + step][bad] = -BIG
    if excl:
        pos = {int(g): k for k, g in enumerate(idx.tolist())}
        for i, j in excl:
            x, y = pos.get(i), pos.get(j)
            if x is not None and y is not None and x != y:
                A[x, y] = A[y, x] = -BIG
    return A

"""Encode a :class:`Problem` as two integer matrices whose product is the score.

Every term of the four Cs is a function ``f(mentee value, mentor value)`` in [0, 1].
Mentor values become 0/1 columns (one-hot for codes, multi-hot for sets), and the
mentee side carries ``budget * f`` in the matching columns, floored to integers. The
score of every pair is therefore one row of ``U`` times one column of ``Vt``: a matrix
product of small integers, exact in float32 (all sums stay below 2**24) whatever the
order of summation, so the result is identical on any BLAS and thread count.
Scores are integers in [0, SCALE]; a score of SCALE means 1.0.

Hard rules become a second, tiny product ``HU @ HVt`` that counts satisfied
requirements; a pair is eligible when the count equals the mentee's number of
requirements (a mask, never a penalty).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medmentor.matching.inputs import COMPONENTS, MODALITY_ANY, Mentee, Mentor, Problem

SCALE = 1_000_000
TZ_SPAN = 6.0  # hours apart at which the time-zone term reaches 0
NEUTRAL = 0.5  # value of a term when the mentor did not say
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Block:
    """Columns of one mentor-side feature: ``vocab`` values then a "missing" column."""

    key: str
    offset: int
    vocab: tuple[Hashable, ...]

    @property
    def width(self) -> int:
        return len(self.vocab) + 1


class _Columns:
    """Collects mentor-side 0/1 columns (``V``) block by block."""

    def __init__(self, n_rows: int) -> None:
        self.n = n_rows
        self.blocks: dict[str, Block] = {}
        self.parts: list[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        self.width = 0

    def categorical(self, key: str, values: Sequence[Hashable | None]) -> Block:
        if key in self.blocks:
            return self.blocks[key]
        vocab = tuple(sorted({v for v in values if v is not None}, key=repr))
        index = {v: k for k, v in enumerate(vocab)}
        codes = np.array([len(vocab) if v is None else index[v] for v in values], dtype=np.int64)
        block = Block(key, self.width, vocab)
        self.parts.append((self.width, np.arange(self.n, dtype=np.int64), codes))
        return self._add(block)

    def multi(self, key: str, sets: Sequence[frozenset[str]]) -> Block:
        if key in self.blocks:
            return self.blocks[key]
        vocab = tuple(sorted(set().union(*sets))) if sets else ()
        index = {v: k for k, v in enumerate(vocab)}
        rows: list[int] = []
        cols: list[int] = []
        for r, s in enumerate(sets):
            if s:
                for v in s:
                    rows.append(r)
                    cols.append(index[v])
            else:
                rows.append(r)
                cols.append(len(vocab))
        block = Block(key, self.width, tuple(vocab))
        self.parts.append(
            (self.width, np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))
        )
        return self._add(block)

    def _add(self, block: Block) -> Block:
        self.blocks[block.key] = block
        self.width += block.width
        return block

    def matrix(self) -> npt.NDArray[np.float32]:
        v = np.zeros((self.n, self.width), dtype=np.float32)
        for offset, rows, cols in self.parts:
            v[rows, offset + cols] = 1.0
        return v


def _family(p: Mentee | Mentor) -> str | None:
    return p.specialty_parent or p.specialty


def _tz(a: Hashable, b: Hashable) -> float:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return NEUTRAL
    return max(0.0, 1.0 - abs(a - b) / TZ_SPAN)


def _modality(a: Hashable, b: Hashable) -> float:
    if a is None or b is None:
        return NEUTRAL
    return 1.0 if a == b or MODALITY_ANY in (a, b) else 0.0


def _eq(a: Hashable, b: Hashable) -> float:
    return 1.0 if a == b else 0.0


def _among(a: Hashable, b: Hashable) -> float:
    """1 when the mentor's value ``b`` is one the mentee accepts (``a``, a preference's
    set of values)."""
    return 1.0 if isinstance(a, frozenset) and b in a else 0.0


@dataclass
class Term:
    """One scoring term: its component, per-mentee weight and how it fills ``U``.

    ``fill(u, budget)`` adds ``floor(budget * f(mentee, mentor column))`` to ``u``;
    ``budget`` is zero for mentees to whom the term does not apply.
    """

    name: str
    component: int
    weight: npt.NDArray[np.float64]  # per mentee; 0 where the term does not apply
    fill: Callable[[F32, npt.NDArray[np.float64]], None]
    block: Block


class TermBuilder:
    """Builds the mentor-side columns and the scoring terms of a problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.mentees = problem.mentees
        self.mentors = problem.mentors
        self.cols = _Columns(len(self.mentors))
        self.terms: list[Term] = []

    def categorical(
        self,
        name: str,
        comp: str,
        key: str,
        mentor_values: Sequence[Hashable | None],
        mentee_values: Sequence[Hashable | None],
        f: Callable[[Hashable, Hashable], float],
        weight: npt.NDArray[np.float64] | float = 1.0,
    ) -> None:
        """A term ``f(mentee value, mentor value)``; NEUTRAL when the mentor is silent."""
        block = self.cols.categorical(key, mentor_values)
        w = np.where([v is not None for v in mentee_values], weight, 0.0).astype(np.float64)
        if not w.any():
            return
        distinct = sorted({v for v in mentee_values if v is not None}, key=repr)
        index = {v: k for k, v in enumerate(distinct)}
        table = np.array(
            [[f(a, b) for b in block.vocab] + [NEUTRAL] for a in distinct], dtype=np.float64
        )
        codes = np.array([index.get(v, 0) for v in mentee_values], dtype=np.int64)

        def fill(u: F32, budget: npt.NDArray[np.float64]) -> None:
            u[:, block.offset : block.offset + block.width] += np.floor(
                budget[:, None] * table[codes]
            )

        self.terms.append(Term(name, COMPONENTS.index(comp), w, fill, block))

    def share(
        self,
        name: str,
        comp: str,
        key: str,
        mentor_sets: Sequence[frozenset[str]],
        mentee_sets: Sequence[frozenset[str]],
        weight: npt.NDArray[np.float64] | float = 1.0,
    ) -> None:
        """Share of the mentee's items that the mentor has: ``|A & B| / |A|``."""
        block = self.cols.multi(key, mentor_sets)
        index = {v: k for k, v in enumerate(block.vocab)}
        w = np.where([bool(s) for s in mentee_sets], weight, 0.0).astype(np.float64)
        if not w.any():
            return
        # Each mentee's items in sorted order (set order varies between processes).
        names = sorted(set().union(*mentee_sets))
        code = {v: k for k, v in enumerate(names)}
        lengths = np.fromiter(map(len, mentee_sets), dtype=np.int64, count=len(mentee_sets))
        every = np.repeat(np.arange(len(mentee_sets), dtype=np.int64), lengths)
        flat = np.fromiter(
            (code[v] for s in mentee_sets for v in s), dtype=np.int64, count=len(every)
        )
        flat = flat[np.lexsort((flat, every))]
        column = np.array([index.get(v, -1) for v in names], dtype=np.int64)[flat]
        items = column >= 0
        rows, cols = every[items], column[items]
        rank = (np.arange(len(every)) - np.searchsorted(every, every))[items]
        sizes = np.maximum(lengths, 1).astype(np.float64)
        empty = block.offset + len(block.vocab)

        def fill(u: F32, budget: npt.NDArray[np.float64]) -> None:
            # Split each budget over the mentee's items so that they sum to it exactly.
            base = np.floor(budget / sizes)
            extra = budget - base * sizes
            per_item = base[rows] + (rank < extra[rows])
            np.add.at(u, (rows, block.offset + cols), per_item)
            u[:, empty] += np.floor(budget * NEUTRAL)

        self.terms.append(Term(name, COMPONENTS.index(comp), w, fill, block))

    def build(self) -> None:
        """Every term of the four Cs (see ``docs/matching.md``)."""
        e, t = self.mentees, self.mentors
        self.share(
            "availability",
            "consideration",
            "availability",
            [x.availability for x in t],
            [x.availability for x in e],
        )
        self.categorical(
            "cadence",
            "consideration",
            "cadence",
            [x.cadence for x in t],
            [x.cadence for x in e],
            _eq,
        )
        self.categorical(
            "modality",
            "consideration",
            "modality",
            [x.modality for x in t],
            [x.modality for x in e],
            _modality,
        )
        self.categorical(
            "time zone",
            "consideration",
            "utc_offset",
            [x.utc_offset for x in t],
            [x.utc_offset for x in e],
            _tz,
        )
        self.share(
            "languages",
            "camaraderie",
            "languages",
            [x.languages for x in t],
            [x.languages for x in e],
        )
        for attr in ("gender", "province", "language"):
            prefs = [next((p for p in m.preferences if p.attribute == attr), None) for m in e]
            if not any(prefs):
                continue
            imp = np.array([p.importance if p else 0.0 for p in prefs], dtype=np.float64)
            if attr == "language":
                self.share(
                    "prefers language",
                    "camaraderie",
                    "languages",
                    [x.languages for x in t],
                    [p.values if p else frozenset() for p in prefs],
                    imp,
                )
            else:
                self.categorical(
                    "prefers " + attr,
                    "camaraderie",
                    attr,
                    [getattr(x, attr) for x in t],
                    [p.values if p else None for p in prefs],
                    _among,
                    imp,
                )
        self.categorical(
            "specialty",
            "commonality",
            "specialty",
            [x.specialty for x in t],
            [x.specialty for x in e],
            _eq,
            0.5,
        )
        self.categorical(
            "specialty family",
            "commonality",
            "family",
            [_family(x) for x in t],
            [_family(x) for x in e],
            _eq,
            0.5,
        )
        self.share(
            "interests",
            "commonality",
            "interests",
            [x.interests for x in t],
            [x.interests for x in e],
        )
        self.share("goals", "commonality", "goals", [x.goals for x in t], [x.goals for x in e])
        self.categorical(
            "career path",
            "commonality",
            "career_path",
            [x.career_path for x in t],
            [x.career_path for x in e],
            _eq,
        )
        self.categorical(
            "province",
            "commonality",
            "province",
            [x.province for x in t],
            [x.province for x in e],
            _eq,
        )
        asks = [m.confidentiality for m in e]
        if "institution" in asks:
            self.categorical(
                "other institution",
                "confidentiality",
                "institution",
                [x.institution for x in t],
                [m.institution if m.confidentiality == "institution" else None for m in e],
                _ne,
            )
        if "department" in asks:
            self.categorical(
                "other department",
                "confidentiality",
                "department",
                [(x.institution, x.department) if x.department else None for x in t],
                [
                    (m.institution, m.department)
                    if m.confidentiality == "department" and m.department
                    else None
                    for m in e
                ],
                _ne,
            )
        for q in self.problem.questions:
            self.categorical(
                "question " + q.code,
                q.component,
                "q:" + q.code,
                [x.answers.get(q.code) or None for x in t],
                [x.answers.get(q.code) or None for x in e],
                _question_rule(q.rule),
                q.weight,
            )


def _ne(a: Hashable, b: Hashable) -> float:
    return 0.0 if a == b else 1.0


def _question_rule(rule: str) -> Callable[[Hashable, Hashable], float]:
    def same(a: Hashable, b: Hashable) -> float:
        return 1.0 if a == b else 0.0

    def different(a: Hashable, b: Hashable) -> float:
        assert isinstance(a, frozenset)
        assert isinstance(b, frozenset)
        return 0.0 if a & b else 1.0

    def covers(a: Hashable, b: Hashable) -> float:
        assert isinstance(a, frozenset)
        assert isinstance(b, frozenset)
        return 1.0 if a <= b else 0.0

    return {"same": same, "different": different, "covers": covers}[rule]

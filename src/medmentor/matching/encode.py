"""The encoded problem: integer score matrices, hard-rule matrices, ranks, tie-breaks."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from medmentor.matching.features import F32, I64, SCALE, Block, Term, TermBuilder, _Columns
from medmentor.matching.inputs import COMPONENTS, Problem, excluded_pairs
from medmentor.matching.kernel import Kernel, build_kernel

# Value of a component none of whose terms applies to a mentee: unknown (0.5), except
# confidentiality, where nothing asked means nothing at risk (1.0).
COMPONENT_DEFAULT = (0.5, 0.5, 0.5, 1.0)
EMPTY_I64: I64 = np.zeros(0, dtype=np.int64)
DENSE_RANKS = 1 << 25  # largest n * m for dense rank tables (2 x 128 MiB)


@dataclass(frozen=True, eq=False)
class Encoded:
    """Arrays of one problem (or of its free part, see :meth:`restrict`).

    Score of mentee ``i`` and mentor ``j``: ``U[i] @ Vt[:, j]`` (an integer in
    [0, SCALE]); component ``c``: ``UC[c, i] @ Vt[:, j] / budget[i, c]``. Pair
    eligible: ``HU[i] @ HVt[:, j] == R[i]``, not in ``(ex_i, ex_j)``, and allowed by
    exclusive rank lists.
    """

    U: F32
    UC: F32
    Vt: F32
    budget: npt.NDArray[np.float64]
    HU: F32 | None
    HVt: F32 | None
    R: F32
    ex_i: I64
    ex_j: I64
    mentee_ranks: tuple[I64 | None, ...]
    mentor_ranks: tuple[I64 | None, ...]
    exclusive: bool
    tb_e: I64
    tb_m: I64
    capacity: I64
    mentee_index: I64  # position in problem.mentees
    mentor_index: I64  # position in problem.mentors
    group: I64  # each mentor's code in the grouped block (see ``kernel``)
    group_cols: I64  # column of U holding each code of that block, or -1

    @cached_property
    def kernel(self) -> Kernel:
        """The grouped, hard-rule-folded form of the scores (see ``kernel``)."""
        return build_kernel(self.U, self.Vt, self.HU, self.HVt, self.R, self.group, self.group_cols)

    @cached_property
    def has_ranks(self) -> bool:
        """Whether any rank list changes mentee preferences or eligibility."""
        mentee_ranks, mentor_ranks = self.ranking
        return bool(mentee_ranks.any() or (self.exclusive and mentor_ranks.any()))

    @cached_property
    def rank_tables(self) -> tuple[I64, I64, I64, I64, I64, I64]:
        """Flat rank entries: mentee side (i, j, pos) and mentor side (i, j, pos), by i
        (then by position: each mentee's entries are its list, in order)."""
        out: list[I64] = []
        for lists, mentee_side in ((self.mentee_ranks, True), (self.mentor_ranks, False)):
            arrays = [(k, r) for k, r in enumerate(lists) if r is not None and len(r)]
            if arrays:
                other = np.concatenate([r for _, r in arrays])
                own = np.repeat(
                    np.array([k for k, _ in arrays], dtype=np.int64), [len(r) for _, r in arrays]
                )
                pos = np.concatenate([np.arange(len(r), dtype=np.int64) for _, r in arrays])
            else:
                other = own = pos = EMPTY_I64
            i, j = (own, other) if mentee_side else (other, own)
            order = np.argsort(i, kind="stable")  # by i, then list position
            out += [i[order], j[order], pos[order]]
        return out[0], out[1], out[2], out[3], out[4], out[5]

    @cached_property
    def rank_lookup(self) -> tuple[I64, I64, I64, I64]:
        """Sorted keys ``i * m + j`` of mentee-side rank entries with their positions,
        then sorted keys ``j * n + i`` of mentor-side entries with theirs."""
        ei, ej, epos, mi, mj, mpos = self.rank_tables
        out: list[I64] = []
        for key, pos in ((ei * self.m + ej, epos), (mj * self.n + mi, mpos)):
            order = np.argsort(key, kind="stable")
            out += [key[order], pos[order]]
        return out[0], out[1], out[2], out[3]

    @cached_property
    def dense_ranks(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None:
        """Position of mentor j in mentee i's list and of i in j's list ((n, m), -1: not
        listed), when rank lists exist and the tables are small enough."""
        if self.n * self.m > DENSE_RANKS or not (self.ranking[0].any() or self.ranking[1].any()):
            return None
        tables = np.full((2, self.n, self.m), -1, dtype=np.int32)
        for i, r in enumerate(self.mentee_ranks):
            if r is not None:
                tables[0, i, r] = np.arange(len(r), dtype=np.int32)
        for j, r in enumerate(self.mentor_ranks):
            if r is not None:
                tables[1, r, j] = np.arange(len(r), dtype=np.int32)
        return tables[0], tables[1]

    @cached_property
    def ranking(self) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Which mentees and which mentors rank (even if nobody they rank is left)."""
        return (
            np.array([r is not None for r in self.mentee_ranks], dtype=bool),
            np.array([r is not None for r in self.mentor_ranks], dtype=bool),
        )

    @property
    def n(self) -> int:
        return int(self.U.shape[0])

    @property
    def m(self) -> int:
        return int(self.Vt.shape[1])

    def restrict(self, rows: I64, cols: I64, capacity: I64) -> Encoded:
        """The sub-problem of mentees ``rows`` and mentors ``cols`` (sorted indices)."""
        if len(rows) == self.n and len(cols) == self.m:  # everyone: share the arrays
            return replace(self, capacity=capacity)
        row_pos = np.full(self.n, -1, dtype=np.int64)
        row_pos[rows] = np.arange(len(rows))
        col_pos = np.full(self.m, -1, dtype=np.int64)
        col_pos[cols] = np.arange(len(cols))
        keep = (row_pos[self.ex_i] >= 0) & (col_pos[self.ex_j] >= 0)

        def remap(r: I64 | None, pos: I64) -> I64 | None:
            if r is None:
                return None
            mapped = pos[r]
            return mapped[mapped >= 0]

        return replace(
            self,
            U=self.U[rows],
            UC=self.UC[:, rows],
            Vt=np.ascontiguousarray(self.Vt[:, cols]),
            budget=self.budget[rows],
            HU=None if self.HU is None else self.HU[rows],
            HVt=None if self.HVt is None else np.ascontiguousarray(self.HVt[:, cols]),
            R=self.R[rows],
            ex_i=row_pos[self.ex_i[keep]],
            ex_j=col_pos[self.ex_j[keep]],
            mentee_ranks=tuple(remap(self.mentee_ranks[r], col_pos) for r in rows),
            mentor_ranks=tuple(remap(self.mentor_ranks[c], row_pos) for c in cols),
            tb_e=self.tb_e[rows],
            tb_m=self.tb_m[cols],
            capacity=capacity,
            mentee_index=self.mentee_index[rows],
            mentor_index=self.mentor_index[cols],
            group=self.group[cols] if len(self.group_cols) else self.group,
        )


def _categorical_codes(cols: _Columns, v: F32) -> dict[str, I64]:
    """Code (column within block) of every mentor in each single-valued block."""
    out: dict[str, I64] = {}
    for key, block in cols.blocks.items():
        part = v[:, block.offset : block.offset + block.width]
        if bool((part.sum(axis=1) == 1).all()):
            out[key] = part.argmax(axis=1).astype(np.int64)
    return out


def _fold(cols: _Columns, v: F32) -> tuple[list[int], F32]:
    """Fold single-valued blocks that are a function of another into it.

    If every mentor's code in block X is ``g(code in Y)``, then ``V_X = V_Y @ G`` and
    ``U_X @ V_X.T`` equals ``(U_X @ G.T) @ V_Y.T``: X's columns can be added into Y's
    and dropped, exactly. Returns the columns to drop and the 0/1 matrix ``F`` such
    that ``U @ F`` is the folded ``U`` (one exact product instead of column copies).
    """
    codes = _categorical_codes(cols, v)
    blocks = sorted(codes, key=lambda k: (cols.blocks[k].width, k))
    dropped: list[int] = []
    alive = set(blocks)
    fold = np.eye(cols.width, dtype=np.float32)
    for x in blocks:
        bx = cols.blocks[x]
        for y in sorted(alive - {x}, key=lambda k: (-cols.blocks[k].width, k)):
            by = cols.blocks[y]
            g = np.full(by.width, -1, dtype=np.int64)
            g[codes[y]] = codes[x]
            if not bool((g[codes[y]] == codes[x]).all()):
                continue
            used = g >= 0
            step = np.eye(cols.width, dtype=np.float32)
            step[bx.offset + g[used], by.offset + np.flatnonzero(used)] = 1.0
            fold = fold @ step
            dropped.extend(range(bx.offset, bx.offset + bx.width))
            alive.discard(x)
            break
    return dropped, fold


def _group_block(
    cols: _Columns, v: F32, keep: npt.NDArray[np.bool_], dropped: list[int]
) -> tuple[I64, I64]:
    """The widest kept single-valued block: each mentor's code and each code's column."""
    gone = set(dropped)
    best: tuple[int, str] | None = None
    codes = _categorical_codes(cols, v)
    for key in codes:
        block = cols.blocks[key]
        if block.offset in gone or block.width < 4:
            continue
        if best is None or (block.width, key) > best:
            best = (block.width, key)
    if best is None:
        return EMPTY_I64, EMPTY_I64
    block = cols.blocks[best[1]]
    column = np.cumsum(keep) - 1
    span = np.arange(block.offset, block.offset + block.width)
    group_cols = np.where(keep[span], column[span], -1).astype(np.int64)
    return codes[best[1]], group_cols


def _hard_rules(problem: Problem) -> tuple[F32 | None, F32 | None, F32]:
    """Requirement matrices: a pair is eligible when ``HU @ HVt`` reaches ``R``."""
    mentees, mentors = problem.mentees, problem.mentors
    cols = _Columns(len(mentors))
    pieces: list[tuple[Block, npt.NDArray[np.float64]]] = []

    def rule(
        key: str,
        mentor_values: Sequence[Hashable | None],
        mentee_values: Sequence[Hashable | None],
        test: Callable[[Any, Any], bool],
    ) -> None:
        """A requirement on mentees whose value is not None: ``test(their value,
        mentor value)`` (mentor value None: not stated), evaluated once per distinct
        mentee value."""
        block = cols.categorical(key, mentor_values)
        index: dict[Hashable, int] = {}
        codes = np.fromiter(
            (-1 if v is None else index.setdefault(v, len(index)) for v in mentee_values),
            dtype=np.int64,
            count=len(mentee_values),
        )
        rows = np.zeros((len(index) + 1, block.width), dtype=np.float64)  # last: no rule
        for v, k in index.items():
            rows[k] = [float(test(v, b)) for b in (*block.vocab, None)]
        pieces.append((block, rows[codes]))
        r_count.append((codes >= 0).astype(np.float64))

    r_count: list[npt.NDArray[np.float64]] = []
    rules = problem.rules
    if rules.require_shared_language:
        rule(
            "lang",
            [t.languages or None for t in mentors],
            [m.languages or None for m in mentees],
            test=lambda a, s: s is None or bool(a & s),
        )
    if rules.seniority != "any":
        strict = rules.seniority == "strict"
        rule(
            "stage",
            [t.career_stage for t in mentors],
            [m.career_stage for m in mentees],
            test=lambda a, s: s is None or (s > a if strict else s >= a),
        )
    for attr in ("gender", "province", "language"):
        prefs = [
            next((p for p in m.preferences if p.attribute == attr and p.required), None)
            for m in mentees
        ]
        if not any(prefs):
            continue
        wanted = [None if p is None else p.values for p in prefs]
        if attr == "language":
            rule(
                "req lang",
                [t.languages or None for t in mentors],
                wanted,
                lambda a, s: s is not None and bool(a & s),
            )
        else:
            rule(
                "req " + attr,
                [getattr(t, attr) for t in mentors],
                wanted,
                lambda a, s: s is not None and s in a,
            )
    n = len(mentees)
    if not pieces:
        return None, None, np.zeros(n, dtype=np.float32)
    hu = np.zeros((n, cols.width), dtype=np.float32)
    for block, table in pieces:
        hu[:, block.offset : block.offset + block.width] = table
    hvt = np.ascontiguousarray(cols.matrix().T)
    return hu, hvt, np.sum(r_count, axis=0).astype(np.float32)


def _fill_component(
    terms: list[Term],
    shares: npt.NDArray[np.float64],
    const: int,
    default: npt.NDArray[np.float64],
    u: F32,
) -> None:
    """One component's columns: each term's share, and the default where none applies."""
    u[:] = 0
    for t, b in zip(terms, shares, strict=True):
        t.fill(u, b)
    u[:, const] += default


def _apportion(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Integers summing to round(sum(x)), each floor or ceil of its share."""
    out = np.floor(x)
    short = round(x.sum() - out.sum())
    if short > 0:
        out[np.argsort(out - x, kind="stable")[:short]] += 1
    return out


def _apportion_rows(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Column-wise :func:`_apportion` of a (terms, mentees) array."""
    out = np.floor(x)
    short = np.rint(x.sum(axis=0) - out.sum(axis=0)).astype(np.int64)
    order = np.argsort(out - x, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(x.shape[0])[:, None], axis=0)
    return np.asarray(out + (rank < short[None, :]), dtype=np.float64)


def _positions(pos: dict[str, int], ids: tuple[str, ...]) -> I64 | None:
    """Positions of ``ids`` (a rank list), or None for no list."""
    if not ids:
        return None
    if len(ids) == 1:
        return np.array([pos[ids[0]]], dtype=np.int64)
    return np.fromiter(itemgetter(*ids)(pos), dtype=np.int64, count=len(ids))


RankPositions = tuple[tuple[I64 | None, ...], tuple[I64 | None, ...]]


def encode(problem: Problem, seed: int = 0, *, ranks: RankPositions | None = None) -> Encoded:
    """Encode a validated problem (see :func:`check_inputs`).

    ``ranks``: every mentee's and every mentor's rank list already as positions in
    ``problem.mentors`` and ``problem.mentees`` (None: no list), validated, given
    instead of the people's ``ranks`` (the CSV reader's fast path for long lists).
    """
    mentees, mentors = problem.mentees, problem.mentors
    n, m = len(mentees), len(mentors)
    builder = TermBuilder(problem)
    builder.build()
    const = builder.cols.categorical("const", [0] * m)
    v = builder.cols.matrix()
    width = builder.cols.width
    weights = np.array(problem.weights.as_tuple(), dtype=np.float64)
    comp_budget = _apportion(SCALE * weights / weights.sum())
    budget = np.zeros((n, len(COMPONENTS)), dtype=np.float64)
    fills: list[Callable[[F32], None]] = []
    for c in range(len(COMPONENTS)):
        terms = [t for t in builder.terms if t.component == c]
        total = np.sum([t.weight for t in terms], axis=0) if terms else np.zeros(n)
        shares = np.zeros((0, n))
        if terms:
            raw = np.array([t.weight for t in terms]) * (
                comp_budget[c] / np.where(total > 0, total, 1)
            )
            shares = _apportion_rows(raw)
            budget[:, c] += shares.sum(axis=0)
        default = np.where(total > 0, 0.0, np.floor(comp_budget[c] * COMPONENT_DEFAULT[c]))
        budget[:, c] += np.where(total > 0, 0.0, comp_budget[c])
        fills.append(partial(_fill_component, terms, shares, const.offset, default))
    dropped, fold = _fold(builder.cols, v)
    keep = np.ones(width, dtype=bool)
    keep[dropped] = False
    # One component's unfolded columns at a time (filled twice: first to find the
    # columns in use, then to fold them), not all four: less memory to touch.
    part = np.empty((n, width), dtype=np.float32)
    used = np.zeros(width, dtype=bool)
    for fill in fills:
        fill(part)
        used |= part.max(axis=0, initial=0) > 0
    # Entries are non-negative: a folded column is used if any of its sources is.
    keep &= used.astype(np.float32) @ fold > 0
    fold = np.ascontiguousarray(fold[:, keep])
    uc_arr = np.empty((len(COMPONENTS), n, fold.shape[1]), dtype=np.float32)
    for c, fill in enumerate(fills):
        fill(part)
        np.matmul(part, fold, out=uc_arr[c])
    vt = np.ascontiguousarray(v[:, keep].T)
    group, group_cols = _group_block(builder.cols, v, keep, dropped)
    hu, hvt, r = _hard_rules(problem)

    mentee_pos = {x.id: k for k, x in enumerate(mentees)}
    mentor_pos = {x.id: k for k, x in enumerate(mentors)}
    ex = sorted(
        (mentee_pos[a], mentor_pos[b])
        for a, b in excluded_pairs(problem)
        if a in mentee_pos and b in mentor_pos
    )
    ex_arr = np.array(ex, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    return Encoded(
        U=uc_arr.sum(axis=0, dtype=np.float32),
        UC=uc_arr,
        Vt=vt,
        budget=budget,
        HU=hu,
        HVt=hvt,
        R=r,
        ex_i=ex_arr[:, 0].copy(),
        ex_j=ex_arr[:, 1].copy(),
        mentee_ranks=tuple(_positions(mentor_pos, p.ranks) for p in mentees)
        if ranks is None
        else ranks[0],
        mentor_ranks=tuple(_positions(mentee_pos, p.ranks) for p in mentors)
        if ranks is None
        else ranks[1],
        exclusive=problem.rules.ranks_exclusive,
        tb_e=rng.permutation(n).astype(np.int64),
        tb_m=rng.permutation(m).astype(np.int64),
        capacity=np.array([t.capacity for t in mentors], dtype=np.int64),
        mentee_index=np.arange(n, dtype=np.int64),
        mentor_index=np.arange(m, dtype=np.int64),
        group=group,
        group_cols=group_cols,
    )

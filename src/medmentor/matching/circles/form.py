"""Peer circles: the facade (chunks, results, reasons)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from medmentor.matching.circles.model import (
    CHUNK,
    F32,
    I64,
    METHODS,
    UNPLACED_MESSAGES,
    Circle,
    CirclesResult,
    DenseProblem,
    Unplaced,
    as_mentee,
    as_mentor,
    check_circle_inputs,
    pair_affinities,
)
from medmentor.matching.circles.search import solve_dense
from medmentor.matching.encode import encode
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.explain import Explainer
from medmentor.matching.features import SCALE
from medmentor.matching.inputs import (
    Participant,
    Problem,
    Question,
    Rules,
    Weights,
    check_inputs,
)


# -- the facade ---------------------------------------------------------------------
def form_circles(
    people: Sequence[Participant],
    *,
    size_min: int,
    size_max: int,
    weights: Weights | None = None,
    rules: Rules | None = None,
    questions: Sequence[Question] = (),
    exclusions: Iterable[tuple[str, str]] = (),
    max_per_institution: int | None = None,
    labels: Mapping[str, str] | None = None,
    seed: int = 0,
    method: str = "search",
) -> CirclesResult:
    """Group ``people`` (peers) into circles of ``size_min``..``size_max`` members,
    maximising the total symmetric four-C affinity inside circles (see the module).

    ``exclusions`` are unordered pairs of ids never in one circle (reporting lines,
    blocks), in addition to each person's ``exclude``. ``rules.seniority`` does not
    apply to peers. Everyone is placed when the rules allow; the others are listed in
    ``unplaced`` with a reason code.
    """
    check_circle_inputs(people, size_min, size_max, max_per_institution)
    if method not in METHODS:
        raise MatchingInputError(f"unknown method {method!r}", field="method")
    rules = rules or Rules()
    people = tuple(people)
    ids = [p.id for p in people]
    pos = {i: k for k, i in enumerate(ids)}
    if len(pos) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise MatchingInputError(f"duplicate id {dup!r}", participant=dup, field="id")
    problem = Problem(
        mentees=tuple(as_mentee(p) for p in people),
        mentors=tuple(as_mentor(p) for p in people),
        weights=weights or Weights(),
        rules=Rules(seniority="any", require_shared_language=False),
        questions=tuple(questions),
        labels=labels or {},
    )
    check_inputs(problem)
    excl: list[tuple[int, int]] = []
    for a, b in exclusions:
        if str(a) not in pos or str(b) not in pos:
            raise MatchingInputError(
                f"exclusion ({a!r}, {b!r}) names an unknown id", participant=str(a), field="exclude"
            )
        excl.append((pos[str(a)], pos[str(b)]))
    for p in people:
        excl.extend((pos[p.id], pos[x]) for x in sorted(p.exclude))
    n = len(people)
    rng = np.random.default_rng(seed)
    circ_global = np.full(n, -1, dtype=np.int64)
    if n:
        enc = encode(problem, seed)
        U, Vt = enc.U, enc.Vt
        lang = language_matrix(people) if rules.require_shared_language else None
        insts = sorted({p.institution for p in people if p.institution is not None})
        icode = {v: k for k, v in enumerate(insts)}
        inst = np.array([icode.get(p.institution, -1) for p in people], dtype=np.int64)  # type: ignore[arg-type]
        cap = max_per_institution if max_per_institution is not None else size_max + 1
        next_id = 0
        leftover: list[I64] = []
        chunks = _chunks(people, size_min, size_max)
        for k, idx in enumerate(chunks):
            if k == len(chunks) - 1 and leftover:
                idx = np.sort(np.concatenate([idx, *leftover]))
            d = DenseProblem(
                pair_affinities(U, Vt, idx, lang, excl),
                inst[idx],
                len(insts),
                cap,
                size_min,
                size_max,
            )
            K, circ = solve_dense(d, rng, method)
            placed = circ < K
            circ_global[idx[placed]] = circ[placed] + next_id
            next_id += K
            if k < len(chunks) - 1:
                leftover.append(idx[~placed])
        # renumber circles densely (chunks may leave empty ones)
        used = np.unique(circ_global[circ_global >= 0])
        remap = np.full(next_id + 1, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        circ_global = np.where(circ_global >= 0, remap[np.maximum(circ_global, 0)], -1)
        return _result(
            problem, people, U, Vt, lang, excl, inst, cap, circ_global, seed, method, size_min
        )
    return CirclesResult(method, seed, (), (), 0.0)


def language_matrix(people: Sequence[Participant]) -> F32:
    vocab = sorted(set().union(*(p.languages for p in people)))
    col = {v: k for k, v in enumerate(vocab)}
    L = np.zeros((len(people), max(len(vocab), 1)), dtype=np.float32)
    for r, p in enumerate(people):
        for v in p.languages:
            L[r, col[v]] = 1.0
    return L


def _chunks(people: Sequence[Participant], size_min: int, size_max: int) -> list[I64]:
    """Index sets solved independently: everyone, or similar people in chunks."""
    n = len(people)
    if n <= CHUNK:
        return [np.arange(n, dtype=np.int64)]
    keys = sorted(
        range(n),
        key=lambda k: (
            ",".join(sorted(people[k].languages)),
            people[k].specialty_parent or people[k].specialty or "",
            people[k].specialty or "",
            people[k].province or "",
            people[k].career_stage if people[k].career_stage is not None else -1,
            k,
        ),
    )
    parts = -(-n // CHUNK)
    order = np.array(keys, dtype=np.int64)
    return [np.sort(c) for c in np.array_split(order, parts)]


def _result(
    problem: Problem,
    people: tuple[Participant, ...],
    U: F32,
    Vt: F32,
    lang: F32 | None,
    excl: list[tuple[int, int]],
    inst: I64,
    cap: int,
    circ: I64,
    seed: int,
    method: str,
    size_min: int,
) -> CirclesResult:
    explainer = Explainer(problem)
    K = int(circ.max()) + 1 if (circ >= 0).any() else 0
    order = np.argsort(circ, kind="stable")
    circles: list[Circle] = []
    grand = 0
    groups: list[I64] = []
    for c in range(K):
        idx = np.sort(order[circ[order] == c])
        groups.append(idx)
    groups.sort(key=lambda g: int(g[0]))
    for k, idx in enumerate(groups):
        A = U[idx] @ Vt[:, idx]
        sym = A + A.T
        tri = np.triu_indices(len(idx), 1)
        tot = int(np.rint(sym[tri].astype(np.float64)).sum())
        grand += tot
        pairs = len(tri[0])
        members = [people[int(i)] for i in idx]
        circles.append(
            Circle(
                id=f"c{k + 1}",
                members=tuple(p.id for p in members),
                score=round(tot / (2 * SCALE) / pairs, 6) if pairs else 0.0,
                total=round(tot / (2 * SCALE), 6),
                reasons=circle_reasons(explainer, members),
            )
        )
    unplaced: list[Unplaced] = []
    rest = np.flatnonzero(circ < 0)
    ex = set(excl)
    for p in rest.tolist():
        if groups:
            fits = any(_fits(p, g, lang, ex, inst, cap) for g in groups)
        elif len(rest) < size_min:
            fits = True
        else:
            fits = _alone_ok(p, rest, lang, ex)
        code = "too_few_people" if fits else "no_feasible_circle"
        unplaced.append(Unplaced(people[p].id, code, UNPLACED_MESSAGES[code]))
    return CirclesResult(
        method, seed, tuple(circles), tuple(unplaced), round(grand / (2 * SCALE), 6)
    )


def _compatible(p: int, q: int, lang: F32 | None, excl: set[tuple[int, int]]) -> bool:
    if (p, q) in excl or (q, p) in excl:
        return False
    if lang is None:
        return True
    a, b = lang[p], lang[q]
    return not a.any() or not b.any() or bool((a * b).any())


def _fits(p: int, g: I64, lang: F32 | None, ex: set[tuple[int, int]], inst: I64, cap: int) -> bool:
    if inst[p] >= 0 and int((inst[g] == inst[p]).sum()) >= cap:
        return False
    return all(_compatible(p, int(q), lang, ex) for q in g)


def _alone_ok(p: int, rest: I64, lang: F32 | None, ex: set[tuple[int, int]]) -> bool:
    return any(_compatible(p, int(q), lang, ex) for q in rest if int(q) != p)


def circle_reasons(explainer: Explainer, members: Sequence[Participant]) -> tuple[str, ...]:
    """What a circle's members share, most shared first (at most five phrases)."""
    n = len(members)
    out: list[str] = []
    half = n / 2

    def common(values: list[str | None], phrase: str, partial: str) -> None:
        vals = [v for v in values if v is not None]
        if not vals:
            return
        top = max(sorted(set(vals)), key=vals.count)
        count = vals.count(top)
        if count == n:
            out.append(phrase.format(explainer.label(top)))
        elif count > half:
            out.append(partial.format(count, n, explainer.label(top)))

    specs = [p.specialty for p in members]
    if specs[0] is not None and all(s == specs[0] for s in specs):
        out.append(f"all {explainer.label(specs[0])}")
    else:
        common(
            [p.specialty_parent or p.specialty for p in members],
            "all in {} (specialty family)",
            "{} of {} in {} (specialty family)",
        )
    stages = [p.career_stage for p in members if p.career_stage is not None]
    if len(stages) == n and max(stages) - min(stages) <= 1:
        out.append(
            f"same career stage ({stages[0]})"
            if max(stages) == min(stages)
            else f"similar career stages ({min(stages)}-{max(stages)})"
        )
    counts: dict[str, int] = {}
    for p in members:
        for i in p.interests:
            counts[i] = counts.get(i, 0) + 1
    shared = frozenset(i for i, c in counts.items() if c > half)
    if shared:
        word = "interest" if len(shared) == 1 else "interests"
        out.append(f"shared {word}: {explainer._list(shared)}")
    langs = (
        frozenset.intersection(*(p.languages for p in members if p.languages))
        if any(p.languages for p in members)
        else frozenset()
    )
    if langs:
        out.append(f"all speak {explainer._list(langs)}")
    common([p.province for p in members], "all in {}", "{} of {} in {}")
    common([p.career_path for p in members], "same career path: {}", "{} of {} on career path {}")
    return tuple(out[:5]) or ("little stated in common",)

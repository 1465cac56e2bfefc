"""PEOPLE.csv in, MATCHES.csv out (formats in ``docs/matching.md``).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first person
row 2. Every error is a :class:`MatchingInputError` with ``row`` and ``column`` set.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from medmentor.matching.cells import write_rows
from medmentor.matching.encode import RankPositions
from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.features import I64
from medmentor.matching.inputs import (
    Mentee,
    Mentor,
    Preference,
    Problem,
    Question,
    Rules,
    Weights,
    answers_mapping,
    people_from_columns,
)
from medmentor.matching.result import Result

P = TypeVar("P", Mentee, Mentor)
VECTOR_LOOKUP = 1 << 16  # characters of rank lists from which ids are looked up at once
CHUNK = 1 << 22  # characters of rank lists looked up together
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing
REQUIRED = ("id", "role")
LISTED = [
    "id",
    "role",
    "capacity",
    "career_stage",
    "specialty",
    "province",
    "institution",
    "languages",
    "interests",
    "goals",
    "modality",
    "exclude",
    "ranks",
]
OPTIONAL = [
    "specialty_parent",
    "department",
    "cadence",
    "time_zone",
    "availability",
    "gender",
    "career_path",
    "confidentiality",
    "prefers_gender",
    "prefers_gender_importance",
    "prefers_language",
    "prefers_language_importance",
    "prefers_province",
    "prefers_province_importance",
]
STAGES = {
    "student": 1,
    "resident": 2,
    "fellow": 3,
    "early": 4,
    "mid": 5,
    "late": 6,
    "retired": 7,
}
FIELD_COLUMN = {"utc_offset": "time_zone", "preferences": "prefers_gender", "locked": "id"}
DEFAULT_WEIGHTS = Weights()
DEFAULT_RULES = Rules()
SETS = ("languages", "interests", "goals", "availability", "exclude")
TEXT_FIELDS = (
    "specialty",
    "specialty_parent",
    "province",
    "institution",
    "department",
    "modality",
    "cadence",
    "gender",
    "career_path",
)
PREFERENCE_COLUMNS = tuple(
    f"prefers_{attr}{part}"
    for attr in ("gender", "language", "province")
    for part in ("", "_importance")
)
CONFIDENTIALITY = (None, "institution", "department")
ROLES = ("mentee", "mentor")
ROW_CHUNK = 1 << 14  # records turned into columns together (bounds the cells held at once)


def _error(message: str, row: int, column: str, who: str | None = None) -> MatchingInputError:
    return MatchingInputError(message, participant=who, field=column, row=row, column=column)


def _cells(text: str) -> list[str]:
    if not text:
        return []
    parts = text.split(";")
    if any(ch in text for ch in " \t\r\n\xa0"):
        return [c.strip() for c in parts if c.strip()]
    return [c for c in parts if c] if "" in parts else parts


def _records(text: str) -> Iterator[list[str]]:
    """The CSV records of ``text``; without quotes, carriage returns or NUL (no cell
    can then hold a comma or a line break), by plain splitting, which is several
    times faster than the csv module on files of long rank lists and gives the same
    cells."""
    if '"' in text or "\r" in text or "\0" in text:
        return csv.reader(io.StringIO(text, newline=""))
    return (line.split(",") for line in text.split("\n"))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        row = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        index = before[line_start:].count(b",")
        column = header[index] if index < len(header) else f"#{index + 1}"
        raise _error("the file is not UTF-8 text", row, column) from None


def _number(text: str, row: int, column: str, who: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _error(f"{text!r} is not a number", row, column, who) from None
    if not math.isfinite(value):
        raise _error(f"{text!r} is not a number", row, column, who)
    return value


def _stage(text: str, row: int, who: str) -> int | None:
    if not text:
        return None
    if text.lower() in STAGES:
        return STAGES[text.lower()]
    try:
        return int(text)
    except ValueError:
        names = ", ".join(STAGES)
        raise _error(
            f"career stage {text!r}: use a number or {names}", row, "career_stage", who
        ) from None


def _offset(text: str, row: int, who: str) -> float | None:
    return _number(text, row, "time_zone", who) if text else None


def _confidentiality(text: str, row: int, who: str) -> str | None:
    conf = text.lower() or None
    if conf not in CONFIDENTIALITY:
        raise _error(
            "confidentiality must be institution or department", row, "confidentiality", who
        )
    return conf


def _capacity(text: str, row: int, who: str) -> int:
    text = text.strip() or "1"
    try:
        capacity = int(text)
    except ValueError:
        raise _error(f"capacity {text!r} is not a whole number", row, "capacity", who) from None
    if capacity < 1:
        raise _error(f"capacity must be at least 1, not {capacity}", row, "capacity", who)
    return capacity


def _preferences(cells: Sequence[str], row: int, who: str) -> tuple[Preference, ...]:
    """The cells of PREFERENCE_COLUMNS (values, importance for each attribute)."""
    prefs: list[Preference] = []
    for k, attr in enumerate(("gender", "language", "province")):
        values = _cells(cells[2 * k])
        if not values:
            continue
        column = f"prefers_{attr}_importance"
        imp = cells[2 * k + 1].strip().lower()
        required = imp == "required"
        importance = 1.0 if required or not imp else _number(imp, row, column, who)
        if not 0 < importance <= 1:
            raise _error("importance must be in (0, 1] or 'required'", row, column, who)
        prefs.append(Preference(attr, frozenset(values), importance, required))
    return tuple(prefs)


def _person(rec: dict[str, str], row: int, answers_cols: Sequence[str]) -> Mentee | Mentor:
    who = rec["id"]
    role = rec["role"].lower()
    common: dict[str, Any] = {
        "id": who,
        "career_stage": _stage(rec.get("career_stage", ""), row, who),
        "utc_offset": _offset(rec.get("time_zone", ""), row, who),
        "answers": {c.split(":", 1)[1]: _cells(rec[c]) for c in answers_cols if rec.get(c)},
    }
    for name in TEXT_FIELDS:
        common[name] = rec.get(name, "") or None
    for name in SETS:
        common[name] = frozenset(_cells(rec.get(name, "")))
    if role == "mentee":
        conf = _confidentiality(rec.get("confidentiality", ""), row, who)
        prefs = _preferences([rec.get(c, "") for c in PREFERENCE_COLUMNS], row, who)
        return Mentee(**common, preferences=prefs, confidentiality=conf)
    if role == "mentor":
        return Mentor(**common, capacity=_capacity(rec.get("capacity", ""), row, who))
    raise _error(f"unknown role {rec['role']!r}: use mentor or mentee", row, "role", who)


def _row_person(
    cells: list[str],
    row: int,
    header: list[str],
    answers_cols: Sequence[str],
    rows: Mapping[str, int],
) -> tuple[Mentee | Mentor, str]:
    """Row ``row`` of the file (not blank) as a person and its rank list, or the first
    error in it; ``rows`` maps ids to their first row, up to this row at least."""
    if len(cells) > len(header):
        raise _error("more cells than columns", row, f"#{len(header) + 1}")
    rec = dict(zip(header, (c.strip() for c in cells), strict=False))
    who = rec.get("id", "")
    if not who:
        raise _error("empty id", row, "id")
    earlier = rows.get(who, row)
    if earlier != row:
        raise _error(f"duplicate id {who!r} (also on row {earlier})", row, "id", who)
    if not rec.get("role"):
        raise _error("empty role: use mentor or mentee", row, "role", who)
    return _person(rec, row, answers_cols), rec.get("ranks", "")


class _ParsedColumn:
    """A column's cells through one rule of the row path (:func:`_person`'s), each
    distinct cell parsed once: the values are shared by everyone with that cell. Cells
    the rule rejects are remembered; their rows are read again by :func:`_row_person`,
    which reports the error exactly as the row path does."""

    def __init__(self, parse: Callable[[str, int, str], Any]) -> None:
        self.parse = parse
        self.memo: dict[Any, Any] = {}
        self.rejected: set[Any] = set()
        self.values: list[Any] = []

    def add(self, cells: Sequence[Any], rownums: list[int], suspect: set[int]) -> None:
        memo = self.memo
        for cell in set(cells).difference(memo):
            try:
                memo[cell] = self.parse(cell, 0, "")
            except MatchingInputError:
                memo[cell] = None
                self.rejected.add(cell)
        if self.rejected and not self.rejected.isdisjoint(cells):
            suspect.update(r for r, c in zip(rownums, cells, strict=True) if c in self.rejected)
        self.values.extend(map(memo.__getitem__, cells))


def _take(values: list[Any], index: list[int]) -> list[Any]:
    if index and index[-1] - index[0] + 1 == len(index):  # one block of rows: a slice
        return values[index[0] : index[-1] + 1]
    return [values[k] for k in index]


def _people_by_columns(
    records: Iterable[list[str]], header: list[str], answers_cols: Sequence[str]
) -> tuple[list[Mentee], list[Mentor], list[str], list[str], dict[str, int]]:
    """The person rows of ``records`` (the header read) as people, their rank lists
    and the id -> row map: what the row path (:func:`_row_person`, row by row) gives,
    with the same first error, but each column parsed at once, ``ROW_CHUNK`` records
    at a time, and every distinct cell parsed once."""
    width = len(header)
    at = {name: k for k, name in enumerate(header)}
    id_at = at["id"]
    rows: dict[str, int] = {}
    suspect: dict[int, list[str]] = {}  # row -> its cells: rows the row path must read
    ranks: list[str] = []
    roles = _ParsedColumn(lambda text, row, who: text.lower())
    parsed = {
        "career_stage": _ParsedColumn(_stage),
        "time_zone": _ParsedColumn(_offset),
        "confidentiality": _ParsedColumn(_confidentiality),
        "capacity": _ParsedColumn(_capacity),
        **{name: _ParsedColumn(lambda text, row, who: text or None) for name in TEXT_FIELDS},
        **{name: _ParsedColumn(lambda text, row, who: frozenset(_cells(text))) for name in SETS},
    }
    preferences = _ParsedColumn(_preferences)
    no_answers = answers_mapping(None)
    answers: list[Mapping[str, frozenset[str]]] = []
    records_left = iter(enumerate(records, start=2))
    while chunk := list(islice(records_left, ROW_CHUNK)):
        # Not blank: a row with an id (most), or any other cell.
        kept = [
            (row, cells)
            for row, cells in chunk
            if (len(cells) > id_at and cells[id_at].strip()) or any(c.strip() for c in cells)
        ]
        if not kept:
            continue
        rownums = [row for row, _ in kept]
        flagged: set[int] = set()
        table: list[list[str]] = []
        for row, cells in kept:
            if len(cells) != width:
                if len(cells) > width:
                    flagged.add(row)
                cells = (cells + [""] * width)[:width]
            table.append(cells)
        columns = [list(map(str.strip, cells)) for cells in zip(*table, strict=True)]
        blank = [""] * len(table)
        by_name = {name: columns[k] for name, k in at.items()}
        for row, who in zip(rownums, by_name.get("id", blank), strict=True):
            if not who or who in rows:
                flagged.add(row)
            else:
                rows[who] = row
        roles.add(by_name.get("role", blank), rownums, flagged)
        flagged.update(
            row
            for row, role in zip(rownums, roles.values[-len(kept) :], strict=True)
            if role not in ROLES
        )
        for name, parsed_column in parsed.items():
            parsed_column.add(by_name.get(name, blank), rownums, flagged)
        preferences.add(
            list(zip(*(by_name.get(c, blank) for c in PREFERENCE_COLUMNS), strict=True)),
            rownums,
            flagged,
        )
        if answers_cols:
            for texts in zip(*(by_name.get(c, blank) for c in answers_cols), strict=True):
                given = {
                    c.split(":", 1)[1]: _cells(v)
                    for c, v in zip(answers_cols, texts, strict=True)
                    if v
                }
                answers.append(answers_mapping(given) if given else no_answers)
        else:
            answers.extend([no_answers] * len(kept))
        ranks.extend(by_name.get("ranks", blank))
        if flagged:
            cells_of = dict(kept)
            suspect.update((row, cells_of[row]) for row in flagged)
    for row in sorted(suspect):
        _row_person(suspect[row], row, header, answers_cols, rows)  # raises at the first error
    ids = list(rows)
    values = {name: p.values for name, p in parsed.items()}
    mentee_index = [k for k, role in enumerate(roles.values) if role == "mentee"]
    mentor_index = [k for k, role in enumerate(roles.values) if role == "mentor"]
    shared = {
        "id": ids,
        "career_stage": values["career_stage"],
        "utc_offset": values["time_zone"],
        "answers": answers,
        **{name: values[name] for name in (*TEXT_FIELDS, *SETS)},
    }

    def side(index: list[int], own: dict[str, list[Any]]) -> dict[str, list[Any]]:
        out = {name: _take(v, index) for name, v in {**shared, **own}.items()}
        out["ranks"] = [()] * len(index)
        return out

    mentees = people_from_columns(
        Mentee,
        side(
            mentee_index,
            {"preferences": preferences.values, "confidentiality": values["confidentiality"]},
        ),
    )
    mentors = people_from_columns(Mentor, side(mentor_index, {"capacity": values["capacity"]}))
    return mentees, mentors, _take(ranks, mentee_index), _take(ranks, mentor_index), rows


def _packed(data: bytes, sep: int, count: int) -> npt.NDArray[np.uint64] | None:
    """The ``count`` items of ``data`` (separated by byte ``sep``), each as its bytes
    read as one little-endian integer; None unless every item is 1 to 7 bytes (then,
    without NUL bytes, the integers differ exactly when the items do) and ``data``
    holds no NUL."""
    if len(data) > 8 * count or (sep != 0 and b"\0" in data):
        return None
    buf = data + bytes([sep]) + bytes(8)
    raw = np.frombuffer(buf, dtype=np.uint8)[: len(data) + 1]
    ends = np.flatnonzero(raw == sep)
    if len(ends) != count or not count:
        return None
    starts = np.concatenate([[0], ends[:-1] + 1])
    lengths = ends - starts
    if lengths.min() < 1 or lengths.max() > 7:
        return None
    # The 8 bytes from each item's start, then only its own bytes.
    words: npt.NDArray[np.uint64] = np.ndarray(
        shape=(len(data) + 1,), dtype="<u8", buffer=buf, strides=(1,)
    )[starts]
    words &= (np.uint64(1) << (8 * lengths).astype(np.uint64)) - np.uint64(1)
    return words


def _lookup(texts: list[str], ids: list[str]) -> list[I64] | None:
    """Rank cells (no white space, no empty cells) as positions in ``ids``, all at
    once: each cell's ids packed as integers and looked up in a hash table of the
    packed ``ids``; None when that is not possible or some id is unknown. Cells go
    in chunks of about 4 MB, so the temporary arrays stay small."""
    vocab = _packed("\0".join(ids).encode(), 0, len(ids))
    if vocab is None:
        return None
    # A hash table of the ids (a few share a slot: those tokens are searched in the
    # sorted ids instead), each token then checked against the id found.
    bits = max(16, len(ids).bit_length() + 6)
    shift = np.uint64(64 - bits)
    table = np.full(1 << bits, -1, dtype=np.int64)
    table[(vocab * _HASH_MULTIPLIER) >> shift] = np.arange(len(ids), dtype=np.int64)
    order = np.argsort(vocab, kind="stable")
    out: list[I64] = []
    a = 0
    while a < len(texts):
        b, size = a, 0
        while b < len(texts) and (b == a or size + len(texts[b]) <= CHUNK):
            size += len(texts[b])
            b += 1
        chunk = texts[a:b]
        a = b
        joined = ";".join(chunk)
        if ";;" in joined or any(ch in joined for ch in " \t\r\n\xa0"):
            return None
        counts = np.array([t.count(";") + 1 for t in chunk], dtype=np.int64)
        tokens = _packed(joined.encode(), ord(";"), int(counts.sum()))
        if tokens is None:
            return None
        found = table[(tokens * _HASH_MULTIPLIER) >> shift]
        miss = np.flatnonzero((found < 0) | (vocab[found] != tokens))
        if len(miss):
            at = np.minimum(np.searchsorted(vocab[order], tokens[miss]), len(ids) - 1)
            found[miss] = order[at]
            if not np.array_equal(vocab[found[miss]], tokens[miss]):
                return None  # an unknown id
        out.extend(np.split(found, np.cumsum(counts)[:-1]))
    return out


def _positions(texts: list[str], pos: dict[str, int], width: int) -> list[I64 | None] | None:
    """Rank cells as positions in ``pos``; None if any names an id not in ``pos`` or
    an id twice (the slow path then reports it exactly as the engine does)."""
    out: list[I64 | None] = [None] * len(texts)
    plain = [k for k, t in enumerate(texts) if t and t[0] != ";" and t[-1] != ";"]
    if sum(len(texts[k]) for k in plain) > VECTOR_LOOKUP:  # long lists: all at once
        found = _lookup([texts[k] for k in plain], list(pos))
        if found is not None:
            for k, arr in zip(plain, found, strict=True):
                out[k] = arr
    get = pos.__getitem__
    for k, text in enumerate(texts):
        got = out[k]
        if got is None:
            cells = _cells(text)
            if not cells:
                continue
            try:
                got = np.fromiter(map(get, cells), dtype=np.int64, count=len(cells))
            except KeyError:
                return None
            out[k] = got
        if len(got) > 1 and int(np.bincount(got, minlength=width).max()) > 1:
            return None
    return out


def _with_ranks(people: list[P], texts: list[str]) -> list[P]:
    return [
        replace(p, ranks=tuple(_cells(t))) if t else p for p, t in zip(people, texts, strict=True)
    ]


def _header(reader: Iterator[list[str]]) -> tuple[list[str], list[str]]:
    """The checked header row (lower case) and its ``answer:`` columns."""
    header = [h.strip().lower() for h in next(reader)]
    for name in REQUIRED:
        if name not in header:
            raise _error(f"missing column {name!r}", 1, name)
    known = set(LISTED) | set(OPTIONAL)
    for k, name in enumerate(header):
        if name not in known and not name.startswith("answer:"):
            raise _error(f"unknown column {name!r}", 1, name or f"#{k + 1}")
        if header.count(name) > 1:
            raise _error(f"column {name!r} appears twice", 1, name)
    return header, [h for h in header if h.startswith("answer:")]


def _people_by_rows(
    records: Iterable[list[str]], header: list[str], answers_cols: Sequence[str]
) -> tuple[list[Mentee], list[Mentor], list[str], list[str], dict[str, int]]:
    """What :func:`_people_by_columns` gives, one person object a row."""
    mentees: list[Mentee] = []
    mentors: list[Mentor] = []
    mentee_texts: list[str] = []
    mentor_texts: list[str] = []
    rows: dict[str, int] = {}
    for row, cells in enumerate(records, start=2):
        if not any(c.strip() for c in cells):
            continue
        person, ranks = _row_person(cells, row, header, answers_cols, rows)
        rows[person.id] = row
        if isinstance(person, Mentee):
            mentees.append(person)
            mentee_texts.append(ranks)
        else:
            mentors.append(person)
            mentor_texts.append(ranks)
    return mentees, mentors, mentee_texts, mentor_texts, rows


def read_people(
    data: bytes,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    rules: Rules = DEFAULT_RULES,
    questions: Iterable[Question] = (),
    by_columns: bool = True,
) -> tuple[Problem, dict[str, int], RankPositions | None]:
    """Parse PEOPLE.csv bytes into a problem, an id -> row map (for errors) and the
    rank lists.

    ``by_columns`` (the command line's way) reads each column at once, parsing every
    distinct cell once (:func:`_people_by_columns`); without it, each row is read on
    its own (:func:`_people_by_rows`). Both give equal problems and the same errors:
    the rules are the same functions.

    Rank lists can hold millions of ids (complete lists: every mentee ranks every
    mentor and the reverse), so they are turned straight into positions and the
    people's ``ranks`` are left empty (see ``api.solve_encoded_ranks``). Only when a
    list names an unknown id, someone of the same role or an id twice do the people
    get their lists as strings, so that the engine's validation reports it.
    """
    text = _decode(data)
    if not text.strip():
        raise _error("the file is empty; expected a header row starting id,role", 1, "id")
    reader = iter(_records(text))
    header, answers_cols = _header(reader)
    read = _people_by_columns if by_columns else _people_by_rows
    mentees, mentors, mentee_texts, mentor_texts, rows = read(reader, header, answers_cols)
    if not rows:
        raise _error("no people in the file", 2, "id")
    mentee_pos = {p.id: k for k, p in enumerate(mentees)}
    mentor_pos = {p.id: k for k, p in enumerate(mentors)}
    mentee_ranks = _positions(mentee_texts, mentor_pos, len(mentors))
    mentor_ranks = (
        None if mentee_ranks is None else _positions(mentor_texts, mentee_pos, len(mentees))
    )
    ranks: RankPositions | None = None
    if mentee_ranks is None or mentor_ranks is None:
        mentees = _with_ranks(mentees, mentee_texts)
        mentors = _with_ranks(mentors, mentor_texts)
    else:
        ranks = (tuple(mentee_ranks), tuple(mentor_ranks))
    problem = Problem(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        weights=weights,
        rules=rules,
        questions=tuple(questions),
    )
    return problem, rows, ranks


def locate(exc: MatchingInputError, rows: dict[str, int]) -> MatchingInputError:
    """Give an engine error the row and column of the offending person and field."""
    if exc.row is not None or exc.participant not in rows:
        return exc
    column = FIELD_COLUMN.get(exc.field or "", exc.field or "id")
    assert exc.participant is not None
    return _error(exc.message, rows[exc.participant], column, exc.participant)


def write_matches(result: Result, out: io.TextIOBase | Any) -> None:
    """MATCHES.csv: mentee_id,mentor_id,score,reasons (unmatched: empty mentor_id)."""
    write_rows(
        out,
        [
            ["mentee_id", "mentor_id", "score", "reasons"],
            *(
                [p.mentee_id, p.mentor_id, f"{p.score:.4f}", "; ".join(p.reasons)]
                for p in result.pairs
            ),
            *([u.mentee_id, "", "", u.message] for u in result.unmatched),
        ],
    )

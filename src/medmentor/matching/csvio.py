"""PEOPLE.csv in, MATCHES.csv out (formats in ``docs/matching.md``).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first person
row 2. Every error is a :class:`MatchingInputError` with ``row`` and ``column`` set.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from medmentor.matching.exceptions import MatchingInputError
from medmentor.matching.inputs import Mentee, Mentor, Preference, Problem, Question, Rules, Weights
from medmentor.matching.result import Result

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


def _error(message: str, row: int, column: str, who: str | None = None) -> MatchingInputError:
    return MatchingInputError(message, participant=who, field=column, row=row, column=column)


def _cells(text: str) -> list[str]:
    if not text:
        return []
    parts = text.split(";")
    if any(ch in text for ch in " \t\r\n\xa0"):
        return [c.strip() for c in parts if c.strip()]
    return [c for c in parts if c] if "" in parts else parts


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


def _preferences(rec: dict[str, str], row: int, who: str) -> tuple[Preference, ...]:
    prefs: list[Preference] = []
    for attr in ("gender", "language", "province"):
        values = _cells(rec.get(f"prefers_{attr}", ""))
        if not values:
            continue
        column = f"prefers_{attr}_importance"
        imp = rec.get(column, "").strip().lower()
        required = imp == "required"
        importance = 1.0 if required or not imp else _number(imp, row, column, who)
        if not 0 < importance <= 1:
            raise _error("importance must be in (0, 1] or 'required'", row, column, who)
        prefs.append(Preference(attr, frozenset(values), importance, required))
    return tuple(prefs)


def _person(rec: dict[str, str], row: int, answers_cols: Sequence[str]) -> Mentee | Mentor:
    who = rec["id"]
    role = rec["role"].lower()
    tz = rec.get("time_zone", "")
    common: dict[str, Any] = {
        "id": who,
        "career_stage": _stage(rec.get("career_stage", ""), row, who),
        "utc_offset": _number(tz, row, "time_zone", who) if tz else None,
        "answers": {c.split(":", 1)[1]: _cells(rec[c]) for c in answers_cols if rec.get(c)},
        # Ids repeat in every rank list: share one string object per id.
        "ranks": tuple(map(sys.intern, _cells(rec.get("ranks", "")))),
    }
    for name in (
        "specialty",
        "specialty_parent",
        "province",
        "institution",
        "department",
        "modality",
        "cadence",
        "gender",
        "career_path",
    ):
        common[name] = rec.get(name, "") or None
    for name in SETS:
        common[name] = frozenset(_cells(rec.get(name, "")))
    if role == "mentee":
        conf = rec.get("confidentiality", "").lower() or None
        if conf not in (None, "institution", "department"):
            raise _error(
                "confidentiality must be institution or department", row, "confidentiality", who
            )
        return Mentee(**common, preferences=_preferences(rec, row, who), confidentiality=conf)
    if role == "mentor":
        text = rec.get("capacity", "").strip() or "1"
        try:
            capacity = int(text)
        except ValueError:
            raise _error(f"capacity {text!r} is not a whole number", row, "capacity", who) from None
        if capacity < 1:
            raise _error(f"capacity must be at least 1, not {capacity}", row, "capacity", who)
        return Mentor(**common, capacity=capacity)
    raise _error(f"unknown role {rec['role']!r}: use mentor or mentee", row, "role", who)


def read_people(
    data: bytes,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    rules: Rules = DEFAULT_RULES,
    questions: Iterable[Question] = (),
) -> tuple[Problem, dict[str, int]]:
    """Parse PEOPLE.csv bytes into a problem and an id -> row map (for errors)."""
    text = _decode(data)
    if not text.strip():
        raise _error("the file is empty; expected a header row starting id,role", 1, "id")
    reader = csv.reader(io.StringIO(text, newline=""))
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
    answers_cols = [h for h in header if h.startswith("answer:")]
    mentees: list[Mentee] = []
    mentors: list[Mentor] = []
    rows: dict[str, int] = {}
    for row, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise _error("more cells than columns", row, f"#{len(header) + 1}")
        rec = dict(zip(header, (c.strip() for c in cells), strict=False))
        who = rec.get("id", "")
        if not who:
            raise _error("empty id", row, "id")
        if who in rows:
            raise _error(f"duplicate id {who!r} (also on row {rows[who]})", row, "id", who)
        rows[who] = row
        if not rec.get("role"):
            raise _error("empty role: use mentor or mentee", row, "role", who)
        person = _person(rec, row, answers_cols)
        (mentees if isinstance(person, Mentee) else mentors).append(person)  # type: ignore[arg-type]
    if not rows:
        raise _error("no people in the file", 2, "id")
    problem = Problem(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        weights=weights,
        rules=rules,
        questions=tuple(questions),
    )
    return problem, rows


def locate(exc: MatchingInputError, rows: dict[str, int]) -> MatchingInputError:
    """Give an engine error the row and column of the offending person and field."""
    if exc.row is not None or exc.participant not in rows:
        return exc
    column = FIELD_COLUMN.get(exc.field or "", exc.field or "id")
    assert exc.participant is not None
    return _error(exc.message, rows[exc.participant], column, exc.participant)


def write_matches(result: Result, out: io.TextIOBase | Any) -> None:
    """MATCHES.csv: mentee_id,mentor_id,score,reasons (unmatched: empty mentor_id)."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["mentee_id", "mentor_id", "score", "reasons"])
    for p in result.pairs:
        w.writerow([p.mentee_id, p.mentor_id, f"{p.score:.4f}", "; ".join(p.reasons)])
    for u in result.unmatched:
        w.writerow([u.mentee_id, "", "", u.message])

"""``medmentor match`` reads PEOPLE.csv by columns: the same problem, the same
MATCHES.csv and the same first error (message, row, column) as reading row by row,
on random small files and where the columnar reading could go astray (errors in
later chunks, duplicates across chunks, ragged rows)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medmentor.matching import csvio, solve
from medmentor.matching.cli import main
from tests.matching.conftest import assert_same_reading

COLUMNS = (
    "capacity",
    "career_stage",
    "specialty",
    "province",
    "languages",
    "interests",
    "modality",
    "time_zone",
    "confidentiality",
    "prefers_gender",
    "prefers_gender_importance",
    "prefers_language",
    "prefers_language_importance",
    "exclude",
    "answer:q1",
    "ranks",
)
# Cells of each column, good and bad, with spaces, case and empty values mixed in.
CELLS = {
    "capacity": ("", "1", "3", " 2 ", "0", "-1", "two", "1.5"),
    "career_stage": ("", "student", "Resident", "4", " mid ", "senior", "3.5"),
    "specialty": ("", "fm", "im", " fm "),
    "province": ("", "ON", "QC"),
    "languages": ("", "en", "en;fr", "fr ; en", ";en;"),
    "interests": ("", "research", "research;teaching", "wellness"),
    "modality": ("", "virtual", "in_person", "either"),
    "time_zone": ("", "-5", "-3.5", "x", "nan", "inf", "20"),
    "confidentiality": ("", "institution", "Department", "nobody"),
    "prefers_gender": ("", "woman", "woman;man"),
    "prefers_gender_importance": ("", "0.5", "required", "1", "0", "2", "lots"),
    "prefers_language": ("", "fr"),
    "prefers_language_importance": ("", "0.3", "Required", "-1"),
    "exclude": ("", "t0", "e1", "t1;e0", "nobody"),
    "answer:q1": ("", "a", "a;b"),
    "ranks": ("", "t0", "t1;t0", "e0", "t0;t0", "zz"),
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def people_files(draw: st.DrawFn) -> str:
    """A small PEOPLE.csv: a random subset of the columns in random order, mostly
    sound rows with now and then a bad cell, an odd role, a repeated or empty id, a
    blank, short or too long row."""
    columns = draw(st.lists(st.sampled_from(COLUMNS), unique=True, max_size=8))
    header = ["id", "role", *columns]
    order = draw(st.permutations(range(len(header))))
    lines = [",".join(header[k] for k in order)]
    mentees = draw(st.integers(0, 5))
    mentors = draw(st.integers(0, 4))
    for k in range(mentees + mentors):
        who = f"e{k}" if k < mentees else f"t{k - mentees}"
        role = "mentee" if k < mentees else "mentor"
        special = draw(st.integers(0, 30))
        if special == 0:
            who = draw(st.sampled_from(("", " ", "e0", "t0")))
        elif special == 1:
            role = draw(st.sampled_from(("", "Mentor", "MENTEE", "coach")))
        cells = [who, role, *(draw(st.sampled_from(CELLS[c])) for c in columns)]
        line = [cells[k] for k in order]
        if special == 2:
            line = line[: draw(st.integers(1, len(line)))]
        elif special == 3:
            line.append("extra")
        lines.append(",".join(line))
        if special == 4:
            lines.append(draw(st.sampled_from(("", ",,", " , "))))
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=people_files(), chunk=st.sampled_from((1, 2, 3, 1 << 14)))
def test_random_files_read_alike_both_ways(text: str, chunk: int) -> None:
    """Any small file, read in chunks of any size: the same problem or the same error."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvio, "ROW_CHUNK", chunk)
        assert_same_reading(text.encode())


def _run(tmp_path: Path, text: str) -> tuple[int, str]:
    people = tmp_path / "people.csv"
    people.write_text(text, encoding="utf-8")
    out = tmp_path / "matches.csv"
    code = main([str(people), "--out", str(out)])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


GOOD = (
    "id,role,capacity,career_stage,specialty,languages,interests,exclude\n"
    + "".join(f"e{k},mentee,,student,{'fm' if k % 2 else 'im'},en,research,\n" for k in range(9))
    + "t0,mentor,4,late,fm,en,research;teaching,e3\n"
    + "t1,mentor,3,mid,im,en;fr,research,\n"
    + "t2,mentor,2,mid,fm,fr,teaching,e1;e2\n"
)


@pytest.mark.parametrize("chunk", [1, 4, 1 << 14])
def test_the_command_writes_the_same_matches_in_any_chunking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(csvio, "ROW_CHUNK", chunk)
    code, written = _run(tmp_path, GOOD)
    assert code == 0
    assert written == _matches_by_rows(GOOD.encode())


def _matches_by_rows(data: bytes) -> str:
    problem, _, _ = csvio.read_people(data, by_columns=False)
    buf = io.StringIO()
    csvio.write_matches(solve(problem), buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("later", "message"),
    [
        # The bad row comes in a later chunk than a row that is only bad in a later
        # column: the first bad row is named, not the first bad column.
        ("e9,mentee,,senior,fm,en,research,\n", "row 12, column career_stage"),
        ("e3,mentee,,student,fm,en,research,\n", "row 12, column id: duplicate id 'e3'"),
        ("t9,mentor,0,late,fm,en,research,\n", "row 12, column capacity"),
        ("t9,boss,1,late,fm,en,research,\n", "row 12, column role"),
        ("t9,mentor,1,late,fm,en,research,,more\n", "row 12, column #9"),
    ],
)
def test_the_first_bad_row_is_named_across_chunks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    later: str,
    message: str,
) -> None:
    monkeypatch.setattr(csvio, "ROW_CHUNK", 4)
    lines = GOOD.splitlines(keepends=True)
    text = "".join([*lines[:11], later, *lines[11:], "t8,mentor,1,late,fm,en,research,nobody\n"])
    code, written = _run(tmp_path, text)
    assert code == 2
    assert written == ""
    assert message in capsys.readouterr().err


def test_an_unknown_exclusion_is_named_by_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The engine's own checks still run on the columnar problem and name the row."""
    code, _ = _run(tmp_path, GOOD + "t8,mentor,1,late,fm,en,research,nobody\n")
    assert code == 2
    assert "row 14, column exclude: 't8' excludes unknown id 'nobody'" in capsys.readouterr().err


def test_people_sharing_a_cell_share_its_value() -> None:
    """Each distinct cell is parsed once: 75,000 people of a few hundred distinct
    interest sets hold a few hundred sets, not 75,000 (the memory of large files)."""
    problem, _, _ = csvio.read_people(GOOD.encode())
    first, *others = problem.mentees
    assert all(p.interests is first.interests for p in others)

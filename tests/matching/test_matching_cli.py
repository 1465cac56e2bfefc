"""``medmentor match``: a good run, and every bad input (one error naming row and
column on stderr, exit status 2, no output file)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from medmentor.matching.cli import main

HEADER = "id,role,capacity,career_stage,specialty,province,institution,languages,interests,goals,modality,exclude,ranks\n"  # noqa: E501
GOOD = HEADER + (
    "e1,mentee,,resident,fm,ON,uottawa,en;fr,sexual-health,wlb,virtual,,\n"
    "e2,mentee,,student,im,SK,usask,en,research,research,in_person,t1,\n"
    "e3,mentee,,student,im,SK,usask,de,research,research,in_person,,\n"
    "t1,mentor,2,mid,fm,ON,toh,fr,sexual-health;teaching,wlb;research,virtual,,\n"
    "t2,mentor,1,late,im,SK,usask,en,research,research,in_person,,\n"
)


def _run(tmp_path: Path, content: bytes | str, *args: str) -> tuple[int, Path]:
    people = tmp_path / "people.csv"
    people.write_bytes(content.encode() if isinstance(content, str) else content)
    out = tmp_path / "matches.csv"
    return main([str(people), "--out", str(out), *args]), out


@pytest.mark.parametrize("algorithm", ["stable", "optimal"])
def test_good_file_writes_matches(
    tmp_path: Path, algorithm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(tmp_path, GOOD, "--algorithm", algorithm, "--seed", "3")
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["mentee_id"] for r in rows] == ["e1", "e2", "e3"]
    by_id = {r["mentee_id"]: r for r in rows}
    assert by_id["e1"]["mentor_id"] == "t1"
    assert by_id["e1"]["reasons"].startswith("both fm; shared interest: sexual-health; offers wlb")
    assert by_id["e2"]["mentor_id"] == "t2"  # e2 excludes t1
    assert by_id["e3"] == {
        "mentee_id": "e3",
        "mentor_id": "",
        "score": "",
        "reasons": "no eligible mentor",
    }
    assert "matched 2 of 3 mentees" in capsys.readouterr().err


def test_stdout_when_no_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = tmp_path / "people.csv"
    people.write_text(GOOD, encoding="utf-8")
    assert main([str(people)]) == 0
    assert capsys.readouterr().out.startswith("mentee_id,mentor_id,score,reasons\n")


BAD = {
    "duplicate id": (HEADER + "a,mentor,1,,,,,,,,,,\na,mentee,,,,,,,,,,,\n", "row 3, column id"),
    "unknown role": (HEADER + "a,coach,1,,,,,,,,,,\n", "row 2, column role"),
    "capacity 0": (HEADER + "a,mentor,0,,,,,,,,,,\n", "row 2, column capacity"),
    "capacity not a number": (HEADER + "a,mentor,two,,,,,,,,,,\n", "row 2, column capacity"),
    "exclusion unknown id": (
        HEADER + "a,mentor,1,,,,,,,,,,\nb,mentee,,,,,,,,,,zz,\n",
        "row 3, column exclude",
    ),
    "rank unknown id": (
        HEADER + "a,mentor,1,,,,,,,,,,\nb,mentee,,,,,,,,,,,a;zz\n",
        "row 3, column ranks",
    ),
    "mentee ranks a mentee": (
        HEADER + "a,mentor,1,,,,,,,,,,\nb,mentee,,,,,,,,,,,c\nc,mentee,,,,,,,,,,,\n",
        "row 3, column ranks",
    ),
    "mentor ranks a mentor": (
        HEADER + "a,mentor,1,,,,,,,,,,b\nb,mentor,1,,,,,,,,,,\n",
        "row 2, column ranks",
    ),
    "empty file": ("", "row 1, column id"),
    "header only": (HEADER, "row 2, column id"),
    "bad career stage": (HEADER + "a,mentor,1,dean,,,,,,,,,\n", "row 2, column career_stage"),
    "unknown column": ("id,role,colour\na,mentor,red\n", "row 1, column colour"),
    "missing role column": ("id,capacity\na,1\n", "row 1, column role"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    content, where = BAD[case]
    code, out = _run(tmp_path, content)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1, err
    assert where in err[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".matches-*"))


def test_non_utf8_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = (HEADER + "a,mentor,1,,,ON,,,,,,,\nb,mentee,,,,Qu\xe9bec,,,,,,,\n").encode("latin-1")
    code, out = _run(tmp_path, content)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert not out.exists()
    assert len(err) == 1
    assert "row 3, column province" in err[0]
    assert "UTF-8" in err[0]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_medmentor_command_dispatches_to_match(tmp_path: Path) -> None:
    from medmentor.cli import main as medmentor_main

    people = tmp_path / "people.csv"
    people.write_text(GOOD, encoding="utf-8")
    assert medmentor_main(["match", str(people), "--out", str(tmp_path / "m.csv")]) == 0
    assert (tmp_path / "m.csv").exists()

"""``medmentor match --circles MIN-MAX``: a good run (exclusions honoured, unplaced
reported) and bad input (one message naming the option or row and column, exit
status 2, nothing written)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from medmentor.matching.cli import main

HEADER = "id,role,career_stage,specialty,province,institution,languages,interests,exclude\n"
PEOPLE = (
    HEADER
    + "".join(
        f"e{k},mentee,resident,{('fm', 'im')[k % 2]},ON,u{k % 3},en,research;teaching,\n"
        for k in range(9)
    )
    + "m1,mentor,mid,fm,ON,u9,en,research,e0\nf1,mentee,student,im,QC,u9,fr,research,\n"
)


def _files(tmp_path: Path, excl: str | None = None) -> tuple[Path, Path, Path]:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    ex = tmp_path / "excl.csv"
    if excl is not None:
        ex.write_text(excl, encoding="utf-8")
    return people, ex, tmp_path / "circles.csv"


def test_circles_written_with_exclusions_and_unplaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people, ex, out = _files(tmp_path, "id,other_id\ne1,e2\ne3,e4\n")
    args = ["--circles", "3-4", str(people), "--exclusions", str(ex), "-o", str(out)]
    assert main([*args, "--max-per-institution", "2", "--seed", "1"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["circle", "person_id", "circle_score", "reasons"]
    circles: dict[str, list[str]] = {}
    for r in rows:
        if r["circle"]:
            circles.setdefault(r["circle"], []).append(r["person_id"])
            assert 0 <= float(r["circle_score"]) <= 1
            assert r["reasons"]
    assert sorted(circles) == [str(k) for k in range(1, len(circles) + 1)]
    placed = {p for ms in circles.values() for p in ms}
    assert placed == {f"e{k}" for k in range(9)} | {"m1"}  # mentors are peers too
    for ms in circles.values():
        assert 3 <= len(ms) <= 4
        assert not {"e1", "e2"} <= set(ms)
        assert not {"e3", "e4"} <= set(ms)
        assert not {"m1", "e0"} <= set(ms)  # m1's own exclude column
    (unplaced,) = [r for r in rows if not r["circle"]]
    assert unplaced["person_id"] == "f1"
    assert unplaced["circle_score"] == ""
    assert "hard rule" in unplaced["reasons"]
    err = capsys.readouterr().err
    assert "placed 10 of 11 people" in err
    assert "unplaced f1" in err
    assert "no_feasible_circle" in err


def test_stdout_without_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people, _, _ = _files(tmp_path)
    assert main(["--circles", "2-6", str(people), "--no-shared-language"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("circle,person_id,circle_score,reasons\n")
    assert "placed 11 of 11 people" in captured.err


@pytest.mark.parametrize(
    ("value", "message"),
    [("8-5", "MIN 8 is larger than MAX 5"), ("1-4", "MIN must be at least 2"),
     ("5_8", "not a size range"), ("five-8", "not a size range"), ("5-", "not a size range"),
     ("5", "not a size range")],
)  # fmt: skip
def test_bad_range(
    tmp_path: Path, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    people, _, out = _files(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main([str(people), "--circles", value, "-o", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --circles" in err
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize("option", [["--exclusions", "x.csv"], ["--max-per-institution", "2"]])
def test_circle_options_need_circles(
    tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    people, _, out = _files(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main([str(people), *option, "-o", str(out)])
    assert exc.value.code == 2
    assert f"{option[0]} needs --circles" in capsys.readouterr().err
    assert not out.exists()


BAD_EXCL = {
    "unknown id": ("id,other_id\ne1,zz\n", "row 2, column other_id: unknown id 'zz'"),
    "bad header": ("a,b\ne1,e2\n", "row 1, column id"),
    "three cells": ("id,other_id\ne1,e2,e3\n", "row 2, column other_id"),
    "self": ("id,other_id\ne1,e1\n", "row 2, column other_id"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXCL))
def test_bad_exclusions(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    content, where = BAD_EXCL[case]
    people, ex, out = _files(tmp_path, content)
    code = main(["--circles", "3-4", str(people), "--exclusions", str(ex), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1, err
    assert "excl.csv" in err[0]
    assert where in err[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".matches-*"))


def test_bad_people_row_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people, _, out = _files(tmp_path)
    people.write_text(HEADER + "a,mentee,,,,,en,,\nb,mentee,,,,,en,,zz\n", encoding="utf-8")
    assert main(["--circles", "2-3", str(people), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "people.csv: row 3, column exclude" in err
    assert not out.exists()


def test_missing_exclusions_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people, ex, out = _files(tmp_path)
    assert main(["--circles", "3-4", str(people), "--exclusions", str(ex), "-o", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert not out.exists()


def test_medmentor_command_forms_circles(tmp_path: Path) -> None:
    from medmentor.cli import main as medmentor_main

    people, _, out = _files(tmp_path)
    assert medmentor_main(["match", "--circles", "3-4", str(people), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("circle,person_id")


def test_an_id_that_reads_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE.replace("f1,", "=cmd|x,"), encoding="utf-8")
    out = tmp_path / "circles.csv"
    assert main(["--circles", "3-4", str(people), "-o", str(out), "--seed", "1"]) == 0
    ids = [row["person_id"] for row in csv.DictReader(out.open(encoding="utf-8"))]
    assert "'=cmd|x" in ids
    assert not [cell for cell in ids if cell.startswith(("=", "+", "-", "@"))]

"""``medmentor match --groups MIN-MAX``: a good run (sizes within the range and the
mentors' capacity, exclusions and ranks honoured, unplaced mentees reported) and bad
input (one message naming the option or row and column, exit status 2, nothing
written). Every run goes through the ``medmentor`` command's entry point."""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import pytest

from medmentor.cli import main as medmentor_main

HEADER = "id,role,capacity,career_stage,specialty,province,institution,languages,exclude,ranks\n"
MENTEES = "".join(
    f"e{k},mentee,,resident,{('fm', 'im')[k % 2]},ON,u{k % 3},en,,\n" for k in range(1, 11)
)
PEOPLE = (
    HEADER
    + MENTEES.replace("e5,mentee,,resident,im,ON,u2,en,,", "e5,mentee,,resident,im,ON,u2,en,e6,")
    # e0 would rather have m1 (same specialty) but ranks only m2.
    + "e0,mentee,,resident,fm,ON,u0,en,,m2\n"
    + "f1,mentee,,student,im,QC,u9,fr,,\n"  # shares no language with any mentor
    + "m1,mentor,4,mid,fm,ON,u8,en,,\n"
    + "m2,mentor,3,mid,im,ON,u9,en,,\n"
    + "m3,mentor,1,mid,fm,ON,u9,en,,\n"  # one seat: cannot lead a group of 2 or more
    + "m4,mentor,5,mid,fm,ON,u9,en,,\n"
)
EXCLUSIONS = "id,other_id\ne1,e2\ne3,e4\ne7,m4\n"
CAPACITY = {"m1": 4, "m2": 3, "m3": 1, "m4": 5}


def _files(tmp_path: Path, people: str = PEOPLE, excl: str = EXCLUSIONS) -> tuple[Path, Path]:
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    (tmp_path / "excl.csv").write_text(excl, encoding="utf-8")
    return tmp_path / "people.csv", tmp_path / "excl.csv"


def _match(tmp_path: Path, *args: str) -> int:
    people, _ = _files(tmp_path)
    return medmentor_main(["match", str(people), *args])


def test_groups_within_range_with_exclusions_ranks_and_unplaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people, ex = _files(tmp_path)
    out = tmp_path / "groups.csv"
    args = ["match", "--groups", "2-4", str(people), "--exclusions", str(ex), "-o", str(out)]
    assert medmentor_main([*args, "--max-per-institution", "2", "--seed", "3"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["group", "mentor_id", "mentee_id", "group_score", "reasons"]
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r["group"]:
            groups.setdefault(r["group"], []).append(r)
    assert sorted(groups, key=int) == [str(k) for k in range(1, len(groups) + 1)]
    members: dict[str, set[str]] = {}
    for group in groups.values():
        (mentor,) = {r["mentor_id"] for r in group}  # the mentor named on every row
        (score,) = {r["group_score"] for r in group}
        assert 0 <= float(score) <= 1
        assert all(r["reasons"] for r in group)
        assert 2 <= len(group) <= min(4, CAPACITY[mentor])
        members[mentor] = {mentor} | {r["mentee_id"] for r in group}
        institutions = [int(r["mentee_id"][1:]) % 3 for r in group]  # e{k} is at u{k % 3}
        assert max(institutions.count(u) for u in set(institutions)) <= 2
    assert len(members) == len(groups)  # one group a mentor
    assert "m3" not in members
    for a, b in (("e1", "e2"), ("e3", "e4"), ("e7", "m4"), ("e5", "e6")):
        assert not any({a, b} <= group for group in members.values()), (a, b)
    assert "e0" in members["m2"]  # e0 ranked only m2
    placed = {e for group in members.values() for e in group if e.startswith("e")}
    unplaced = {r["mentee_id"]: r for r in rows if not r["group"]}
    assert placed | set(unplaced) == {f"e{k}" for k in range(11)} | {"f1"}
    assert not placed & set(unplaced)
    assert unplaced["f1"]["reasons"] == "no mentor passes the hard rules with this mentee"
    assert all(r["mentor_id"] == r["group_score"] == "" for r in unplaced.values())
    err = capsys.readouterr().err
    assert f"placed {len(placed)} of 12 mentees" in err
    assert "unplaced f1: no mentor passes the hard rules with this mentee" in err
    assert "(no_eligible_mentor)" in err


def test_group_size_is_the_capacity_up_to_max(tmp_path: Path) -> None:
    """m4's five seats are cut to MAX 3: 3 + 3 + 3 seats (m1, m2, m4) for 12 mentees,
    f1 placed nowhere, so exactly two eligible mentees are left without a seat."""
    out = tmp_path / "groups.csv"
    assert _match(tmp_path, "--groups", "3-3", "-o", str(out)) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    sizes = [sum(r["mentor_id"] == m for r in rows) for m in ("m1", "m2", "m4")]
    assert sizes == [3, 3, 3]
    reasons = sorted(r["reasons"] for r in rows if not r["group"])
    assert len(reasons) == 3
    assert reasons.count("no mentor passes the hard rules with this mentee") == 1
    assert all(r.startswith("every group whose mentor is eligible is full") for r in reasons[:2])


def test_stdout_without_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _match(tmp_path, "--groups", "2-5", "--no-shared-language") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("group,mentor_id,mentee_id,group_score,reasons\n")
    assert "placed 12 of 12 mentees" in captured.err


def test_groups_and_circles_refused_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "groups.csv"
    with pytest.raises(SystemExit) as exc:
        _match(tmp_path, "--groups", "2-4", "--circles", "3-4", "-o", str(out))
    assert exc.value.code == 2
    assert "argument --circles: not allowed with argument --groups" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("4-2", "MIN 4 is larger than MAX 2"), ("1-3", "MIN must be at least 2"),
     ("three", "not a size range")],
)  # fmt: skip
def test_bad_range(
    tmp_path: Path, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "groups.csv"
    with pytest.raises(SystemExit) as exc:
        _match(tmp_path, "--groups", value, "-o", str(out))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --groups" in err
    assert message in err
    assert not out.exists()


def test_exclusions_need_groups_or_circles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people, ex = _files(tmp_path)
    with pytest.raises(SystemExit) as exc:
        medmentor_main(["match", str(people), "--exclusions", str(ex)])
    assert exc.value.code == 2
    assert "--exclusions needs --circles MIN-MAX or --groups MIN-MAX" in capsys.readouterr().err


BAD_PEOPLE = {
    "capacity": ("m9,mentor,many,,,,,en,,\n", "people.csv: row 18, column capacity"),
    "exclude": ("e99,mentee,,,,,,en,zz,\n", "people.csv: row 18, column exclude"),
    "ranks": ("e99,mentee,,,,,,en,,zz\n", "people.csv: row 18, column ranks"),
}
BAD_EXCL = {
    "unknown id": ("id,other_id\ne1,zz\n", "excl.csv: row 2, column other_id: unknown id 'zz'"),
    "header": ("a,b\ne1,e2\n", "excl.csv: row 1, column id"),
}


@pytest.mark.parametrize("case", sorted(BAD_PEOPLE) + sorted(BAD_EXCL))
def test_bad_input_one_message_exit_2_no_output(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if case in BAD_PEOPLE:
        line, where = BAD_PEOPLE[case]
        people, ex = _files(tmp_path, people=PEOPLE + line)
    else:
        content, where = BAD_EXCL[case]
        people, ex = _files(tmp_path, excl=content)
    out = tmp_path / "groups.csv"
    args = ["match", "--groups", "2-4", str(people), "--exclusions", str(ex), "-o", str(out)]
    assert medmentor_main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert where in err[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".matches-*"))


def test_formula_ids_are_written_as_text(tmp_path: Path) -> None:
    people = PEOPLE.replace("e1,", "=cmd|x,").replace("m1,", "@m1,")
    people_file, _ = _files(tmp_path, people=people)
    out = tmp_path / "groups.csv"
    assert medmentor_main(["match", "--groups", "2-4", str(people_file), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    mentees = [r["mentee_id"] for r in rows]
    mentors = [r["mentor_id"] for r in rows]
    assert "'=cmd|x" in mentees
    assert "'@m1" in mentors
    cells = [cell for r in rows for cell in r.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_every_pair_of_members_checked(tmp_path: Path) -> None:
    """Exclusions bind mentees of one group to each other, not only to the mentor:
    with every pair of the ten fm/im mentees excluded but those of one parity, the
    groups hold only mentees of one specialty."""
    evens = [f"e{k}" for k in range(2, 11, 2)]
    odds = [f"e{k}" for k in range(1, 11, 2)]
    excl = "id,other_id\n" + "".join(f"{a},{b}\n" for a in evens for b in odds)
    people, ex = _files(tmp_path, excl=excl)
    out = tmp_path / "groups.csv"
    args = ["match", "--groups", "2-4", str(people), "--exclusions", str(ex), "-o", str(out)]
    assert medmentor_main(args) == 0
    groups: dict[str, set[str]] = {}
    for r in csv.DictReader(out.open(encoding="utf-8")):
        if r["group"]:
            groups.setdefault(r["group"], set()).add(r["mentee_id"])
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            assert not ({a, b} & set(evens) and {a, b} & set(odds)), (a, b)

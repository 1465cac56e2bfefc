"""The command line reads rank lists straight into positions: same matches as the
engine given the lists as strings, and the same errors for bad lists."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from medmentor.matching import Mentee, Mentor, Problem, Rules, csvio, solve
from medmentor.matching.cli import main

HEADER = "id,role,capacity,specialty,languages,interests,ranks\n"


def _people(seed: int) -> tuple[str, Problem, Problem]:
    """A file with partial rank lists (some with spaces, some empty) and the same
    people as engine inputs, with exclusive and with non-exclusive ranks."""
    rng = np.random.default_rng(seed)
    n, m = 40, 14
    lines = [HEADER]
    mentees, mentors = [], []
    for i in range(n):
        ranks = [f"t{j}" for j in rng.permutation(m)[: int(rng.integers(0, m + 1))]]
        spec, lang = f"s{int(rng.integers(3))}", "en;fr" if rng.random() < 0.3 else "en"
        cell = " ; ".join(ranks) if rng.random() < 0.3 else ";".join(ranks)
        lines.append(f"e{i},mentee,,{spec},{lang},i{int(rng.integers(4))},{cell}\n")
        mentees.append(
            Mentee(
                f"e{i}",
                specialty=spec,
                languages=set(lang.split(";")),
                interests={lines[-1].split(",")[5]},
                ranks=tuple(ranks),
            )
        )
    for j in range(m):
        ranks = [f"e{i}" for i in rng.permutation(n)[: int(rng.integers(0, n + 1))]]
        cap = int(rng.integers(1, 4))
        spec = f"s{int(rng.integers(3))}"
        lines.append(f"t{j},mentor,{cap},{spec},en,i{j % 4},{';'.join(ranks)}\n")
        mentors.append(
            Mentor(
                f"t{j}",
                specialty=spec,
                languages={"en"},
                interests={f"i{j % 4}"},
                capacity=cap,
                ranks=tuple(ranks),
            )
        )
    exclusive = Problem(tuple(mentees), tuple(mentors))
    picks = Problem(tuple(mentees), tuple(mentors), rules=Rules(ranks_exclusive=False))
    return "".join(lines), exclusive, picks


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("algorithm", ["stable", "optimal"])
@pytest.mark.parametrize("picks", [False, True])
@pytest.mark.parametrize("vector", [False, True])
def test_cli_rank_lists_match_the_engine(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    algorithm: str,
    picks: bool,
    vector: bool,
) -> None:
    if vector:  # the look-up of every id at once, as for long lists
        monkeypatch.setattr(csvio, "VECTOR_LOOKUP", 0)
    text, exclusive, with_picks = _people(seed)
    people, out = tmp_path / "people.csv", tmp_path / "matches.csv"
    people.write_text(text, encoding="utf-8")
    args = [str(people), "--out", str(out), "--algorithm", algorithm, "--seed", str(seed)]
    assert main([*args, "--picks"] if picks else args) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    result = solve(with_picks if picks else exclusive, algorithm, seed)
    expected = [(p.mentee_id, p.mentor_id, f"{p.score:.4f}") for p in result.pairs]
    expected += [(u.mentee_id, "", "") for u in result.unmatched]
    assert [(r["mentee_id"], r["mentor_id"], r["score"]) for r in rows] == expected
    reasons = {u.mentee_id: u.message for u in result.unmatched}
    assert {r["mentee_id"]: r["reasons"] for r in rows if not r["mentor_id"]} == reasons


BAD_RANKS = {
    "twice": ("a,mentor,1,,,,b\nb,mentee,,,,,a;a\n", "row 3, column ranks", "twice"),
    "unknown": ("a,mentor,1,,,,b\nb,mentee,,,,,a;zz\n", "row 3, column ranks", "unknown id"),
    "a mentee": ("a,mentor,1,,,,b\nb,mentee,,,,,b\n", "row 3, column ranks", "a mentee"),
    "a mentor": ("a,mentor,1,,,,a\nb,mentee,,,,,a\n", "row 2, column ranks", "a mentor"),
    "long unknown": (
        "mentor-number-one,mentor,1,,,,\nb,mentee,,,,,mentor-number-one;mentor-number-two\n",
        "row 3, column ranks",
        "unknown id",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RANKS))
@pytest.mark.parametrize("vector", [False, True])
def test_bad_rank_lists(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    vector: bool,
) -> None:
    if vector:
        monkeypatch.setattr(csvio, "VECTOR_LOOKUP", 0)
    content, where, what = BAD_RANKS[case]
    people, out = tmp_path / "people.csv", tmp_path / "matches.csv"
    people.write_text(HEADER + content, encoding="utf-8")
    assert main([str(people), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert where in err
    assert what in err
    assert not out.exists()


def test_long_ids_and_quoted_cells(tmp_path: Path) -> None:
    """Ids longer than 7 bytes and quoted cells take the general paths."""
    people, out = tmp_path / "people.csv", tmp_path / "matches.csv"
    people.write_text(
        HEADER
        + 'mentor-number-one,mentor,1,fm,en,"i1",mentee-number-one\n'
        + "mentor-number-two,mentor,1,fm,en,i1,\n"
        + 'mentee-number-one,mentee,,fm,en,i1,"mentor-number-two;mentor-number-one"\n'
        + "e2,mentee,,fm,en,i1,mentor-number-one\n",
        encoding="utf-8",
    )
    assert main([str(people), "--out", str(out)]) == 0
    rows = {r["mentee_id"]: r["mentor_id"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows == {"mentee-number-one": "mentor-number-two", "e2": ""}

"""Every PEOPLE.csv that a matching test feeds the command line is read both ways.

``medmentor match`` reads PEOPLE.csv by columns (``read_people(by_columns=True)``);
the row-by-row reading is the reference. While a test in this folder runs, the
commands' reader reads the file both ways and fails the test unless both give the
same problem, rows and rank positions, or the same error (message, row, column,
person): the whole corpus of good and bad files of the command-line tests checks the
columnar reader, and the command then goes on with the columnar result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from medmentor.matching import cli, cli_shared, csvio
from medmentor.matching.exceptions import MatchingInputError

READ_PEOPLE = csvio.read_people


def _outcome(data: bytes, by_columns: bool, options: dict[str, Any]) -> Any:
    try:
        return READ_PEOPLE(data, by_columns=by_columns, **options)
    except MatchingInputError as exc:
        return exc


def _error_fields(exc: MatchingInputError) -> tuple[object, ...]:
    return (str(exc), exc.message, exc.row, exc.column, exc.participant, exc.field)


def _same_ranks(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return all(
        len(x) == len(y)
        and all(
            (p is None and q is None) or (p is not None and q is not None and np.array_equal(p, q))
            for p, q in zip(x, y, strict=True)
        )
        for x, y in zip(a, b, strict=True)
    )


def assert_same_reading(data: bytes, **options: Any) -> Any:
    """Read ``data`` both ways; the columnar outcome (a result or an error), once
    checked equal to the row-by-row one."""
    by_rows = _outcome(data, False, options)
    by_columns = _outcome(data, True, options)
    if isinstance(by_rows, MatchingInputError) or isinstance(by_columns, MatchingInputError):
        assert isinstance(by_rows, MatchingInputError), f"only by columns: {by_columns}"
        assert isinstance(by_columns, MatchingInputError), f"only by rows: {by_rows}"
        assert _error_fields(by_columns) == _error_fields(by_rows)
        return by_columns
    (problem_c, rows_c, ranks_c), (problem_r, rows_r, ranks_r) = by_columns, by_rows
    assert problem_c == problem_r
    assert rows_c == rows_r
    assert _same_ranks(ranks_c, ranks_r)
    return by_columns


def _read_people_checked(data: bytes, **options: Any) -> Any:
    got = assert_same_reading(data, **options)
    if isinstance(got, MatchingInputError):
        raise got
    return got


@pytest.fixture(autouse=True)
def _people_read_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "read_people", _read_people_checked)
    monkeypatch.setattr(cli_shared, "read_people", _read_people_checked)

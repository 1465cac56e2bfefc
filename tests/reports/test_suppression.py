"""Small-cell suppression: primary (1 to k-1 hidden) and complementary (never one hidden
cell alone in a group whose total shows), on worked examples and on random tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medmentor.reports.suppression import group_of, hidden_counts, shown

K = 5


def test_a_small_cell_and_its_complement_are_hidden():
    # Mentees by status: 40 active, 3 pending, 12 withdrawn, 0 declined; 55 in all.
    counts = {"active": 40, "pending": 3, "withdrawn": 12, "declined": 0, "all": 55}
    group = group_of("all", ["active", "pending", "withdrawn", "declined"])
    hidden = hidden_counts(counts, [group], k=K)
    # 55 - 40 - 12 - 0 would give the pending 3 back: the next smallest (12) hides too.
    assert hidden == {"pending", "withdrawn"}
    assert shown(counts, hidden) == {
        "active": 40,
        "pending": None,
        "withdrawn": None,
        "declined": 0,
        "all": 55,
    }


def test_nothing_small_nothing_hidden():
    counts = {"a": 5, "b": 0, "c": 120, "all": 125}
    assert hidden_counts(counts, [group_of("all", ["a", "b", "c"])], k=K) == set()


def test_a_small_total_hides_itself_and_needs_no_complement():
    counts = {"a": 3, "b": 0, "all": 3}
    assert hidden_counts(counts, [group_of("all", ["a", "b"])], k=K) == {"a", "all"}


def test_the_roll_up_total_cannot_give_a_program_away():
    # Two programs' closed mentorships and their sum.
    counts = {"p1": 2, "p2": 30, "total": 32}
    hidden = hidden_counts(counts, [group_of("total", ["p1", "p2"])], k=K)
    assert hidden == {"p1", "p2"}


def test_suppression_runs_on_through_shared_cells():
    # A 2 x 2 table with its margins: hiding one cell hides a second in its row, which
    # leaves its column with one hidden cell, and so on until every line is safe.
    counts = {
        ("r1", "c1"): 2,
        ("r1", "c2"): 10,
        ("r2", "c1"): 9,
        ("r2", "c2"): 20,
        ("r1", "all"): 12,
        ("r2", "all"): 29,
        ("all", "c1"): 11,
        ("all", "c2"): 30,
        ("all", "all"): 41,
    }
    groups = [
        group_of(("r1", "all"), [("r1", "c1"), ("r1", "c2")]),
        group_of(("r2", "all"), [("r2", "c1"), ("r2", "c2")]),
        group_of(("all", "c1"), [("r1", "c1"), ("r2", "c1")]),
        group_of(("all", "c2"), [("r1", "c2"), ("r2", "c2")]),
    ]
    hidden = hidden_counts(counts, groups, k=K)
    assert hidden == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}


def test_a_total_without_parts_needs_no_complement():
    counts = {"all": 3}
    assert hidden_counts(counts, [group_of("all", [])], k=K) == {"all"}


@st.composite
def tables(draw):
    """A table of counts with row, column and grand totals, and its groups."""
    rows = draw(st.integers(1, 5))
    cols = draw(st.integers(1, 5))
    cell = st.one_of(st.just(0), st.integers(1, 8), st.integers(5, 200))
    counts = {(r, c): draw(cell) for r in range(rows) for c in range(cols)}
    for r in range(rows):
        counts[(r, "all")] = sum(counts[(r, c)] for c in range(cols))
    for c in range(cols):
        counts[("all", c)] = sum(counts[(r, c)] for r in range(rows))
    counts[("all", "all")] = sum(counts[(r, "all")] for r in range(rows))
    groups = [group_of((r, "all"), [(r, c) for c in range(cols)]) for r in range(rows)]
    groups += [group_of(("all", c), [(r, c) for r in range(rows)]) for c in range(cols)]
    groups.append(group_of(("all", "all"), [(r, "all") for r in range(rows)]))
    groups.append(group_of(("all", "all"), [("all", c) for c in range(cols)]))
    return counts, groups


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(5, 10))
def test_no_small_figure_shows_and_no_group_hides_just_one(table, k):
    counts, groups = table
    hidden = hidden_counts(counts, groups, k=k)
    for key, n in counts.items():
        if 0 < n < k:
            assert key in hidden
    for group in groups:
        assert sum(m in hidden for m in (group.total, *group.cells)) != 1
    # The same input gives the same answer.
    assert hidden_counts(counts, groups, k=k) == hidden

"""Small-cell suppression: no figure a report shows describes fewer than ``k`` people.

Primary suppression hides every count from 1 to ``k - 1`` (a zero describes nobody and
stays). Complementary suppression then makes sure no hidden count can be worked out by
subtraction: a *group* is a published total and the cells that add up to it (mentees by
status and all mentees; a figure per program and the roll-up's total), and a group must
hide none of its members or at least two. Where a group hides exactly one, the smallest
visible cell of that group is hidden too (a zero only when no other cell is left, then the
total itself), and the groups are checked again, since a cell may belong to several.

Pure Python: no Django, so that it is tested on its own with Hypothesis.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Group(Generic[K]):
    """Cells that add up to ``total`` (all keys of the same counts)."""

    total: K
    cells: tuple[K, ...]


def hidden_counts(
    counts: Mapping[K, int], groups: Iterable[Group[K]], *, k: int, also: Iterable[K] = ()
) -> set[K]:
    """The keys of ``counts`` a report must hide (a key not in ``counts`` is 0): the small
    ones, those in ``also`` (hidden for another reason), and their complements."""
    hidden = {key for key, n in counts.items() if 0 < n < k} | set(also)
    groups = [group for group in groups if group.cells]  # a total alone gives nothing away
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            members = (group.total, *group.cells)
            if sum(member in hidden for member in members) != 1:
                continue
            hidden.add(_complement(counts, group, hidden))
            changed = True
    return hidden


def _complement(counts: Mapping[K, int], group: Group[K], hidden: set[K]) -> K:
    visible = [cell for cell in group.cells if cell not in hidden]
    non_zero = sorted(
        (cell for cell in visible if counts.get(cell, 0) > 0), key=lambda c: counts[c]
    )
    if non_zero:
        return non_zero[0]
    if visible:
        return visible[0]
    return group.total


def shown(counts: Mapping[K, int], hidden: set[K]) -> dict[K, int | None]:
    """The counts as a report prints them: ``None`` where hidden."""
    return {key: (None if key in hidden else n) for key, n in counts.items()}


def group_of(total: K, cells: Sequence[K]) -> Group[K]:
    return Group(total=total, cells=tuple(cells))

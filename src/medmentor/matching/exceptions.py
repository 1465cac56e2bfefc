"""The engine's one error type.

Every bad input raises :class:`MatchingInputError`; it carries the offending
participant id and field so that callers can point at the cause (the command line
turns it into "row N, column X", a Django form into a field error).
"""

from __future__ import annotations


class MatchingInputError(ValueError):
    """A problem handed to the engine is invalid.

    ``participant`` is the id of the offending mentee or mentor (``None`` when the
    error is not about one person), ``field`` the name of the offending field
    (``"id"``, ``"capacity"``, ``"ranks"``, ...), and ``row``/``column`` are filled in by
    readers of tabular input (1-based data row, column header).
    """

    def __init__(
        self,
        message: str,
        *,
        participant: str | None = None,
        field: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.participant = participant
        self.field = field
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class MatchingInternalError(RuntimeError):
    """An internal consistency check failed (a bug, never bad input)."""

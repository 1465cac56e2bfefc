"""What a person should do next: each app lists its own, the dashboard gathers them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PendingAction:
    """One thing waiting for the person: a sentence in their language and where to do it."""

    text: str
    url: str
    due: date | None = None

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.due or date.max, self.text)

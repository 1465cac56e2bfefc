"""A period of whole days, as reports and their selectors count it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the site's time zone."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        """The first moment of the period."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def as_of(self) -> datetime:
        """The moment snapshot figures describe: the period's end, or now if sooner."""
        return min(self.until, timezone.now())

    def months(self) -> list[date]:
        """The first day of each calendar month the period touches."""
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months

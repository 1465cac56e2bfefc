"""What a report covers: which programs, which days, which participants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.periods import Period
from medmentor.matchrounds.models import MatchRound
from medmentor.matchrounds.selectors.reporting import cohort_of_round
from medmentor.programs.models import Program
from medmentor.programs.selectors.reporting import Cohort, cohort_enrolled_in
from medmentor.reports.tables import Column

TOTAL = "total"


class CohortKind(TextChoices):
    EVERYONE = "", _("Everyone in the program")
    ENROLLED = "enrolled", _("People who enrolled during the period")
    ROUND = "round", _("The people of one match round")


def default_period() -> Period:
    """The twelve months up to today."""
    today = timezone.localdate()
    return Period(start=today - timedelta(days=364), end=today)


@dataclass(frozen=True)
class Scope:
    programs: tuple[Program, ...]
    period: Period = field(default_factory=default_period)
    cohort_kind: str = CohortKind.EVERYONE
    match_round: MatchRound | None = None

    @property
    def k(self) -> int:
        """The fewest people a figure may describe."""
        return int(settings.REPORTS_MIN_GROUP)

    @property
    def program_ids(self) -> list[int]:
        return [program.pk for program in self.programs]

    @property
    def is_rollup(self) -> bool:
        return len(self.programs) > 1

    def key_of(self, program_id: int) -> str:
        """The column of a program's figures (its UUID, stable for the API)."""
        return self._keys[program_id]

    @cached_property
    def _keys(self) -> dict[int, str]:
        return {program.pk: str(program.uuid) for program in self.programs}

    @property
    def program_keys(self) -> list[str]:
        return [str(program.uuid) for program in self.programs]

    @property
    def keys(self) -> list[str]:
        """Every column: one per program, then the total of a roll-up."""
        return [*self.program_keys, TOTAL] if self.is_rollup else self.program_keys

    @property
    def total_column(self) -> str | None:
        return TOTAL if self.is_rollup else None

    @property
    def pooled(self) -> str:
        """The column that describes the whole report: the total, or the one program."""
        return TOTAL if self.is_rollup else self.program_keys[0]

    def columns(self) -> list[Column]:
        """A column of counts for each program, and the roll-up's total."""
        columns = [Column(str(p.uuid), p.name) for p in self.programs]
        if self.is_rollup:
            columns.append(Column(TOTAL, _("All programs")))
        return columns

    def cache_key(self) -> tuple[object, ...]:
        """What makes two reports the same report."""
        return (
            tuple(self.program_ids),
            self.period.start.isoformat(),
            self.period.end.isoformat(),
            self.cohort_kind,
            self.match_round.pk if self.match_round else None,
            self.k,
        )

    def cohort(self) -> Cohort | None:
        if self.cohort_kind == CohortKind.ENROLLED:
            return cohort_enrolled_in(self.program_ids, self.period)
        if self.cohort_kind == CohortKind.ROUND and self.match_round is not None:
            return cohort_of_round(self.match_round)
        return None

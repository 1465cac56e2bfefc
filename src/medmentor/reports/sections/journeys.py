"""Each enrolled mentee's path to a mentorship: what the funnel's waiting time and the
equity section are both computed from, so that the two always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models.functions import TruncDate

from medmentor.mentorships.selectors.reporting import first_mentorships
from medmentor.programs.selectors.reporting import mentee_enrolments
from medmentor.reports.scope import Scope


@dataclass(frozen=True)
class Journey:
    program_id: int
    user_id: int
    enrolled_on: date
    first_mentorship_on: date | None  # by the period's end
    closed_early: bool

    @property
    def matched(self) -> bool:
        return self.first_mentorship_on is not None

    def days_waited(self) -> int | None:
        if self.first_mentorship_on is None:
            return None
        return max((self.first_mentorship_on - self.enrolled_on).days, 0)


def mentee_journeys(scope: Scope) -> list[Journey]:
    firsts = {
        (program_id, mentee_id): (first, early)
        for program_id, mentee_id, first, early in first_mentorships(
            scope.program_ids, scope.period
        )
    }
    journeys = []
    enrolments = mentee_enrolments(scope.program_ids, scope.cohort(), scope.period)
    for program_id, user_id, enrolled_on in enrolments.values_list(
        "program_id", "user_id", TruncDate("activated_at")
    ):
        first, early = firsts.get((program_id, user_id), (None, 0))
        journeys.append(
            Journey(
                program_id=program_id,
                user_id=user_id,
                enrolled_on=enrolled_on,
                first_mentorship_on=first,
                closed_early=early > 0,
            )
        )
    return journeys


def waited_in_period(journey: Journey, scope: Scope) -> int | None:
    """Days to a first mentorship that began during the period (None otherwise)."""
    first = journey.first_mentorship_on
    if first is None or not scope.period.start <= first <= scope.period.end:
        return None
    return journey.days_waited()

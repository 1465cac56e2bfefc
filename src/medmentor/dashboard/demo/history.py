"""Demo data: a program's past, so that its report has something to show (``make demo``).

Each pair starts through ``mentorship_start`` (the rules hold: capacity, reporting lines),
then its dates are moved back, and what a year of mentoring leaves behind is written
directly with past dates (the services refuse the past): meetings logged and rated,
check-ins, goals, the starting self-rating and, for a closed cohort, the closure and its
evaluation. No text is invented for pairs: meetings carry no minutes, notes none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import (
    Agreement,
    Baseline,
    CheckIn,
    ClosureReason,
    Evaluation,
    Goal,
    GoalStatus,
    Meeting,
    MeetingRating,
    Mentorship,
    MentorshipEvent,
    MentorshipMilestone,
    MentorshipStatus,
    Modality,
    Moment,
    SelfRating,
    Source,
    StatusChange,
)
from medmentor.mentorships.services.lifecycle import live_mentee_count, mentorship_start
from medmentor.profiles.models import Profile
from medmentor.programs.models import Program

GOALS = (
    "Choose between a community and an academic practice",
    "Prepare for the certification exam with a study plan",
    "Present a case at grand rounds",
    "Find a balance between call schedule and family",
    "Start a quality-improvement project",
)
CLOSED_OUTCOMES = (  # one in ten ends early: a realistic share for a first cohort
    [ClosureReason.COMPLETED] * 8 + [ClosureReason.MENTEE_ENDED, ClosureReason.INACTIVITY]
)


@dataclass(frozen=True)
class Cohort:
    """A group of pairs that started together ``started_days_ago`` days ago."""

    started_days_ago: int
    months: int
    closed: bool  # True: the cohort has ended and evaluated


def _at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def demo_cohort(
    *, program: Program, pairs: list[tuple[User, User]], cohort: Cohort, seed: int
) -> list[Mentorship]:
    rng = random.Random(seed)
    today = timezone.localdate()
    started_on = today - timedelta(days=cohort.started_days_ago)
    made = []
    for n, (mentor, mentee) in enumerate(pairs):
        mentorship = mentorship_start(
            mentor=mentor, mentee=mentee, program=program, source=Source.ROUND, by=None
        )
        end = started_on + timedelta(days=cohort.months * 30)
        _move_back(mentorship, started_on, end)
        outcome = CLOSED_OUTCOMES[n % len(CLOSED_OUTCOMES)] if cohort.closed else None
        last_day = _last_day(outcome, started_on, end, today, rng)
        _history(mentorship, started_on, last_day, rng, flagged=not cohort.closed and n < 2)
        if outcome is not None:
            _close(mentorship, outcome, last_day, rng)
        made.append(mentorship)
    return made


def _last_day(
    outcome: ClosureReason | None, start: date, end: date, today: date, rng: random.Random
) -> date:
    if outcome is None:
        return today
    if outcome == ClosureReason.COMPLETED:
        return end
    return start + timedelta(days=rng.randint(90, 180))


def _move_back(mentorship: Mentorship, started_on: date, planned_end_on: date) -> None:
    """The pair started on ``started_on``: every date it was given today moves with it."""
    shift = timezone.localdate() - started_on
    began = _at(started_on, 9)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=started_on, planned_end_on=planned_end_on, last_activity_at=began
    )
    StatusChange.objects.filter(mentorship=mentorship).update(at=began)
    MentorshipEvent.objects.filter(mentorship=mentorship).update(at=began)
    for milestone in MentorshipMilestone.objects.filter(mentorship=mentorship):
        milestone.due_on -= shift
        milestone.save(update_fields=["due_on"])
    signed = _at(started_on + timedelta(days=10), 20)
    Agreement.objects.filter(mentorship=mentorship).update(
        updated_at=began, mentor_signed_at=signed, mentee_signed_at=signed
    )
    mentorship.refresh_from_db()


def _history(
    mentorship: Mentorship, start: date, last: date, rng: random.Random, *, flagged: bool
) -> None:
    """Monthly meetings, rated; check-ins; goals; the starting self-rating of most people.
    A ``flagged`` pair has stopped meeting and scored its last check-in low."""
    mentor, mentee = _pair(mentorship)
    people = (mentor, mentee)
    meeting_days = []
    day = start + timedelta(days=rng.randint(7, 14))
    stop = last - timedelta(days=75) if flagged else last
    while day < stop and day < timezone.localdate():
        meeting_days.append(day)
        day += timedelta(days=rng.randint(24, 40))
    for day in meeting_days:
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            starts_at=_at(day),
            duration_minutes=60,
            modality=rng.choice([Modality.VIDEO, Modality.IN_PERSON]),
            organizer=mentee,
            created_at=_at(day - timedelta(days=7)),
            minutes_spent=rng.choice([45, 60, 60, 75]),
            logged_by=mentor,
            logged_at=_at(day, 20),
        )
        for person in people:
            if rng.random() < 0.6:
                MeetingRating.objects.create(
                    meeting=meeting,
                    user=person,
                    score=rng.choice([4, 4, 5, 5, 5, 3]),
                    rated_at=_at(day, 21),
                )
    last_activity = _at(meeting_days[-1] if meeting_days else start)
    Mentorship.objects.filter(pk=mentorship.pk).update(last_activity_at=last_activity)
    _checkins(mentorship, start, last, rng, flagged=flagged)
    for title in rng.sample(GOALS, rng.randint(1, 3)):
        Goal.objects.create(
            mentorship=mentorship,
            title=title,
            status=rng.choice([GoalStatus.ACHIEVED, GoalStatus.ACHIEVED, GoalStatus.ACTIVE]),
            progress=100,
            proposed_by=mentee,
            created_at=_at(start + timedelta(days=20)),
            updated_at=last_activity,
        )
    for role, person in (("mentor", mentor), ("mentee", mentee)):
        if rng.random() < 0.85:
            given = _at(start + timedelta(days=rng.randint(2, 20)))
            Baseline.objects.create(mentorship=mentorship, user=person, role=role, given_at=given)
            _scores(mentorship, person, role, Moment.BASELINE, given, rng, low=1, high=4)


def _checkins(
    mentorship: Mentorship, start: date, last: date, rng: random.Random, *, flagged: bool
) -> None:
    program = mentorship.program
    first = program.checkin_first_days if program else 30
    every = program.checkin_every_days if program else 60
    due, number = start + timedelta(days=first), 1
    while due <= last and due < timezone.localdate():
        for person in mentorship.people():
            low = flagged and due + timedelta(days=every) > last
            CheckIn.objects.create(
                mentorship=mentorship,
                user=person,
                number=number,
                due_on=due,
                submitted_at=_at(due + timedelta(days=rng.randint(0, 6))),
                score=2 if low else rng.choice([3, 4, 4, 5, 5]),
                meetings_held=rng.randint(1, 3),
                shared_with_coordinator=rng.random() < 0.7,
            )
        due += timedelta(days=every)
        number += 1


def _scores(
    mentorship: Mentorship,
    person: User,
    role: str,
    moment: str,
    given: datetime,
    rng: random.Random,
    *,
    low: int,
    high: int,
) -> None:
    before = dict(
        SelfRating.objects.filter(
            mentorship=mentorship, user=person, moment=Moment.BASELINE
        ).values_list("dimension", "score")
    )
    SelfRating.objects.bulk_create(
        SelfRating(
            mentorship=mentorship,
            user=person,
            role=role,
            moment=moment,
            dimension=dimension.code,
            score=rng.randint(low, high),
            given_at=given,
            baseline_score=before.get(dimension.code) if moment == Moment.CLOSURE else None,
        )
        for dimension in dimensions_for(role)
    )


def _pair(mentorship: Mentorship) -> tuple[User, User]:
    """The demo's mentorships are pairs: their mentor and mentee, typed as present."""
    assert mentorship.mentor is not None
    assert mentorship.mentee is not None
    return mentorship.mentor, mentorship.mentee


def _close(mentorship: Mentorship, outcome: ClosureReason, last: date, rng: random.Random) -> None:
    ended = _at(last, 12)
    mentor, mentee = _pair(mentorship)
    by = {
        ClosureReason.MENTEE_ENDED: mentee,
        ClosureReason.MENTOR_ENDED: mentor,
    }.get(outcome)
    StatusChange.objects.create(
        mentorship=mentorship,
        from_status=MentorshipStatus.ACTIVE,
        to_status=MentorshipStatus.ENDED,
        by=by,
        at=ended,
        reason=str(ClosureReason(outcome).label),
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(
        status=MentorshipStatus.ENDED, ended_at=ended, closure_reason=outcome
    )
    Profile.objects.filter(user=mentor).update(active_mentees=live_mentee_count(mentor))
    completed = outcome == ClosureReason.COMPLETED
    for role, person in (("mentor", mentor), ("mentee", mentee)):
        if rng.random() < (0.85 if completed else 0.5):
            given = ended + timedelta(days=rng.randint(1, 20))
            Evaluation.objects.create(
                mentorship=mentorship,
                user=person,
                role=role,
                would_recommend=rng.random() < (0.9 if completed else 0.4),
                submitted_at=given,
            )
            low, high = (3, 5) if completed else (2, 4)
            _scores(mentorship, person, role, Moment.CLOSURE, given, rng, low=low, high=high)

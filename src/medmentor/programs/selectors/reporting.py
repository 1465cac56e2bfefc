"""Reads for program reports: enrolment and mentors' load, counted per program in the
database; never one person's answers (rounds and requests count in their own apps).
Also the report's cohort: the participants a report is about, as a filter other apps'
report selectors apply."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypedDict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from medmentor.core.periods import Period
from medmentor.programs.models import (
    PARTICIPANT_ROLES,
    IntakeQuestion,
    Membership,
    QuestionKind,
    Role,
    Status,
)

Cohort = QuerySet[Membership]


class EnrolmentCount(TypedDict):
    """How many participants of a program have one role and one status."""

    program_id: int
    role: str
    status: str
    n: int


class MentorLoad(TypedDict):
    """A program's active mentors and their places (the sums are None for a mentor
    without a profile)."""

    program_id: int
    mentors: int
    places: int | None
    taken: int | None
    full: int
    idle: int


def cohort_enrolled_in(program_ids: Collection[int], period: Period) -> Cohort:
    """Participants whose enrolment became active during the period."""
    return Membership.objects.filter(
        program_id__in=program_ids,
        role__in=PARTICIPANT_ROLES,
        activated_at__gte=period.since,
        activated_at__lt=period.until,
    )


def in_cohort(cohort: Cohort | None, *, program: str, user: str) -> Q:
    """A filter keeping rows whose ``program`` and ``user`` fields name a cohort member."""
    if cohort is None:
        return Q()
    return Q(Exists(cohort.filter(program_id=OuterRef(program), user_id=OuterRef(user))))


def enrolment_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[EnrolmentCount]:
    """Participants who had asked to join by the period's end, by role and current status."""
    return list(
        Membership.objects.filter(
            program_id__in=program_ids, role__in=PARTICIPANT_ROLES, requested_at__lt=period.until
        )
        .filter(in_cohort(cohort, program="program_id", user="user_id"))
        .values("program_id", "role", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def mentee_enrolments(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> QuerySet[Membership]:
    """Mentees enrolled (active at some point) by the period's end: who the equity section
    and the time to a mentorship are about."""
    return Membership.objects.filter(
        program_id__in=program_ids,
        role=Role.MENTEE,
        activated_at__lt=period.until,
    ).filter(in_cohort(cohort, program="program_id", user="user_id"))


def mentor_load(program_ids: Collection[int]) -> list[MentorLoad]:
    """Today's active mentors: their places, the places taken (in any program), how many
    are full and how many have no mentee."""
    taken, capacity = "user__profile__active_mentees", "user__profile__mentor_capacity"
    return list(
        Membership.objects.filter(
            program_id__in=program_ids, role=Role.MENTOR, status=Status.ACTIVE
        )
        .values("program_id")
        .annotate(
            mentors=Count("id"),
            places=Sum(capacity),
            taken=Sum(taken),
            full=Count("id", filter=Q(**{f"{taken}__gte": F(capacity)})),
            idle=Count("id", filter=Q(**{taken: 0})),
        )
        .order_by()
    )


def equity_questions(program_ids: Collection[int]) -> list[IntakeQuestion]:
    """The choice questions programs ask their mentees: groups they collect themselves."""
    return list(
        IntakeQuestion.objects.filter(
            program_id__in=program_ids,
            role=Role.MENTEE,
            kind__in=(QuestionKind.SINGLE, QuestionKind.MULTIPLE),
        ).order_by("program_id", "position", "id")
    )

"""Reads for program reports: enrolment, rounds, requests and mentors' load, counted per
program in the database; never one person's answers. Also the report's cohort: the
participants a report is about, as a filter other apps' report selectors apply."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from medmentor.core.periods import Period
from medmentor.programs.models import (
    PARTICIPANT_ROLES,
    IntakeQuestion,
    MatchRound,
    Membership,
    Proposal,
    QuestionKind,
    Request,
    RequestStatus,
    Role,
    RoundStatus,
    Status,
    UnmatchedEntry,
)

Cohort = QuerySet[Membership]


def cohort_enrolled_in(program_ids: Collection[int], period: Period) -> Cohort:
    """Participants whose enrolment became active during the period."""
    return Membership.objects.filter(
        program_id__in=program_ids,
        role__in=PARTICIPANT_ROLES,
        activated_at__gte=period.since,
        activated_at__lt=period.until,
    )


def cohort_of_round(match_round: MatchRound) -> Cohort:
    """The people a round considered: proposed or left unmatched, in either role."""
    proposed = Proposal.objects.filter(round=match_round)
    unmatched = UnmatchedEntry.objects.filter(round=match_round)
    return Membership.objects.filter(program_id=match_round.program_id).filter(
        Q(role=Role.MENTEE, user_id__in=proposed.values("mentee_id"))
        | Q(role=Role.MENTOR, user_id__in=proposed.values("mentor_id"))
        | Q(role=Role.MENTEE, user_id__in=unmatched.filter(role=Role.MENTEE).values("user_id"))
        | Q(role=Role.MENTOR, user_id__in=unmatched.filter(role=Role.MENTOR).values("user_id"))
    )


def in_cohort(cohort: Cohort | None, *, program: str, user: str) -> Q:
    """A filter keeping rows whose ``program`` and ``user`` fields name a cohort member."""
    if cohort is None:
        return Q()
    return Q(Exists(cohort.filter(program_id=OuterRef(program), user_id=OuterRef(user))))


def enrolment_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[dict[str, Any]]:
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


def round_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rounds published in the period: the people in their pools (by role), and their
    proposals by status."""
    published = Q(
        round__status=RoundStatus.PUBLISHED,
        round__published_at__gte=period.since,
        round__published_at__lt=period.until,
    )
    here = published & Q(round__program_id=OuterRef("program_id"), user=OuterRef("user"))

    def in_pool(role: str, proposed_as: str) -> Q:
        proposed = Proposal.objects.filter(
            published,
            round__program_id=OuterRef("program_id"),
            **{proposed_as: OuterRef("user")},
        )
        unmatched = UnmatchedEntry.objects.filter(here, role=role)
        return Q(role=role) & (Q(Exists(proposed)) | Q(Exists(unmatched)))

    pools = list(
        Membership.objects.filter(program_id__in=program_ids, role__in=PARTICIPANT_ROLES)
        .filter(in_cohort(cohort, program="program_id", user="user_id"))
        .filter(in_pool(Role.MENTEE, "mentee") | in_pool(Role.MENTOR, "mentor"))
        .values("program_id", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    proposals = list(
        Proposal.objects.filter(published, round__program_id__in=program_ids)
        .filter(in_cohort(cohort, program="round__program_id", user="mentee_id"))
        .values("status", program_id=F("round__program_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return pools, proposals


def request_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[dict[str, Any]]:
    """Direct requests sent during the period (one per mentor asked), by status."""
    return list(
        _requests(program_ids, cohort)
        .filter(sent_at__gte=period.since, sent_at__lt=period.until)
        .values("program_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def request_answer_times(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[tuple[int, datetime, datetime]]:
    """(program, sent, answered) of the requests a mentor answered during the period."""
    return list(
        _requests(program_ids, cohort)
        .filter(
            status__in=(RequestStatus.ACCEPTED, RequestStatus.DECLINED),
            answered_at__gte=period.since,
            answered_at__lt=period.until,
        )
        .values_list("program_id", "sent_at", "answered_at")
    )


def _requests(program_ids: Collection[int], cohort: Cohort | None) -> QuerySet[Request]:
    return Request.objects.filter(program_id__in=program_ids).filter(
        in_cohort(cohort, program="program_id", user="mentee_id")
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


def mentor_load(program_ids: Collection[int]) -> list[dict[str, Any]]:
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

"""Reads for program reports: mentorships, meetings, check-ins, self-ratings, goals and
evaluations counted per program in the database. Never any text the pair wrote, never one
person's answers: the reports app sums these up and hides small figures."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from medmentor.core.periods import Period
from medmentor.mentorships.models import (
    CheckIn,
    Evaluation,
    Goal,
    GoalStatus,
    Meeting,
    MeetingRating,
    MeetingStatus,
    Mentorship,
    MentorshipKind,
    MentorshipMember,
    MentorshipStatus,
    Moment,
    SelfRating,
)
from medmentor.mentorships.models.mentorship import EARLY_CLOSURES
from medmentor.programs.selectors.reporting import Cohort, in_cohort

# A row whose keys depend on the arguments (a count per month, per number of days): the
# stubs cannot type annotations named at run time, so its values are Any to them.
DynamicRow = Mapping[str, Any]


class MentorshipCount(TypedDict):
    """A program's mentorships with one closure reason ("" for those not closed)."""

    program_id: int
    closure_reason: str
    active: int
    started: int
    ended: int


class MeetingMonth(TypedDict):
    """A program's meetings held in one month, and the minutes logged (None: none)."""

    month: datetime
    program_id: int
    meetings: int
    minutes: int | None


class CheckInScoreCount(TypedDict):
    """How many shared check-ins of a program gave one score (the model's type: the
    query keeps answered check-ins only, so never None)."""

    score: int | None
    program_id: int
    n: int


class SelfRatingCount(TypedDict):
    """How many of a program's side gave one score on one dimension at one moment; of
    them, how many had given a starting score, and the sum of their changes (None when
    none had)."""

    role: str
    moment: str
    dimension: str
    score: int
    program_id: int
    n: int
    paired: int
    change: int | None


class GoalCount(TypedDict):
    program_id: int
    agreed: int
    achieved: int


class MeetingRatingCount(TypedDict):
    role: str
    score: int
    program_id: int
    n: int


class RecommendationCount(TypedDict):
    """How many of a program's side answered one way (the model's type: the query keeps
    answers only, so never None)."""

    role: str
    would_recommend: bool | None
    program_id: int
    n: int


def mentorships_in_report(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> QuerySet[Mentorship]:
    """The programs' mentorships that ran at some time in the period, with either side (or
    a member of a group or circle) in the cohort."""
    mentorships = (
        Mentorship.objects.filter(program_id__in=program_ids, started_on__lte=period.end)
        .exclude(status=MentorshipStatus.PROPOSED)
        .exclude(ended_at__lt=period.since)
    )
    if cohort is None:
        return mentorships
    members_in_cohort = MentorshipMember.objects.filter(
        in_cohort(cohort, program="mentorship__program_id", user="user_id")
    ).values("mentorship_id")
    return mentorships.filter(
        in_cohort(cohort, program="program_id", user="mentee_id")
        | in_cohort(cohort, program="program_id", user="mentor_id")
        | Q(pk__in=members_in_cohort)
    )


def _live_at(moment: datetime) -> Q:
    return Q(started_on__lte=timezone.localdate(moment)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=moment)
    )


def mentorship_counts(mentorships: QuerySet[Mentorship], period: Period) -> list[MentorshipCount]:
    """Per program: running at the period's end, started during it, and ended during it by
    closure category (one row per category)."""
    return list(
        mentorships.values("program_id", "closure_reason")
        .annotate(
            active=Count("id", filter=_live_at(period.as_of)),
            started=Count("id", filter=Q(started_on__gte=period.start)),
            ended=Count("id", filter=Q(ended_at__gte=period.since, ended_at__lt=period.until)),
        )
        .order_by()
    )


def monthly_activity(
    mentorships: QuerySet[Mentorship], period: Period
) -> tuple[list[DynamicRow], list[MeetingMonth]]:
    """Per program and month: the mentorships running that month (a row a program, a
    count a month keyed by its first day), the meetings held and the minutes logged."""
    months = period.months()
    running = {}
    for first in months:
        following = (first + timedelta(days=32)).replace(day=1)
        month_end = min(following - timedelta(days=1), period.end)
        month_start = timezone.make_aware(datetime.combine(max(first, period.start), time.min))
        running[first.isoformat()] = Count(
            "id",
            filter=Q(started_on__lte=month_end)
            & (Q(ended_at__isnull=True) | Q(ended_at__gte=month_start)),
        )
    live: list[DynamicRow] = list(mentorships.values("program_id").annotate(**running).order_by())
    meetings: list[MeetingMonth] = list(
        Meeting.objects.filter(
            mentorship__in=mentorships.values("pk"),
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=period.since,
            starts_at__lt=min(period.until, timezone.now()),
        )
        .annotate(month=TruncMonth("starts_at"))
        .values("month", program_id=F("mentorship__program_id"))
        .annotate(meetings=Count("id"), minutes=Sum("minutes_spent"))
        .order_by()
    )
    return live, meetings


def recent_meetings(
    mentorships: QuerySet[Mentorship], moment: datetime, days: Collection[int]
) -> list[DynamicRow]:
    """Per program: mentorships running at ``moment``, and how many of them met in the
    ``days`` before it (one count per number of days, ``met_<days>``)."""
    running = mentorships.filter(_live_at(moment))
    met = {
        f"met_{n}": Exists(
            Meeting.objects.filter(
                mentorship=OuterRef("pk"),
                status=MeetingStatus.SCHEDULED,
                starts_at__lte=moment,
                starts_at__gt=moment - timedelta(days=n),
            )
        )
        for n in days
    }
    return list(
        running.annotate(**met)
        .values("program_id")
        .annotate(running=Count("id"), **{k: Count("id", filter=Q(**{k: True})) for k in met})
        .order_by()
    )


def checkin_scores(mentorships: QuerySet[Mentorship], period: Period) -> list[CheckInScoreCount]:
    """Scores of check-ins answered in the period whose author shared them with the
    coordinator (an unshared score stays with its author, even in a sum)."""
    return list(
        CheckIn.objects.filter(
            mentorship__in=mentorships.values("pk"),
            submitted_at__gte=period.since,
            submitted_at__lt=period.until,
            shared_with_coordinator=True,
            score__isnull=False,
        )
        .values("score", program_id=F("mentorship__program_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def _given_in(period: Period) -> Q:
    """Baselines given by the period's end; closure ratings given during it."""
    return Q(moment=Moment.BASELINE, given_at__lt=period.until) | Q(
        moment=Moment.CLOSURE, given_at__gte=period.since, given_at__lt=period.until
    )


def self_rating_counts(mentorships: QuerySet[Mentorship], period: Period) -> list[SelfRatingCount]:
    """Per program, role, moment, dimension and score: how many gave it; for closure
    scores, also how many of those had given a starting score, and the sum of their
    changes (closure minus start)."""
    return list(
        SelfRating.objects.filter(mentorship__in=mentorships.values("pk"))
        .filter(_given_in(period))
        .values("role", "moment", "dimension", "score", program_id=F("mentorship__program_id"))
        .annotate(
            n=Count("id"),
            paired=Count("id", filter=Q(baseline_score__isnull=False)),
            change=Sum(F("score") - F("baseline_score")),
        )
        .order_by()
    )


def goal_counts(mentorships: QuerySet[Mentorship], period: Period) -> list[GoalCount]:
    """Per program: goals both sides agreed to (by the period's end), and those achieved."""
    return list(
        Goal.objects.filter(
            mentorship__in=mentorships.values("pk"),
            created_at__lt=period.until,
            status__in=(GoalStatus.ACTIVE, GoalStatus.ACHIEVED),
        )
        .values(program_id=F("mentorship__program_id"))
        .annotate(agreed=Count("id"), achieved=Count("id", filter=Q(status=GoalStatus.ACHIEVED)))
        .order_by()
    )


def meeting_rating_counts(
    mentorships: QuerySet[Mentorship], period: Period
) -> list[MeetingRatingCount]:
    """How many gave each post-meeting rating in the period, per program and role."""
    role = Case(
        When(user_id=F("meeting__mentorship__mentor_id"), then=Value("mentor")),
        default=Value("mentee"),
    )
    return list(
        MeetingRating.objects.filter(
            meeting__mentorship__in=mentorships.values("pk"),
            rated_at__gte=period.since,
            rated_at__lt=period.until,
        )
        .annotate(role=role)
        .values("role", "score", program_id=F("meeting__mentorship__program_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def recommendation_counts(
    mentorships: QuerySet[Mentorship], period: Period
) -> list[RecommendationCount]:
    """Closure evaluations given in the period, per program, role and answer."""
    return list(
        Evaluation.objects.filter(
            mentorship__in=mentorships.values("pk"),
            submitted_at__gte=period.since,
            submitted_at__lt=period.until,
            would_recommend__isnull=False,
        )
        .values("role", "would_recommend", program_id=F("mentorship__program_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def first_mentorships(
    program_ids: Collection[int], period: Period
) -> list[tuple[int, int, date, int]]:
    """(program, mentee, first start, closures before the planned end) for every mentee
    who had a mentorship in a program by the period's end."""
    return list(
        Mentorship.objects.filter(program_id__in=program_ids, started_on__lte=period.end)
        .exclude(status=MentorshipStatus.PROPOSED)
        .values("program_id", "mentee_id")
        .annotate(
            first=Min("started_on"),
            early=Count(
                "id",
                filter=Q(closure_reason__in=EARLY_CLOSURES, ended_at__lt=period.until),
            ),
        )
        .values_list("program_id", "mentee_id", "first", "early")
        .order_by()
    )


class FormatCount(TypedDict):
    program_id: int
    kind: str
    mentorships: int
    people: int
    meetings: int
    minutes: int
    evaluations: int
    recommend: int


def format_counts(mentorships: QuerySet[Mentorship], period: Period) -> list[FormatCount]:
    """Per program and format (pair, group, circle): how many ran, the distinct people in
    them, meetings held and minutes logged in the period, closure evaluations given in it
    (one per member) and how many of those would recommend the mentoring."""
    people: dict[tuple[int, str], set[int]] = {}
    counts: dict[tuple[int, str], FormatCount] = {}

    def row(program_id: int, kind: str) -> FormatCount:
        key = (program_id, kind)
        if key not in counts:
            counts[key] = FormatCount(
                program_id=program_id,
                kind=kind,
                mentorships=0,
                people=0,
                meetings=0,
                minutes=0,
                evaluations=0,
                recommend=0,
            )
            people[key] = set()
        return counts[key]

    for program_id, kind, mentor_id, mentee_id in mentorships.values_list(
        "program_id", "kind", "mentor_id", "mentee_id"
    ):
        row(program_id, kind)["mentorships"] += 1
        if kind == MentorshipKind.PAIR:
            people[(program_id, kind)].update((mentor_id, mentee_id))
    members = MentorshipMember.objects.filter(mentorship__in=mentorships.values("pk"))
    for program_id, kind, user_id in members.values_list(
        "mentorship__program_id", "mentorship__kind", "user_id"
    ):
        row(program_id, kind)
        people[(program_id, kind)].add(user_id)
    held = Meeting.objects.filter(
        mentorship__in=mentorships.values("pk"),
        status=MeetingStatus.SCHEDULED,
        starts_at__gte=period.since,
        starts_at__lt=min(period.until, timezone.now()),
    )
    for figures in (
        held.values(program_id=F("mentorship__program_id"), kind=F("mentorship__kind"))
        .annotate(n=Count("id"), minutes=Sum("minutes_spent"))
        .order_by()
    ):
        counted = row(figures["program_id"], figures["kind"])
        counted["meetings"], counted["minutes"] = figures["n"], figures["minutes"] or 0
    given = Evaluation.objects.filter(
        mentorship__in=mentorships.values("pk"),
        submitted_at__gte=period.since,
        submitted_at__lt=period.until,
    )
    for answers in (
        given.values(program_id=F("mentorship__program_id"), kind=F("mentorship__kind"))
        .annotate(n=Count("id"), yes=Count("id", filter=Q(would_recommend=True)))
        .order_by()
    ):
        counted = row(answers["program_id"], answers["kind"])
        counted["evaluations"], counted["recommend"] = answers["n"], answers["yes"]
    for key, counted in counts.items():
        counted["people"] = len(people[key] - {None})
    return list(counts.values())

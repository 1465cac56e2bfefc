"""Reads for direct requests and concerns, and their access helpers (outsiders get 404)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.profiles.models import Goal, Profile
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.programs.models import (
    Concern,
    MatchingMode,
    Membership,
    Program,
    Request,
    RequestCascade,
    RequestStatus,
    Role,
    Status,
)
from medmentor.programs.selectors import get_program_for, open_community
from medmentor.programs.services.request_rules import qualifies

BACKUP_CHOICES_MAX = 300


@dataclass(frozen=True)
class RequestAccess:
    request: Request
    role: str  # "mentee" or "mentor"

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR


def get_request_for(user: User | AnonymousUser, request_uuid: UUID | str) -> RequestAccess:
    """A request its mentee or its mentor may see; anyone else (coordinators and staff
    included: requests are the two people's business) gets 404."""
    if not user.is_authenticated:
        raise Http404
    request = get_object_or_404(
        Request.objects.select_related("program", "mentee", "mentor", "cascade"),
        Q(mentee=user) | Q(mentor=user),
        uuid=request_uuid,
    )
    return RequestAccess(
        request=request, role="mentor" if request.mentor_id == user.pk else "mentee"
    )


def get_cascade_of_mentee(user: User | AnonymousUser, cascade_uuid: UUID | str) -> RequestCascade:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(RequestCascade, mentee=user, uuid=cascade_uuid)


def requests_sent(user: User) -> QuerySet[RequestCascade]:
    """The mentee's line-ups, newest first, each with its requests so far."""
    return (
        RequestCascade.objects.filter(mentee=user)
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=Request.objects.select_related("mentor__profile").order_by("position"),
            ),
            "stops__mentor",
        )
    )


def requests_received(user: User, *, pending: bool) -> QuerySet[Request]:
    requests = Request.objects.filter(mentor=user).select_related(
        "program", "mentee__profile", "mentorship"
    )
    if pending:
        return requests.filter(status=RequestStatus.PENDING).order_by("due_at", "id")
    return requests.exclude(status=RequestStatus.PENDING).order_by("-sent_at", "-id")


def goal_labels_of(items: list[Request] | list[RequestCascade]) -> None:
    """Set ``goal_labels`` on each request or line-up, in the reader's language, with one
    query for all of them."""
    codes = {code for item in items for code in item.goals}
    labels = {g.code: g.label for g in Goal.objects.filter(code__in=codes)}
    for item in items:
        item.goal_labels = [labels.get(code, code) for code in item.goals]  # type: ignore[union-attr]


def request_programs(mentee: User, mentor: User) -> list[Program]:
    """The programs where ``mentee`` may ask ``mentor``: those the two share that take
    requests; the open community when there is nothing else."""
    shared = list(
        Program.objects.filter(
            matching_mode__in=(MatchingMode.REQUESTS, MatchingMode.BOTH),
            memberships__user=mentee,
            memberships__role=Role.MENTEE,
            memberships__status=Status.ACTIVE,
        )
        .filter(
            memberships__user=mentor,
            memberships__role=Role.MENTOR,
            memberships__status=Status.ACTIVE,
        )
        .distinct()
    )
    shared = [p for p in shared if not p.is_open_community]
    if shared:
        return shared
    community = open_community()
    if (
        community is not None
        and community.matching_mode in (MatchingMode.REQUESTS, MatchingMode.BOTH)
        and qualifies(community, mentee, Role.MENTEE)
        and qualifies(community, mentor, Role.MENTOR)
    ):
        return [community]
    return []


def backup_mentor_choices(program: Program, mentee: User, *, first: User) -> list[Profile]:
    """Mentors the mentee could line up after ``first`` in ``program``: taking mentees
    with a place left, outside any reporting line or block (the service checks again)."""
    profiles = (
        Profile.objects.filter(
            is_mentor=True,
            is_complete=True,
            accepting_mentees=True,
            user__is_active=True,
            active_mentees__lt=F("mentor_capacity"),
        )
        .exclude(user_id__in={mentee.pk, first.pk, *excluded_user_ids(mentee)})
        .select_related("user", "specialty", "career_stage")
        .order_by("display_name", "id")
    )
    if not program.is_open_community:
        members = Membership.objects.filter(
            program=program, role=Role.MENTOR, status=Status.ACTIVE
        ).values("user_id")
        profiles = profiles.filter(user_id__in=members)
    return list(profiles[:BACKUP_CHOICES_MAX])


# Concerns


def takes_part(program: Program, user: User) -> bool:
    """In the program (any role, live), or party to a request or mentorship of it."""
    return (
        Membership.objects.filter(
            program=program, user=user, status__in=(Status.ACTIVE, Status.PENDING)
        ).exists()
        or Request.objects.filter(Q(mentee=user) | Q(mentor=user), program=program).exists()
        or Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user), program=program).exists()
    )


@dataclass(frozen=True)
class ConcernSubject:
    """Someone the reporter may report, and where (the request, if one is concerned)."""

    program: Program
    person: User
    request: Request | None

    @property
    def key(self) -> str:
        if self.request is not None:
            return f"request:{self.request.uuid}"
        return f"person:{self.program.uuid}:{self.person.uuid}"


def concern_subjects(user: User) -> list[ConcernSubject]:
    """The people ``user`` dealt with in a program: each request's other party and
    each mentorship partner."""
    subjects: list[ConcernSubject] = []
    requests = (
        Request.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("program", "mentee", "mentor")
        .order_by("-sent_at")[:50]
    )
    for request in requests:
        other = request.mentor if request.mentee_id == user.pk else request.mentee
        subjects.append(ConcernSubject(program=request.program, person=other, request=request))
    mentorships = (
        Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user), program__isnull=False)
        .select_related("program", "mentee", "mentor")
        .order_by("-started_on")[:50]
    )
    for mentorship in mentorships:
        assert mentorship.program is not None
        subjects.append(
            ConcernSubject(
                program=mentorship.program, person=mentorship.partner_of(user), request=None
            )
        )
    return subjects


def concern_subject_from_key(user: User, key: str) -> ConcernSubject:
    """The subject a form or link names (``request:<uuid>`` or
    ``person:<program uuid>:<user uuid>``), only when the user may report it; else 404."""
    kind, _sep, rest = key.partition(":")
    try:
        if kind == "request":
            access = get_request_for(user, UUID(rest))
            request = access.request
            other = request.mentor if access.role == "mentee" else request.mentee
            return ConcernSubject(program=request.program, person=other, request=request)
        if kind == "person":
            program_uuid, _sep, person_uuid = rest.partition(":")
            program = get_program_for(user, UUID(program_uuid)).program
            person = User.objects.filter(uuid=UUID(person_uuid), is_active=True).first()
            if person is None or person.pk == user.pk:
                raise Http404
            if takes_part(program, user) and takes_part(program, person):
                return ConcernSubject(program=program, person=person, request=None)
    except ValueError as error:
        raise Http404 from error
    raise Http404


def concerns_reported_by(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(reporter=user).select_related("program", "about")


def get_program_coordinated(user: User | AnonymousUser, program_uuid: UUID) -> Program:
    """Concerns are confidential: anyone but the program's coordinators gets 404."""
    try:
        return get_program_for(user, program_uuid, manage=True).program
    except PermissionDenied as error:
        raise Http404 from error


def concerns_of(program: Program, *, status: str = "") -> QuerySet[Concern]:
    concerns = Concern.objects.filter(program=program).select_related(
        "reporter", "about", "request", "updated_by"
    )
    if status:
        concerns = concerns.filter(status=status)
    return concerns


def get_concern_of(program: Program, concern_uuid: UUID) -> Concern:
    return get_object_or_404(concerns_of(program), uuid=concern_uuid)

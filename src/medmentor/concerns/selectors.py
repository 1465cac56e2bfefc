"""Reads for concerns: whom a person may report, and a program's concerns for its
coordinators (anyone else gets 404)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from medmentor.accounts.models import User
from medmentor.concerns.models import Concern
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.models.mentorship import involving
from medmentor.programs.models import Membership, Program, Status
from medmentor.programs.selectors import get_program_for
from medmentor.requests.models import Request
from medmentor.requests.selectors import get_request_for


def takes_part(program: Program, user: User) -> bool:
    """In the program (any role, live), or party to a request or mentorship of it."""
    return (
        Membership.objects.filter(
            program=program, user=user, status__in=(Status.ACTIVE, Status.PENDING)
        ).exists()
        or Request.objects.filter(Q(mentee=user) | Q(mentor=user), program=program).exists()
        or Mentorship.objects.filter(involving(user), program=program).exists()
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
        Mentorship.objects.filter(involving(user), program__isnull=False)
        .select_related("program", "mentee", "mentor")
        .order_by("-started_on")[:50]
    )
    for mentorship in mentorships:
        assert mentorship.program is not None
        subjects.extend(
            ConcernSubject(program=mentorship.program, person=person, request=None)
            for person in mentorship.others_of(user)
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

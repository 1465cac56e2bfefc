"""Direct requests over the API: mine (sent and received), send, accept, decline, withdraw.

The same services and access helpers as the site. The mentee's view of a request never
carries the mentor's private reason. Mentors are named by their profile's UUID.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from medmentor.accounts.http import current_user
from medmentor.accounts.models import User
from medmentor.api.base import InputSchema, responses
from medmentor.profiles.models import Profile
from medmentor.programs.selectors import get_program_for
from medmentor.requests import selectors, services
from medmentor.requests.models import (
    CASCADE_MAX,
    DECLINE_REASON_MAX,
    GOALS_NOTE_MAX,
    MESSAGE_MAX,
    Request,
    RequestCascade,
)
from medmentor.requests.rules import MENTOR_FIELDS

router = Router(tags=["requests"])


class SentRequestOut(Schema):
    """A request as its mentee sees it: no reason, only the status."""

    uuid: UUID
    position: int
    mentor: UUID | None
    mentor_name: str = Field(..., alias="mentor.name")
    status: str
    sent_at: datetime
    due_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_mentor(request: Request) -> UUID | None:
        # ``requests_sent`` selects each mentor's profile with the request.
        try:
            return request.mentor.profile.uuid
        except Profile.DoesNotExist:
            return None


class LineUpOut(Schema):
    uuid: UUID
    program: UUID = Field(..., alias="program.uuid")
    program_name: str = Field(..., alias="program.name")
    status: str
    message: str
    goals: list[str]
    goals_note: str
    created_at: datetime
    closed_at: datetime | None
    requests: list[SentRequestOut]

    @staticmethod
    def resolve_requests(cascade: RequestCascade) -> list[Request]:
        return list(cascade.requests.all())


class ReceivedRequestOut(Schema):
    """A request as its mentor sees it, with their own private reason."""

    uuid: UUID
    program: UUID = Field(..., alias="program.uuid")
    program_name: str = Field(..., alias="program.name")
    mentee_name: str = Field(..., alias="mentee.name")
    message: str
    goals: list[str]
    goals_note: str
    status: str
    decline_reason: str
    sent_at: datetime
    due_at: datetime
    answered_at: datetime | None
    mentorship: UUID | None = Field(None, alias="mentorship.uuid")


class SendIn(InputSchema):
    program: UUID
    mentors: list[UUID] = Field(..., min_length=1, max_length=CASCADE_MAX)
    message: str = Field(..., max_length=MESSAGE_MAX)
    goals: list[str] = []
    goals_note: str = Field("", max_length=GOALS_NOTE_MAX)


class DeclineIn(InputSchema):
    reason: str = Field("", max_length=DECLINE_REASON_MAX)


class AcceptOut(Schema):
    request: UUID
    mentorship: UUID


def _mentors(uuids: list[UUID]) -> list[User]:
    profiles = {
        p.uuid: p.user
        for p in Profile.objects.select_related("user").filter(uuid__in=uuids, user__is_active=True)
    }
    mentors = []
    for index, uuid in enumerate(uuids):
        if uuid not in profiles:
            raise ValidationError({MENTOR_FIELDS[index]: "No mentor has this profile."})
        mentors.append(profiles[uuid])
    return mentors


def _as_mentor(request: HttpRequest, request_uuid: UUID) -> Request:
    access = selectors.get_request_for(request.user, request_uuid)
    if not access.is_mentor:
        raise PermissionDenied("Only the mentor asked answers this request.")
    return access.request


@router.get("/sent", response=responses(list[LineUpOut], 401))
def sent(request: HttpRequest) -> object:
    return selectors.requests_sent(current_user(request))[:100]


@router.get("/received", response=responses(list[ReceivedRequestOut], 401, 422))
def received(request: HttpRequest, pending: bool = True) -> object:
    return selectors.requests_received(current_user(request), pending=pending)


@router.post("/", response=responses({201: LineUpOut}, 401, 403, 404, 422))
def send(request: HttpRequest, payload: SendIn) -> Status[RequestCascade]:
    user = current_user(request)
    program = get_program_for(user, payload.program).program
    cascade = services.request_send(
        program=program,
        mentee=user,
        mentors=_mentors(payload.mentors),
        message=payload.message,
        goals=payload.goals,
        goals_note=payload.goals_note,
    )
    return Status(201, selectors.requests_sent(user).get(pk=cascade.pk))


@router.post("/{request_uuid}/accept", response=responses(AcceptOut, 401, 403, 404, 422))
def accept(request: HttpRequest, request_uuid: UUID) -> dict[str, UUID]:
    item = _as_mentor(request, request_uuid)
    mentorship = services.request_accept(request=item, by=current_user(request))
    return {"request": item.uuid, "mentorship": mentorship.uuid}


@router.post("/{request_uuid}/decline", response=responses(ReceivedRequestOut, 401, 403, 404, 422))
def decline(request: HttpRequest, request_uuid: UUID, payload: DeclineIn) -> Request:
    user = current_user(request)
    item = _as_mentor(request, request_uuid)
    services.request_decline(request=item, by=user, reason=payload.reason)
    return selectors.requests_received(user, pending=False).get(pk=item.pk)


@router.post("/lineups/{cascade_uuid}/withdraw", response=responses(LineUpOut, 401, 403, 404, 422))
def withdraw(request: HttpRequest, cascade_uuid: UUID) -> RequestCascade:
    user = current_user(request)
    cascade = selectors.get_cascade_of_mentee(user, cascade_uuid)
    services.request_withdraw(cascade=cascade, by=user)
    return selectors.requests_sent(user).get(pk=cascade.pk)

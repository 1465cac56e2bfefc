"""Mentorships over the API, under the site's rules: ``get_mentorship_for`` decides,
outsiders get 404, coordinators see counts and dates only, never text."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from medmentor.accounts.http import current_user
from medmentor.accounts.models import User
from medmentor.api.base import InputSchema, responses
from medmentor.mentorships import selectors
from medmentor.mentorships.access import MentorshipAccess, get_mentorship_for
from medmentor.mentorships.models import (
    Agreement,
    CheckIn,
    Goal,
    Meeting,
    Mentorship,
    Message,
    Note,
)
from medmentor.mentorships.services import agreement as agreement_services
from medmentor.mentorships.services import conversation
from medmentor.mentorships.services import goals as goal_services
from medmentor.mentorships.services import meetings as meeting_services
from medmentor.mentorships.services.checkins import checkin_start, checkin_submit
from medmentor.mentorships.services.closure import evaluation_submit, mentorship_end
from medmentor.mentorships.services.selfrating import baseline_submit
from medmentor.mentorships.support import support_resources
from medmentor.programs.selectors import get_program_for

router = Router(tags=["mentorships"])


class MentorshipOut(Schema):
    uuid: UUID
    program: UUID | None = Field(None, alias="program.uuid")
    kind: str
    name: str
    mentor: str
    mentee: str
    members: list[str]
    status: str
    started_on: date
    planned_end_on: date
    ended_at: datetime | None

    @staticmethod
    def resolve_mentor(mentorship: Mentorship) -> str:
        return "; ".join(_name(p) for p in mentorship.people_in_role("mentor"))

    @staticmethod
    def resolve_mentee(mentorship: Mentorship) -> str:
        return "; ".join(_name(p) for p in mentorship.people_in_role("mentee"))

    @staticmethod
    def resolve_members(mentorship: Mentorship) -> list[str]:
        """Everyone in it (a pair: its mentor and mentee), by display name."""
        return [_name(p) for p in mentorship.people()]


def _name(person: User) -> str:
    """The name a partner shows as ("Former member" for one who left MedMentor)."""
    return str(person) if person.is_former_member else person.name


class AgreementOut(Schema):
    text: str
    version: int
    mentor_signed_at: datetime | None
    mentee_signed_at: datetime | None
    is_signed: bool


class AgreementIn(InputSchema):
    text: str = Field(..., max_length=20_000)


class SignIn(InputSchema):
    version: int


class GoalOut(Schema):
    uuid: UUID
    title: str
    description: str
    measure: str
    area: str
    due_on: date | None
    status: str
    progress: int


class GoalIn(InputSchema):
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=20_000)
    measure: str = Field("", max_length=500)
    area: str = Field("", max_length=40)
    due_on: date | None = None
    progress: int = Field(0, ge=0, le=100)


class GoalPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    due_on: date | None = None
    progress: int | None = Field(None, ge=0, le=100)
    status: str | None = None


class MeetingOut(Schema):
    uuid: UUID
    starts_at: datetime
    duration_minutes: int
    modality: str
    place: str
    agenda: str
    status: str
    sequence: int
    discussed: str
    next_steps: str
    minutes_spent: int | None


class MeetingIn(InputSchema):
    starts_at: datetime
    duration_minutes: int = 60
    modality: str
    place: str = Field("", max_length=500)
    agenda: str = Field("", max_length=20_000)


class MeetingPatch(InputSchema):
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    modality: str | None = None
    place: str | None = Field(None, max_length=500)
    agenda: str | None = Field(None, max_length=20_000)


class MeetingLogIn(InputSchema):
    discussed: str = Field("", max_length=20_000)
    next_steps: str = Field("", max_length=20_000)
    minutes_spent: int


class TextIn(InputSchema):
    body: str


class NoteIn(TextIn):
    visibility: str


class NoteOut(Schema):
    uuid: UUID
    author: str = Field(..., alias="author.name")
    visibility: str
    body: str
    created_at: datetime


class MessageOut(Schema):
    uuid: UUID
    author: str = Field(..., alias="author.name")
    body: str
    created_at: datetime
    read_at: datetime | None


class CheckInOut(Schema):
    uuid: UUID
    number: int
    due_on: date
    submitted_at: datetime | None


class CheckInIn(InputSchema):
    score: int
    meetings_held: int
    note_for_coordinator: str = Field("", max_length=2_000)
    shared_with_coordinator: bool = False
    wants_support: bool = False
    alert_consent: bool = False


class CheckInResult(CheckInOut):
    support_resources: list[str]


class EndIn(InputSchema):
    private_reason: str = Field("", max_length=20_000)


class BaselineIn(InputSchema):
    ratings: dict[str, int]


class EvaluationIn(InputSchema):
    ratings: dict[str, int]
    would_recommend: bool | None = None
    comments: str = Field("", max_length=20_000)
    wants_rematch: bool = False


class AuditOut(Schema):
    viewer_name: str
    reason: str
    at: datetime


class OversightOut(Schema):
    """What a coordinator sees: counts and dates, never text."""

    uuid: UUID
    mentor: str
    mentee: str
    status: str
    started_on: date
    needs_attention: list[str]
    meetings_held: int
    last_meeting: datetime | None
    milestones_done: int
    milestones_total: int


@router.get("/", response=responses(list[MentorshipOut], 401))
def my_mentorships(request: HttpRequest) -> object:
    return selectors.mentorships_of(current_user(request))


@router.get("/programs/{program_uuid}", response=responses(list[OversightOut], 401, 403, 404, 422))
def program_mentorships(request: HttpRequest, program_uuid: UUID) -> object:
    user = current_user(request)
    program = get_program_for(user, program_uuid, manage=True).program
    rows = selectors.program_mentorships_seen_by(user, program, detail="API")
    return [
        {
            "uuid": row.mentorship.uuid,
            "mentor": str(row.mentorship.mentor),
            "mentee": str(row.mentorship.mentee),
            "status": row.mentorship.status,
            "started_on": row.mentorship.started_on,
            "needs_attention": [str(reason) for reason in row.reasons],
            "meetings_held": row.meetings_held,
            "last_meeting": row.last_meeting,
            "milestones_done": row.milestones_done,
            "milestones_total": row.milestones_total,
        }
        for row in rows
    ]


@router.get("/{mentorship_uuid}", response=responses(MentorshipOut, 401, 404, 422))
def mentorship_detail(request: HttpRequest, mentorship_uuid: UUID) -> Mentorship:
    return get_mentorship_for(request.user, mentorship_uuid).mentorship


@router.get("/{mentorship_uuid}/agreement", response=responses(AgreementOut, 401, 404, 422))
def agreement_read(request: HttpRequest, mentorship_uuid: UUID) -> Agreement:
    return get_mentorship_for(request.user, mentorship_uuid).mentorship.agreement


@router.put("/{mentorship_uuid}/agreement", response=responses(AgreementOut, 401, 403, 404, 422))
def agreement_edit(request: HttpRequest, mentorship_uuid: UUID, payload: AgreementIn) -> Agreement:
    access = get_mentorship_for(request.user, mentorship_uuid)
    return agreement_services.agreement_update(access=access, text=payload.text)


@router.post(
    "/{mentorship_uuid}/agreement/sign", response=responses(AgreementOut, 401, 403, 404, 422)
)
def agreement_sign(request: HttpRequest, mentorship_uuid: UUID, payload: SignIn) -> Agreement:
    access = get_mentorship_for(request.user, mentorship_uuid)
    return agreement_services.agreement_sign(access=access, version=payload.version)


@router.get("/{mentorship_uuid}/goals", response=responses(list[GoalOut], 401, 404, 422))
def goal_list(request: HttpRequest, mentorship_uuid: UUID) -> object:
    return get_mentorship_for(request.user, mentorship_uuid).mentorship.goals.all()


@router.post("/{mentorship_uuid}/goals", response=responses({201: GoalOut}, 401, 403, 404, 422))
def goal_create(request: HttpRequest, mentorship_uuid: UUID, payload: GoalIn) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    return Status(201, goal_services.goal_propose(access=access, **payload.dict()))


@router.patch(
    "/{mentorship_uuid}/goals/{goal_uuid}", response=responses(GoalOut, 401, 403, 404, 422)
)
def goal_edit(
    request: HttpRequest, mentorship_uuid: UUID, goal_uuid: UUID, payload: GoalPatch
) -> Goal:
    access = get_mentorship_for(request.user, mentorship_uuid)
    goal = selectors.goal_of(access, goal_uuid)
    return goal_services.goal_update(access=access, goal=goal, **payload.dict(exclude_unset=True))


@router.get("/{mentorship_uuid}/meetings", response=responses(list[MeetingOut], 401, 404, 422))
def meeting_list(request: HttpRequest, mentorship_uuid: UUID) -> object:
    return get_mentorship_for(request.user, mentorship_uuid).mentorship.meetings.all()


@router.post(
    "/{mentorship_uuid}/meetings", response=responses({201: MeetingOut}, 401, 403, 404, 422)
)
def meeting_create(request: HttpRequest, mentorship_uuid: UUID, payload: MeetingIn) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    values = payload.dict()
    if timezone.is_naive(values["starts_at"]):
        values["starts_at"] = values["starts_at"].replace(tzinfo=timezone.get_current_timezone())
    return Status(201, meeting_services.meeting_schedule(access=access, **values))


@router.patch(
    "/{mentorship_uuid}/meetings/{meeting_uuid}", response=responses(MeetingOut, 401, 403, 404, 422)
)
def meeting_edit(
    request: HttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID, payload: MeetingPatch
) -> Meeting:
    access = get_mentorship_for(request.user, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    return meeting_services.meeting_update(
        access=access, meeting=meeting, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/{mentorship_uuid}/meetings/{meeting_uuid}/cancel",
    response=responses(MeetingOut, 401, 403, 404, 422),
)
def meeting_cancel(request: HttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID) -> Meeting:
    access = get_mentorship_for(request.user, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    return meeting_services.meeting_cancel(access=access, meeting=meeting)


@router.post(
    "/{mentorship_uuid}/meetings/{meeting_uuid}/log",
    response=responses(MeetingOut, 401, 403, 404, 422),
)
def meeting_log(
    request: HttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID, payload: MeetingLogIn
) -> Meeting:
    access = get_mentorship_for(request.user, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    return meeting_services.meeting_log(access=access, meeting=meeting, **payload.dict())


@router.get("/{mentorship_uuid}/messages", response=responses(list[MessageOut], 401, 404, 422))
def message_list(request: HttpRequest, mentorship_uuid: UUID) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    conversation.messages_mark_read(access=access)
    return selectors.messages_of(access)


@router.post(
    "/{mentorship_uuid}/messages", response=responses({201: MessageOut}, 401, 403, 404, 422)
)
def message_create(request: HttpRequest, mentorship_uuid: UUID, payload: TextIn) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    message: Message = conversation.message_send(access=access, body=payload.body)
    return Status(201, message)


@router.get("/{mentorship_uuid}/notes", response=responses(list[NoteOut], 401, 404, 422))
def note_list(request: HttpRequest, mentorship_uuid: UUID) -> object:
    return selectors.notes_visible_to(get_mentorship_for(request.user, mentorship_uuid))


@router.post("/{mentorship_uuid}/notes", response=responses({201: NoteOut}, 401, 403, 404, 422))
def note_create(request: HttpRequest, mentorship_uuid: UUID, payload: NoteIn) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    note: Note = conversation.note_write(
        access=access, body=payload.body, visibility=payload.visibility
    )
    return Status(201, note)


@router.get("/{mentorship_uuid}/notes/{note_uuid}", response=responses(NoteOut, 401, 404, 422))
def note_read(request: HttpRequest, mentorship_uuid: UUID, note_uuid: UUID) -> Note:
    return selectors.note_of(get_mentorship_for(request.user, mentorship_uuid), note_uuid)


@router.get("/{mentorship_uuid}/checkins", response=responses(list[CheckInOut], 401, 404, 422))
def checkin_list(request: HttpRequest, mentorship_uuid: UUID) -> object:
    return selectors.open_checkins(get_mentorship_for(request.user, mentorship_uuid))


@router.post(
    "/{mentorship_uuid}/checkins/{checkin_uuid}",
    response=responses(CheckInResult, 401, 403, 404, 422),
)
def checkin_answer(
    request: HttpRequest, mentorship_uuid: UUID, checkin_uuid: UUID, payload: CheckInIn
) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    checkin = checkin_submit(
        access=access, checkin=selectors.checkin_of(access, checkin_uuid), **payload.dict()
    )
    return _checkin_result(access, checkin)


@router.post(
    "/{mentorship_uuid}/checkins",
    response=responses({201: CheckInResult}, 401, 403, 404, 422),
)
def checkin_now(request: HttpRequest, mentorship_uuid: UUID, payload: CheckInIn) -> object:
    """Check in now, without waiting for the schedule: answers the caller's open check-in
    if there is one, else makes the next."""
    access = get_mentorship_for(request.user, mentorship_uuid)
    checkin = checkin_start(access=access, **payload.dict())
    return Status(201, _checkin_result(access, checkin))


def _checkin_result(access: MentorshipAccess, checkin: CheckIn) -> dict[str, object]:
    resources = support_resources(access.mentorship.program) if checkin.wants_support else []
    return {
        "uuid": checkin.uuid,
        "number": checkin.number,
        "due_on": checkin.due_on,
        "submitted_at": checkin.submitted_at,
        "support_resources": resources,
    }


@router.post("/{mentorship_uuid}/end", response=responses(MentorshipOut, 401, 403, 404, 422))
def end(request: HttpRequest, mentorship_uuid: UUID, payload: EndIn) -> Mentorship:
    access = get_mentorship_for(request.user, mentorship_uuid)
    return mentorship_end(access=access, private_reason=payload.private_reason)


@router.post(
    "/{mentorship_uuid}/baseline", response=responses({201: dict[str, str]}, 401, 403, 404, 422)
)
def baseline(request: HttpRequest, mentorship_uuid: UUID, payload: BaselineIn) -> object:
    """The starting self-rating, on the caller's own benefit dimensions (1-5 each)."""
    access = get_mentorship_for(request.user, mentorship_uuid)
    baseline_submit(access=access, ratings=payload.ratings)
    return Status(201, {"status": "given"})


@router.post(
    "/{mentorship_uuid}/evaluation", response=responses({201: dict[str, str]}, 401, 403, 404, 422)
)
def evaluation(request: HttpRequest, mentorship_uuid: UUID, payload: EvaluationIn) -> object:
    access = get_mentorship_for(request.user, mentorship_uuid)
    given = evaluation_submit(access=access, **payload.dict())
    return Status(201, {"uuid": str(given.uuid)})


@router.get("/{mentorship_uuid}/audit", response=responses(list[AuditOut], 401, 404, 422))
def audit_log(request: HttpRequest, mentorship_uuid: UUID) -> object:
    """Who opened the pair's mentorship as a coordinator, when and why."""
    return get_mentorship_for(request.user, mentorship_uuid).mentorship.access_audits.all()

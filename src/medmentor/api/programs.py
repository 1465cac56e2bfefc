"""Programs over the API: browse, my memberships, join and leave; coordinators' members.

The same access rules as the site: ``get_program_for`` decides, outsiders get 404.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import current_user
from medmentor.api.base import InputSchema, Text, responses
from medmentor.programs import selectors
from medmentor.programs.invitations import InvitationInvalid, invitation_read
from medmentor.programs.models import Membership, Program, Role, Status
from medmentor.programs.services import enrolment

router = Router(tags=["programs"])


class WeightsOut(Schema):
    consideration: float
    camaraderie: float
    commonality: float
    confidentiality: float


class ProgramOut(Schema):
    uuid: UUID
    name: str
    name_en: str
    name_fr: str
    audience: str
    region: str
    enrolment_mode: str
    matching_mode: str
    cycle_start: date | None
    cycle_end: date | None


class ProgramDetailOut(ProgramOut):
    description_en: str
    description_fr: str
    seniority_rule: str
    mentor_stages: list[str]
    mentee_stages: list[str]
    requires_self_identification: bool
    mentorship_months: int
    weights: WeightsOut

    @staticmethod
    def resolve_weights(program: Program) -> dict[str, float]:
        return {c: float(share) for c, share in program.normalised_weights.items()}


class MembershipOut(Schema):
    uuid: UUID
    program: UUID = Field(..., alias="program.uuid")
    program_name: str = Field(..., alias="program.name")
    role: str
    status: str
    requested_at: datetime
    activated_at: datetime | None


class MemberOut(MembershipOut):
    name: str = Field(..., alias="user.get_full_name")  # by name, never by address
    career_stage: str
    answers: dict[str, list[str]]


class JoinIn(InputSchema):
    role: str
    career_stage: str = ""
    self_identified: bool = False
    answers: dict[str, list[str]] = {}
    invitation: str = ""


class DecisionIn(InputSchema):
    reason: str = Field("", max_length=1000)


@router.get("/", response=responses(list[ProgramOut], 422), auth=None)
def list_programs(request: HttpRequest, audience: Text = "", region: Text = "") -> object:
    return selectors.programs_search(audience=audience, region=region)[:200]


@router.get("/mine", response=responses(list[MembershipOut], 401))
def my_memberships(request: HttpRequest) -> object:
    return selectors.memberships_of(current_user(request))


@router.post(
    "/memberships/{membership_uuid}/withdraw",
    response=responses(MembershipOut, 401, 403, 404, 422),
)
def withdraw(request: HttpRequest, membership_uuid: UUID) -> Membership:
    user = current_user(request)
    membership = selectors.get_own_membership(user, membership_uuid)
    return enrolment.membership_withdraw(membership=membership, by=user)


@router.get("/{program_uuid}", response=responses(ProgramDetailOut, 404, 422), auth=None)
def program_detail(request: HttpRequest, program_uuid: UUID) -> Program:
    return selectors.get_program_for(request.user, program_uuid).program


@router.post("/{program_uuid}/join", response=responses(MembershipOut, 401, 403, 404, 422))
def join(request: HttpRequest, program_uuid: UUID, payload: JoinIn) -> Membership:
    user = current_user(request)
    if payload.invitation:
        try:
            invitation = invitation_read(payload.invitation)
        except InvitationInvalid as problem:
            raise _invalid("invitation", str(problem)) from problem
        if invitation.program.uuid != program_uuid or invitation.role != payload.role:
            raise _invalid("invitation", "This invitation is for another program or role.")
        program = invitation.program
    else:
        program = selectors.get_program_for(user, program_uuid).program
    return enrolment.membership_join(
        program=program,
        user=user,
        role=payload.role,
        career_stage=payload.career_stage,
        self_identified=payload.self_identified,
        answers=payload.answers,
        by_invitation=bool(payload.invitation),
    )


@router.get("/{program_uuid}/members", response=responses(list[MemberOut], 401, 403, 404, 422))
def members(request: HttpRequest, program_uuid: UUID, role: Text = "", status: Text = "") -> object:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    if role and role not in Role.values:
        raise _invalid("role", "Unknown role.")
    if status and status not in Status.values:
        raise _invalid("status", "Unknown status.")
    members = list(selectors.members_of(program, role=role, status=status))
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.MEMBER_LIST,
        subjects=[member.user_id for member in members],
        program=program,
        detail="API",
    )
    return members


def _decide(
    request: HttpRequest, program_uuid: UUID, membership_uuid: UUID, reason: str, approve: bool
) -> Membership:
    user = current_user(request)
    program = selectors.get_program_for(user, program_uuid, manage=True).program
    membership = selectors.get_membership_of(program, membership_uuid)
    action = enrolment.membership_approve if approve else enrolment.membership_decline
    return action(membership=membership, by=user, reason=reason)


@router.post(
    "/{program_uuid}/members/{membership_uuid}/approve",
    response=responses(MemberOut, 401, 403, 404, 422),
)
def approve(
    request: HttpRequest, program_uuid: UUID, membership_uuid: UUID, payload: DecisionIn
) -> Membership:
    return _decide(request, program_uuid, membership_uuid, payload.reason, approve=True)


@router.post(
    "/{program_uuid}/members/{membership_uuid}/decline",
    response=responses(MemberOut, 401, 403, 404, 422),
)
def decline(
    request: HttpRequest, program_uuid: UUID, membership_uuid: UUID, payload: DecisionIn
) -> Membership:
    return _decide(request, program_uuid, membership_uuid, payload.reason, approve=False)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})

"""Match rounds over the API: a program's rounds (list, run, read with proposals, publish)
for its coordinators, and each participant's proposals (list, answer).

The same access helpers as the site: a coordinator of another program, staff and
outsiders get 404 on coordinator routes; the program's own participants get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import current_user
from medmentor.accounts.models import User
from medmentor.api.base import InputSchema, responses
from medmentor.matchrounds.models import MatchRound, Proposal, ProposedGroup
from medmentor.matchrounds.selectors import rounds as selectors_rounds
from medmentor.matchrounds.services import publish, run
from medmentor.programs import selectors

router = Router(tags=["rounds"])
PROPOSALS_MAX = 5000


class RoundIn(InputSchema):
    kind: Literal["pairs", "groups", "circles"] = "pairs"
    algorithm: Literal["stable", "optimal"] = "stable"
    seed: int = Field(0, ge=0, le=2**31 - 1)


class RoundStartedOut(Schema):
    uuid: UUID
    status: str


class RoundOut(Schema):
    uuid: UUID
    program: UUID = Field(..., alias="program.uuid")
    kind: str
    algorithm: str
    seed: int
    status: str
    phase: str
    progress: int
    rerun_of: UUID | None = None
    summary: dict[str, Any]
    timings: dict[str, float]
    error: str
    created_at: datetime
    finished_at: datetime | None
    published_at: datetime | None

    @staticmethod
    def resolve_rerun_of(obj: MatchRound) -> UUID | None:
        return obj.rerun_of.uuid if obj.rerun_of_id and obj.rerun_of else None


class ParticipantOut(Schema):
    """A round's participant, by the name everyone sees (never their address)."""

    name: str = Field(..., alias="get_full_name")


class ProposalOut(Schema):
    uuid: UUID
    mentee: ParticipantOut
    mentor: ParticipantOut
    score: float
    consideration: float | None
    camaraderie: float | None
    commonality: float | None
    confidentiality: float | None
    reasons: list[str]
    locked: bool
    origin: str
    warnings: list[str]
    status: str
    mentee_response: str
    mentor_response: str


class UnmatchedOut(Schema):
    person: ParticipantOut = Field(..., alias="user")
    role: str
    code: str
    message: str


class CircleOut(Schema):
    """A circle a circle round proposes: its members by the name everyone sees."""

    number: int = Field(..., alias="position")
    score: float
    reasons: list[str]
    members: list[ParticipantOut]
    mentorship: UUID | None = None

    @staticmethod
    def resolve_members(obj: ProposedGroup) -> list[User]:
        return [row.user for row in obj.rows.all()]

    @staticmethod
    def resolve_mentorship(obj: ProposedGroup) -> UUID | None:
        return obj.mentorship.uuid if obj.mentorship else None


class RoundDetailOut(RoundOut):
    proposals: list[ProposalOut]
    circles: list[CircleOut]
    unmatched: list[UnmatchedOut]

    @staticmethod
    def resolve_circles(obj: MatchRound) -> list[ProposedGroup]:
        return list(selectors_rounds.circles_of(obj))

    @staticmethod
    def resolve_proposals(obj: MatchRound) -> list[Proposal]:
        return list(selectors_rounds.proposals_of(obj)[:PROPOSALS_MAX])

    @staticmethod
    def resolve_unmatched(obj: MatchRound) -> list[Any]:
        return list(selectors_rounds.unmatched_of(obj))


class MyProposalOut(Schema):
    uuid: UUID
    program: UUID
    program_name: str
    role: str
    other: ParticipantOut
    score: float
    reasons: list[str]
    status: str
    my_response: str
    mentorship: UUID | None = None


class AnswerIn(InputSchema):
    decision: Literal["accept", "decline"]
    reason: str = Field("", max_length=publish.REASON_MAX)


def _mine(proposal: Proposal, user_id: int) -> dict[str, Any]:
    role = proposal.role_of(user_id)
    other = proposal.mentor if role == "mentee" else proposal.mentee
    return {
        "uuid": proposal.uuid,
        "program": proposal.round.program.uuid,
        "program_name": proposal.round.program.name,
        "role": role,
        "other": other,
        "score": proposal.score,
        "reasons": proposal.reasons,
        "status": proposal.status,
        "my_response": proposal.response_of(role),
        "mentorship": proposal.mentorship.uuid if proposal.mentorship else None,
    }


@router.get("/programs/{program_uuid}", response=responses(list[RoundOut], 401, 403, 404, 422))
def list_rounds(request: HttpRequest, program_uuid: UUID) -> object:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    return selectors_rounds.rounds_of(program).select_related("program")[:100]


@router.post(
    "/programs/{program_uuid}",
    response=responses({202: RoundStartedOut}, 401, 403, 404, 422),
)
def start_round(request: HttpRequest, program_uuid: UUID, payload: RoundIn) -> object:
    user = current_user(request)
    program = selectors.get_program_for(user, program_uuid, manage=True).program
    match_round = run.round_start(
        program=program,
        by=user,
        kind=payload.kind,
        algorithm=payload.algorithm,
        seed=payload.seed,
    )
    match_round.refresh_from_db(fields=["status"])
    return Status(202, match_round)


@router.get("/proposals/mine", response=responses(list[MyProposalOut], 401))
def my_proposals(request: HttpRequest) -> object:
    user = current_user(request)
    proposals = selectors_rounds.my_proposals(user).select_related("mentorship")[:200]
    return [_mine(p, user.pk) for p in proposals]


@router.post(
    "/proposals/{proposal_uuid}/answer", response=responses(MyProposalOut, 401, 403, 404, 422)
)
def answer(request: HttpRequest, proposal_uuid: UUID, payload: AnswerIn) -> object:
    user = current_user(request)
    proposal = selectors_rounds.get_my_proposal(user, proposal_uuid)
    proposal = publish.proposal_respond(
        proposal=proposal,
        user=user,
        accept=payload.decision == "accept",
        reason=payload.reason,
    )
    return _mine(proposal, user.pk)


@router.get("/{round_uuid}", response=responses(RoundDetailOut, 401, 403, 404, 422))
def read_round(request: HttpRequest, round_uuid: UUID) -> MatchRound:
    match_round = selectors_rounds.get_round_by_uuid_for(request.user, round_uuid)
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.MATCH_ROUND,
        subjects=selectors_rounds.people_in(match_round),
        program=match_round.program,
        detail="API",
    )
    return match_round


@router.post("/{round_uuid}/publish", response=responses(RoundOut, 401, 403, 404, 422))
def publish_round(request: HttpRequest, round_uuid: UUID) -> MatchRound:
    user = current_user(request)
    match_round = selectors_rounds.get_round_by_uuid_for(user, round_uuid)
    return publish.round_publish(match_round=match_round, by=user)

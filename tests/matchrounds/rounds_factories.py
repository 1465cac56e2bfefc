"""Match-round test helpers: a program with real profiles, and the whole cycle as steps a
test can reuse (run, publish, answer) with the background tasks run at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.test import TestCase

from medmentor.accounts.models import User
from medmentor.matchrounds.models import MatchRound, Proposal
from medmentor.matchrounds.services.publish import proposal_respond, round_publish
from medmentor.matchrounds.services.run import round_rerun, round_start
from medmentor.programs.models import Program, Role
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory


@dataclass
class RoundProgram:
    program: Program
    coordinator: User
    mentees: list[User] = field(default_factory=list)
    mentors: list[User] = field(default_factory=list)

    def add_mentee(self, name: str = "", **profile: Any) -> User:
        user = UserFactory(**({"name": name} if name else {}))
        make_mentee(user=user, **profile)
        MembershipFactory(program=self.program, user=user, role=Role.MENTEE)
        self.mentees.append(user)
        return user

    def add_mentor(self, name: str = "", capacity: int = 1, **profile: Any) -> User:
        user = UserFactory(**({"name": name} if name else {}))
        make_mentor(user=user, mentor_capacity=capacity, **profile)
        MembershipFactory(program=self.program, user=user, role=Role.MENTOR)
        self.mentors.append(user)
        return user


def round_program(
    *, mentees: int = 0, mentors: int = 0, capacity: int = 1, **program: Any
) -> RoundProgram:
    """A program, its coordinator, and ``mentees`` / ``mentors`` with complete profiles."""
    made = ProgramFactory(**program)
    coordinator = MembershipFactory(
        program=made, role=Role.COORDINATOR, user__name="Dr. Claire Coordinator"
    ).user
    world = RoundProgram(program=made, coordinator=coordinator)
    for k in range(mentees):
        world.add_mentee(name=f"Mentee {k:03d}")
    for k in range(mentors):
        world.add_mentor(name=f"Mentor {k:03d}", capacity=capacity)
    return world


def run_round(
    program: Program, by: User, algorithm: str = "stable", *, rerun_of: MatchRound | None = None
) -> MatchRound:
    """Start a round and run its task at once (as the worker would after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if rerun_of is not None:
            match_round = round_rerun(match_round=rerun_of, by=by, algorithm=algorithm)
        else:
            match_round = round_start(program=program, by=by, algorithm=algorithm)
    match_round.refresh_from_db()
    return match_round


def publish(match_round: MatchRound, by: User) -> MatchRound:
    with TestCase.captureOnCommitCallbacks(execute=True):
        published = round_publish(match_round=match_round, by=by)
    return published


def answer(proposal: Proposal, *, mentee: bool | None, mentor: bool | None) -> Proposal:
    """Each side's answer (``None``: no answer), mentee first, e-mails sent on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if mentee is not None:
            proposal = proposal_respond(proposal=proposal, user=proposal.mentee, accept=mentee)
        if mentor is not None and proposal.status == "published":
            proposal = proposal_respond(proposal=proposal, user=proposal.mentor, accept=mentor)
    return proposal


def pairs(match_round: MatchRound) -> set[tuple[int, int]]:
    return set(Proposal.objects.filter(round=match_round).values_list("mentee_id", "mentor_id"))


def full_cycle(
    program: Program,
    coordinator: User,
    *,
    decline_mentees: Iterable[int] = (),
    algorithm: str = "stable",
) -> tuple[MatchRound, list[Proposal]]:
    """Run, publish, and answer every proposal: both accept, except proposals of the
    mentees (user ids) in ``decline_mentees``, which the mentee declines. Returns the
    round and its proposals as they ended."""
    declining = set(decline_mentees)
    match_round = publish(run_round(program, coordinator, algorithm), coordinator)
    ended = []
    for proposal in Proposal.objects.filter(round=match_round, status="published").select_related(
        "mentee", "mentor", "round__program"
    ):
        if proposal.mentee_id in declining:
            ended.append(answer(proposal, mentee=False, mentor=None))
        else:
            ended.append(answer(proposal, mentee=True, mentor=True))
    return match_round, ended

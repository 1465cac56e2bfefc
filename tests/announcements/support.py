"""A program to write to, with around it the people a message must never reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.test import Client, TestCase

from medmentor.accounts.models import User
from medmentor.matchrounds.models import MatchRound
from medmentor.programs.models import Program, Role, Status
from tests.factories import UserFactory, logged_in_client
from tests.matchrounds.rounds_factories import publish, round_program, run_round
from tests.programs.factories import MembershipFactory, ProgramFactory


@dataclass
class Cohort:
    program: Program
    coordinator: User
    mentees: list[User]
    mentors: list[User]
    match_round: MatchRound
    # People of the program or around it whom no segment reaches.
    withdrawn: User
    pending: User
    deactivated: User
    elsewhere: User
    other_program: Program
    other_coordinator: User

    @property
    def participants(self) -> set[str]:
        return {u.email for u in [*self.mentees, *self.mentors]}

    def client(self) -> Client:
        return logged_in_client(self.coordinator)

    def other_coordinator_client(self) -> Client:
        return logged_in_client(self.other_coordinator)


def build_cohort(mentees: int = 3, mentors: int = 2) -> Cohort:
    """``mentees`` mentees and ``mentors`` mentors (one seat each) with full profiles,
    and a published round; a withdrawn, a pending and a deactivated mentee; another
    program with its own mentee and coordinator."""
    world = round_program(mentees=mentees, mentors=mentors, name_en="Ottawa Residents")
    program = world.program
    withdrawn = MembershipFactory(
        program=program, role=Role.MENTEE, status=Status.WITHDRAWN, user__name="Gone"
    ).user
    pending = MembershipFactory(
        program=program, role=Role.MENTEE, status=Status.PENDING, user__name="Asks"
    ).user
    deactivated = MembershipFactory(
        program=program, role=Role.MENTEE, user__name="Shut", user__is_active=False
    ).user
    other = ProgramFactory(name_en="Saskatchewan Synergy")
    elsewhere = MembershipFactory(program=other, role=Role.MENTEE, user__name="Elsewhere").user
    other_coordinator = MembershipFactory(program=other, role=Role.COORDINATOR).user
    match_round = publish(run_round(program, world.coordinator), world.coordinator)
    mail.outbox.clear()
    return Cohort(
        program=program,
        coordinator=world.coordinator,
        mentees=world.mentees,
        mentors=world.mentors,
        match_round=match_round,
        withdrawn=withdrawn,
        pending=pending,
        deactivated=deactivated,
        elsewhere=elsewhere,
        other_program=other,
        other_coordinator=other_coordinator,
    )


def new_url(program: Program) -> str:
    return f"/programs/{program.uuid}/manage/announcements/new/"


def list_url(program: Program) -> str:
    return f"/programs/{program.uuid}/manage/announcements/"


def message(**fields: Any) -> dict[str, Any]:
    data = {
        "segment": "everyone",
        "match_round": "",
        "subject_en": "Welcome evening on March 3",
        "body_en": "Dear all,\nJoin us at 6 pm.\nDetails: https://example.org/evening",
        "subject_fr": "",
        "body_fr": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def send(client: Client, program: Program, **fields: Any):
    """POST the form as the coordinator; the worker's task runs on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(new_url(program), message(**fields))


def person(program: Program, role: str = Role.MENTEE, **user: Any) -> User:
    member = UserFactory(**user)
    MembershipFactory(program=program, user=member, role=role)
    return member

"""The persona world of the workspace: the pair, their coordinator, and everyone else."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess, get_mentorship_for
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Program, Role
from tests.factories import UserFactory, logged_in_client
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, MilestoneFactory, ProgramFactory

PERSONAS = (
    "anonymous",
    "mentee",
    "mentor",
    "coordinator",
    "other_coordinator",
    "staff",
    "outsider",
)
PAIR = ("mentee", "mentor")


@dataclass
class World:
    program: Program
    mentorship: Mentorship
    mentee: User
    mentor: User
    coordinator: User
    other_coordinator: User
    staff: User
    outsider: User

    def client_for(self, persona: str) -> Client:
        return logged_in_client(None if persona == "anonymous" else getattr(self, persona))

    def access(self, persona: str) -> MentorshipAccess:
        return get_mentorship_for(getattr(self, persona), self.mentorship.uuid)

    def refresh(self) -> Mentorship:
        self.mentorship.refresh_from_db()
        return self.mentorship


@pytest.fixture
def world(db) -> World:
    program = ProgramFactory(name_en="Ottawa Student Mentorship", cycle_start=None, cycle_end=None)
    MilestoneFactory(program=program, kind="first_meeting", due_after_days=14)
    MilestoneFactory(
        program=program, kind="agreement_signed", label_en="Agreement", due_after_days=30
    )
    mentee = MembershipFactory(program=program, role=Role.MENTEE, user__name="Amira Haddad").user
    mentor = MembershipFactory(program=program, role=Role.MENTOR, user__name="Jean Tremblay").user
    coordinator = MembershipFactory(
        program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
    ).user
    other_program = ProgramFactory()
    other_coordinator = MembershipFactory(program=other_program, role=Role.COORDINATOR).user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    return World(
        program=program,
        mentorship=mentorship,
        mentee=mentee,
        mentor=mentor,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        staff=UserFactory(is_staff=True, is_superuser=True, name="Site Staff"),
        outsider=UserFactory(name="Olivia Outsider"),
    )

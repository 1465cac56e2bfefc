"""The persona world every programs test can walk."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from medmentor.accounts.models import User
from medmentor.programs.models import Program, Role
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory, ProgramFactory

# Who gets what on a coordinator page of ``world.program``.
ALLOWED, FORBIDDEN, NOT_FOUND, LOGIN = "allowed", "forbidden", "not found", "login"
COORDINATOR_MATRIX = {
    "anonymous": LOGIN,
    "mentee": FORBIDDEN,
    "mentor": FORBIDDEN,
    "coordinator": ALLOWED,
    "other_coordinator": NOT_FOUND,
    "staff": NOT_FOUND,
    "outsider": NOT_FOUND,
}


@dataclass
class World:
    program: Program
    other_program: Program
    mentee: User
    mentor: User
    coordinator: User
    other_coordinator: User
    staff: User
    outsider: User

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        return client


@pytest.fixture
def world(db) -> World:
    program = ProgramFactory(name_en="Ottawa Student Mentorship 2026-2027")
    other_program = ProgramFactory(name_en="Saskatchewan Synergy")
    mentee = MembershipFactory(program=program, role=Role.MENTEE).user
    mentor = MembershipFactory(program=program, role=Role.MENTOR).user
    coordinator = MembershipFactory(
        program=program, role=Role.COORDINATOR, user__name="Dr. Claire Coordinator"
    ).user
    other_coordinator = MembershipFactory(program=other_program, role=Role.COORDINATOR).user
    staff = UserFactory(is_staff=True, is_superuser=True)
    return World(
        program=program,
        other_program=other_program,
        mentee=mentee,
        mentor=mentor,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        staff=staff,
        outsider=UserFactory(),
    )


@pytest.fixture
def program_creator(db) -> User:
    """Someone the staff allowed to create programs."""
    user = UserFactory(name="Dr. Program Creator")
    user.user_permissions.add(Permission.objects.get(codename="add_program"))
    return User.objects.get(pk=user.pk)

"""The persona worlds the tests of programs and of the apps lifted out of it walk
(requests, concerns, match rounds, imports). Loaded for the whole suite by
``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from medmentor.accounts.models import User
from medmentor.programs.models import Role
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.programs.personas import World
from tests.requests.requests_support import RequestWorld, build_request_world


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


@pytest.fixture
def rworld(db) -> RequestWorld:
    """The persona world around a program that takes direct requests, with three mentors."""
    return build_request_world()

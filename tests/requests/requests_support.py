"""What the tests of direct requests and concerns share: mentors with profiles, a program
in direct-request mode with the persona world around it."""

from __future__ import annotations

from dataclasses import dataclass

from medmentor.accounts.models import User
from medmentor.profiles.models import CareerStage, Goal, Profile
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Program, Role
from medmentor.requests.models import RequestCascade
from medmentor.requests.services import request_send
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.programs.personas import World

MESSAGE = "I am a PGY-2 in family medicine and would value your advice on rural practice."


def make_mentor(
    user: User, *, capacity: int = 2, accepting: bool = True, stage: str = "mid-career"
) -> User:
    """Give ``user`` a complete mentor profile with ``capacity`` places."""
    profile = profile_get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(
        is_mentor=True,
        mentor_capacity=capacity,
        accepting_mentees=accepting,
        is_complete=True,
        display_name=user.name,
        career_stage=CareerStage.objects.get(code=stage),
    )
    return User.objects.get(pk=user.pk)


def make_mentee(user: User, *, stage: str = "resident-pgy2") -> User:
    profile = profile_get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(
        is_mentee=True, career_stage=CareerStage.objects.get(code=stage), display_name=user.name
    )
    return User.objects.get(pk=user.pk)


def mentor_in(program: Program, name: str, **kwargs: object) -> User:
    user = MembershipFactory(program=program, role=Role.MENTOR, user__name=name).user
    return make_mentor(user, **kwargs)  # type: ignore[arg-type]


def profile_uuid(user: User) -> str:
    return str(Profile.objects.get(user=user).uuid)


def goal_code() -> str:
    return Goal.objects.active().order_by("position", "code").first().code


def send(program: Program, mentee: User, *mentors: User, message: str = MESSAGE) -> RequestCascade:
    return request_send(
        program=program,
        mentee=mentee,
        mentors=list(mentors),
        message=message,
        goals=[goal_code()],
    )


@dataclass
class RequestWorld(World):
    """The programs persona world, its program taking direct requests, three mentors."""

    second: User
    third: User


def build_request_world() -> RequestWorld:
    """Each test module wraps this in its own ``rworld`` fixture."""
    program = ProgramFactory(
        name_en="Ottawa Residents Mentorship",
        matching_mode="requests",
        max_open_requests=2,
        request_cascade_days=7,
        audience="residents",
    )
    other_program = ProgramFactory(name_en="Saskatchewan Synergy", matching_mode="requests")
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__name="Amira Haddad", career_stage="resident"
    ).user
    make_mentee(mentee)
    return RequestWorld(
        program=program,
        other_program=other_program,
        mentee=mentee,
        mentor=mentor_in(program, "Jean Tremblay"),
        second=mentor_in(program, "Marie Gagnon"),
        third=mentor_in(program, "Kwame Mensah"),
        coordinator=MembershipFactory(
            program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
        ).user,
        other_coordinator=MembershipFactory(program=other_program, role=Role.COORDINATOR).user,
        staff=UserFactory(is_staff=True, is_superuser=True, name="Site Staff"),
        outsider=UserFactory(name="Olivia Outsider"),
    )

"""The persona world of office hours: a mentor who offers them in a program, two mentees
of that program, its coordinator, staff and an outsider. Times are fixed: Monday 2 March
2026, 10:00 in Toronto (the site's zone; summer time starts on Sunday 8 March)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from medmentor.accounts.models import User
from medmentor.officehours.models import Booking, OfficeHours, Slot
from medmentor.officehours.services.bookings import booking_create
from medmentor.officehours.services.offers import office_hours_open
from medmentor.profiles.models import Profile
from medmentor.programs.models import Program, Role
from tests.factories import UserFactory, logged_in_client
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee, mentor_in

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
QUESTION = "How do I negotiate my first contract?"
PERSONAS = ("anonymous", "mentee", "mentor", "other_mentee", "coordinator", "staff", "outsider")


def offer_values(**overrides: Any) -> dict[str, Any]:
    """Mondays and Wednesdays at 9:00, two slots of 30 minutes, 3 to 31 March, bookable
    14 days ahead, 3 a week."""
    return {
        "duration_minutes": 30,
        "modality": "video",
        "place": "https://meet.example.org/jean",
        "weekdays": [0, 2],
        "start_time": time(9, 0),
        "slots_in_row": 2,
        "starts_on": date(2026, 3, 3),
        "ends_on": date(2026, 3, 31),
        "horizon_days": 14,
        "max_per_week": 3,
        "topic": "Contracts and first jobs",
        **overrides,
    }


def set_zone(user: User, zone: str) -> None:
    Profile.objects.filter(user=user).update(time_zone=zone)


@dataclass
class World:
    program: Program
    other_program: Program
    mentor: User
    mentee: User
    other_mentee: User
    coordinator: User
    staff: User
    outsider: User
    offer: OfficeHours

    def client_for(self, persona: str) -> Client:
        return logged_in_client(None if persona == "anonymous" else getattr(self, persona))

    def slots(self) -> list[Slot]:
        return list(self.offer.slots.order_by("starts_at"))

    def book(self, slot: Slot | None = None, mentee: User | None = None, **kw: Any) -> Booking:
        return booking_create(
            slot=slot or self.slots()[0],
            mentee=mentee or self.mentee,
            program=kw.pop("program", self.program),
            question=kw.pop("question", QUESTION),
            **kw,
        )


def mentee_in(program: Program, name: str) -> User:
    return make_mentee(MembershipFactory(program=program, role=Role.MENTEE, user__name=name).user)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock) -> World:
    program = ProgramFactory(
        name_en="Ottawa Residents Mentorship", cycle_start=None, cycle_end=None
    )
    other_program = ProgramFactory(name_en="Saskatchewan Synergy")
    mentor = mentor_in(program, "Jean Tremblay")
    offer = office_hours_open(mentor=mentor, programs=[program], **offer_values())
    return World(
        program=program,
        other_program=other_program,
        mentor=mentor,
        mentee=mentee_in(program, "Amira Haddad"),
        other_mentee=mentee_in(program, "Omar Other"),
        coordinator=MembershipFactory(
            program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
        ).user,
        staff=UserFactory(is_staff=True, is_superuser=True, name="Site Staff"),
        outsider=UserFactory(name="Olivia Outsider"),
        offer=offer,
    )

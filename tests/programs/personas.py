"""The persona world of the programs tests: who is who around a program, and what each
may reach on a coordinator page."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from medmentor.accounts.models import User
from medmentor.programs.models import Program
from tests.factories import logged_in_client

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
        return logged_in_client(None if persona == "anonymous" else getattr(self, persona))


# Every persona of the world, for tests that walk them all.
PERSONAS = tuple(COORDINATOR_MATRIX)

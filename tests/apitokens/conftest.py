"""People and programs for the API-token tests: Claire coordinates Ottawa; Amira is a
mentee there; Sam coordinates Saskatoon."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from medmentor.accounts.models import User
from medmentor.apitokens.services import CreatedToken, token_create
from medmentor.programs.models import Program, Role
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee


@dataclass
class TokenWorld:
    ottawa: Program
    saskatoon: Program
    claire: User  # coordinates Ottawa
    amira: User  # a mentee in Ottawa
    sam: User  # coordinates Saskatoon


@pytest.fixture
def tworld(db) -> TokenWorld:
    ottawa = ProgramFactory(name_en="Ottawa Residents Mentorship")
    saskatoon = ProgramFactory(name_en="Saskatoon Synergy")
    claire = MembershipFactory(
        program=ottawa, role=Role.COORDINATOR, user__name="Claire Coordinator"
    ).user
    amira = MembershipFactory(program=ottawa, role=Role.MENTEE, user__name="Amira Haddad").user
    make_mentee(amira)
    sam = MembershipFactory(
        program=saskatoon, role=Role.COORDINATOR, user__name="Sam Elsewhere"
    ).user
    return TokenWorld(ottawa=ottawa, saskatoon=saskatoon, claire=claire, amira=amira, sam=sam)


def make_token(
    owner: User, *, scope: str = "read", days: int = 90, program: Program | None = None
) -> CreatedToken:
    return token_create(owner=owner, name="My script", scope=scope, days=days, program=program)


def bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def api_client() -> Client:
    """No cookie, CSRF enforced as in a browser: a token's call must pass without it."""
    return Client(enforce_csrf_checks=True)

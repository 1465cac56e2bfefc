"""Reads: a person's tokens, a program's tokens, one of them for the page that revokes it."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.apitokens.models import ApiToken
from medmentor.programs.models import Membership, Program, Role, Status


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Every token the person made, personal and program-scoped."""
    return ApiToken.objects.filter(owner=user).select_related("program", "revoked_by")


def tokens_of_program(program: Program) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(program=program).select_related("owner", "revoked_by")


def get_own_token(user: User, token_uuid: UUID | str) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    token = tokens_of(user).filter(uuid=token_uuid).first()
    if token is None:
        raise Http404
    return token


def get_program_token(program: Program, token_uuid: UUID | str) -> ApiToken:
    """A token of a program the caller already manages; else 404."""
    token = tokens_of_program(program).filter(uuid=token_uuid).first()
    if token is None:
        raise Http404
    return token


def find_token(digest: str) -> ApiToken | None:
    return ApiToken.objects.select_related("owner", "program").filter(digest=digest).first()


def coordinates(user: User, program: Program) -> bool:
    """Whether the person is an active coordinator of the program now."""
    return Membership.objects.filter(
        program=program, user=user, role=Role.COORDINATOR, status=Status.ACTIVE
    ).exists()

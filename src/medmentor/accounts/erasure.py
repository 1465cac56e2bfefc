"""Erasure (privacy law's right to be forgotten): each app removes what is the departing
person's and keeps what is someone else's, through the handler it registers here when it
starts (``AppConfig.ready``); ``account_delete`` runs them all, then deletes the account.

A handler gets the departing person and the former-member placeholder, which takes their
place in records that belong to others as well (a mentorship, for the partner).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import make_password

from medmentor.accounts.models import FORMER_MEMBER_EMAIL, User

Eraser = Callable[[User, User], None]
_ERASERS: list[Eraser] = []


def register_eraser(eraser: Eraser) -> None:
    if eraser not in _ERASERS:
        _ERASERS.append(eraser)


def former_member() -> User:
    """The one placeholder account: inactive, no usable password, no address of anyone."""
    user, _created = User.objects.get_or_create(
        email=FORMER_MEMBER_EMAIL,
        defaults={"is_active": False, "password": make_password(None)},
    )
    return user


def erase_everywhere(person: User) -> None:
    former = former_member()
    for eraser in _ERASERS:
        eraser(person, former)

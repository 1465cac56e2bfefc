"""Confidential text encrypted at rest (notes, messages, private reasons).

The keys come from ``NOTES_ENCRYPTION_KEY`` (settings): a comma-separated list of Fernet
keys; the first encrypts, every one decrypts (``MultiFernet``), so a key is rotated by
putting the new one first and running ``medmentor rotate-notes-key``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    # django-stubs makes fields generic (what may be set, what is read); Django's classes
    # cannot be subscripted at run time, so the parameters are for the type checker only.
    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.NOTES_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as problem:
        raise ValueError("no configured key decrypts this value") from problem


def rotate(stored: str) -> str:
    """The same text encrypted with the first key."""
    token = fernet().rotate(stored[len(PREFIX) :].encode("ascii"))
    return PREFIX + token.decode("ascii")


class EncryptedTextField(_TextField):
    """Text the database only ever holds encrypted; Python code sees plain text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

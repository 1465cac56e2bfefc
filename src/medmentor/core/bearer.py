"""Secrets handed to a person or a machine once and kept only as a digest: API tokens,
SCIM tokens, calendar-feed addresses.

A secret reads ``<prefix>_<random>`` so that a leaked one is recognised by secret scanners
and by people ("mm_pat_..." is a MedMentor personal token). Each is 256 random bits, so a
plain SHA-256 digest is enough to store it (a password hash's slowness protects guessable
secrets; these are not guessable) and lets a request find its token by an indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

DIGEST_LENGTH = 64  # hex characters of a SHA-256 digest: the model field's max_length


@dataclass(frozen=True)
class NewSecret:
    plaintext: str  # shown once, never stored
    digest: str  # what the database keeps
    hint: str  # the first characters, so that people can tell their tokens apart


def digest_of(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def new_secret(prefix: str) -> NewSecret:
    plaintext = f"{prefix}_{secrets.token_urlsafe(32)}"
    return NewSecret(
        plaintext=plaintext, digest=digest_of(plaintext), hint=plaintext[: len(prefix) + 5]
    )

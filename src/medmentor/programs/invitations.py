"""Invitation links: signed, expiring, and revoked together when the program's nonce changes.

A token carries the program, the role and the program's current nonce, with an expiry
date; ``django.core.signing`` guards it against tampering. Regenerating the nonce
(``program_invitations_revoke``) makes every earlier link invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.programs.models import PARTICIPANT_ROLES, Program

SALT = "medmentor.programs.invitation"
DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 365


class InvitationInvalid(Exception):
    """The link is malformed, tampered with, revoked or expired; the message says which."""


@dataclass(frozen=True)
class Invitation:
    program: Program
    role: str
    expires_on: date


def invitation_token(program: Program, role: str, *, valid_days: int = DEFAULT_VALID_DAYS) -> str:
    expires_on = timezone.localdate() + timedelta(days=valid_days)
    payload = {
        "p": str(program.uuid),
        "r": role,
        "n": program.invitation_nonce,
        "e": expires_on.isoformat(),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def invitation_expiry(token: str) -> date:
    return date.fromisoformat(signing.loads(token, salt=SALT)["e"])


def invitation_read(token: str) -> Invitation:
    try:
        payload = signing.loads(token, salt=SALT)
        program = Program.objects.filter(uuid=payload["p"]).first()
        role = payload["r"]
        expires_on = date.fromisoformat(payload["e"])
        nonce = payload["n"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvitationInvalid(_("This invitation link is not valid.")) from error
    if program is None or role not in PARTICIPANT_ROLES:
        raise InvitationInvalid(_("This invitation link is not valid."))
    if nonce != program.invitation_nonce:
        raise InvitationInvalid(_("This invitation link has been withdrawn by the program."))
    if expires_on < timezone.localdate():
        raise InvitationInvalid(_("This invitation link has expired."))
    return Invitation(program=program, role=role, expires_on=expires_on)

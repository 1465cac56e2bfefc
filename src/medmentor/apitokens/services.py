"""Making, revoking and accepting API tokens.

A request with a token acts as the token's owner: every permission check of the API then
applies unchanged. On top of them a token is refused (nothing changed, the refusal logged
without the secret) when it is malformed, unknown, revoked or expired (401), when its
owner stopped coordinating the program it is for (401), when it is read-only and the
method writes (403), when it is for one program and the operation names another or none
(403), and past its rate (429).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.apitokens import selectors
from medmentor.apitokens.models import PERSONAL_PREFIX, PROGRAM_PREFIX, ApiToken, Scope
from medmentor.core.bearer import digest_of, new_secret
from medmentor.core.ratelimit import Rate
from medmentor.programs.models import Program

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 90
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# <prefix>_<43 url-safe characters>: what core.bearer.new_secret makes.
TOKEN_FORM = re.compile(rf"^(?:{PERSONAL_PREFIX}|{PROGRAM_PREFIX})_[A-Za-z0-9_-]{{43}}$")


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    plaintext: str  # shown once, on the page after creation; never stored


def max_days() -> int:
    return int(settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(
    *,
    owner: User,
    name: str,
    scope: str,
    days: int = DEFAULT_DAYS,
    program: Program | None = None,
) -> CreatedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    if not 1 <= days <= max_days():
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": max_days()}}
        )
    if program is not None and not selectors.coordinates(owner, program):
        raise ValidationError(_("Only a coordinator of the program may make its tokens."))
    secret = new_secret(PROGRAM_PREFIX if program is not None else PERSONAL_PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        name=name[:100],
        owner=owner,
        program=program,
        scope=scope,
        digest=secret.digest,
        hint=secret.hint,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    logger.info(
        "API token %s (%s, %s) created by user %s%s",
        token.uuid,
        token.hint,
        scope,
        owner.pk,
        f" for program {program.uuid}" if program else "",
    )
    if program is not None:
        access_log(
            actor=owner,
            action=Action.CHANGE,
            what=What.PROGRAM_SETTINGS,
            program=program,
            detail=f"API token created: {token.name} ({token.hint}…, {scope})",
        )
    return CreatedToken(token=token, plaintext=secret.plaintext)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revokes a live token at once (an already revoked one is left as it was)."""
    token = (
        ApiToken.objects.select_for_update(of=("self",)).select_related("program").get(pk=token.pk)
    )
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("API token %s (%s) revoked by user %s", token.uuid, token.hint, by.pk)
    if token.program is not None:
        access_log(
            actor=by,
            action=Action.CHANGE,
            what=What.PROGRAM_SETTINGS,
            program=token.program,
            detail=f"API token revoked: {token.name} ({token.hint}…)",
        )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Notes the token's use, at most once a minute (not a write per request)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# -- Accepting a token on a request ------------------------------------------------------


class TokenRefused(Exception):
    """A token that does not let the request in: ``status`` 401, 403 or 429."""

    def __init__(self, status: int, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def _refuse(status: int, message: str, why: str, token: ApiToken | None = None) -> TokenRefused:
    logger.warning(
        "API token refused (%s): %s%s",
        status,
        why,
        f" [token {token.uuid} {token.hint}, user {token.owner_id}]" if token else "",
    )
    return TokenRefused(status, message)


def token_authenticate(*, plaintext: str, method: str, program_uuid: UUID | str | None) -> ApiToken:
    """The token behind ``plaintext`` if it lets this request in, its use noted; else
    :class:`TokenRefused`. ``program_uuid`` is the program the operation's path names."""
    if not TOKEN_FORM.match(plaintext):
        raise _refuse(
            401,
            _("The API token is malformed: give it as mm_pat_… or mm_prg_…, whole."),
            "malformed",
        )
    token = selectors.find_token(digest_of(plaintext))
    if token is None or not token.owner.is_active:
        raise _refuse(401, _("This API token is unknown."), "unknown")
    if token.revoked_at is not None:
        raise _refuse(401, _("This API token was revoked."), "revoked", token)
    if token.is_expired:
        raise _refuse(401, _("This API token has expired."), "expired", token)
    program = token.program
    if program is not None and not selectors.coordinates(token.owner, program):
        raise _refuse(
            401,
            _("This API token no longer works: its owner no longer coordinates %(program)s.")
            % {"program": program.name},
            "owner no longer coordinates",
            token,
        )
    limit, period = settings.API_TOKEN_RATE
    wait = Rate(limit=limit, period=period).wait(scope="api_token", key=str(token.uuid))
    if wait:
        refused = _refuse(
            429, _("Too many requests with this API token: try again later."), "rate", token
        )
        refused.retry_after = wait
        raise refused
    if method.upper() not in SAFE_METHODS and not token.allows_writes:
        raise _refuse(
            403,
            _("This API token is read-only: it cannot make changes."),
            f"read-only token on {method}",
            token,
        )
    if program is not None and str(program_uuid or "") != str(program.uuid):
        raise _refuse(
            403,
            _("This token is for %(program)s only.") % {"program": program.name},
            "outside its program",
            token,
        )
    token_touch(token=token)
    return token

"""The access log (DOMAIN.md: "log access"): who looked at, exported or changed whose data,
when, and from which address.

Views and API endpoints log what a coordinator or staff member is shown; services log the
changes they make, so that a change through the site, the API or a command is logged the
same way. The address is the current request's, as the rate limits see it (behind
``TRUSTED_PROXY_COUNT`` proxies): allauth's middleware keeps the request at hand for the
whole of it, and a command or a background task has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from uuid import UUID

from allauth.core import context
from allauth.core.internal.httpkit import get_client_ip
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from medmentor.accounts.models import AccessLogEntry, User

Action = AccessLogEntry.Action
What = AccessLogEntry.What


class ProgramLike(Protocol):
    uuid: UUID

    @property
    def name(self) -> str: ...


def current_address() -> str | None:
    request = context.request
    if request is None:
        return None
    try:
        address: str | None = get_client_ip(request)
    except ImproperlyConfigured:  # fewer forwarding hops than TRUSTED_PROXY_COUNT says
        return None
    return address


def access_log(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    what: str,
    subjects: Iterable[User | int | None] = (),
    program: ProgramLike | None = None,
    detail: str = "",
) -> int:
    """Write one entry per person whose data it was, or one without a person for a change
    to a program. Looking at one's own data is not an access; changing or exporting it is
    logged like anyone else's. Subjects may be users or user ids; returns how many entries
    were written.
    """
    actor_id = getattr(actor, "pk", None)
    subject_ids: set[int | None] = {
        subject if isinstance(subject, int) else getattr(subject, "pk", None)
        for subject in subjects
    } - {None}
    if action == Action.VIEW:
        subject_ids -= {actor_id}
        if not subject_ids:
            return 0
    if not subject_ids:
        subject_ids = {None}
    common = {
        "actor_id": actor_id,
        # The account's own name, never its address: the person may not know it.
        "actor_name": getattr(actor, "name", "")[:150],
        "action": action,
        "what": what,
        "program_uuid": program.uuid if program else None,
        "program_name": program.name[:200] if program else "",
        "detail": detail[:300],
        "address": current_address(),
    }
    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(subject_id=subject_id, **common) for subject_id in subject_ids],
        batch_size=500,
    )
    return len(subject_ids)

"""A person's own data, to see and take away (PIPEDA, Law 25): everything they wrote or
that concerns them, gathered from every app.

Each app registers the sections it holds when it starts (``AppConfig.ready``); the export
is one JSON document, ``{"format", "version", "exported_at", "person", "sections"}``, whose
sections are documented in docs/personal-data-export.md. Other people appear by the name
the person knew them by, never by their address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import DataExport, User
from medmentor.accounts.selectors import access_log_of
from medmentor.core.email import email_send, render_email

FORMAT, VERSION = "medmentor.personal-data", 1
# The sections in the order the export and its readable page show them.
ORDER = ("account", "profile", "programs", "mentorships", "notifications", "directory")

Section = Callable[[User], Any]
_SECTIONS: dict[str, list[Section]] = {}


def register_export_section(name: str, section: Section) -> None:
    """Add an app's part to the export's section ``name``. Several apps may fill one
    section (programs: its memberships, the requests app's requests, the rounds' picks
    and proposals), each with its own keys, so the format does not follow the code's
    layout."""
    parts = _SECTIONS.setdefault(name, [])
    if section not in parts:
        parts.append(section)


def _section(user: User, parts: list[Section]) -> Any:
    if len(parts) == 1:
        return parts[0](user)
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part(user))
    return merged


def personal_data_of(user: User) -> dict[str, Any]:
    """The whole export, as plain JSON values."""
    names = sorted(_SECTIONS, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "person": str(user.uuid),
        "sections": {name: plain(_section(user, _SECTIONS[name])) for name in names},
    }


def plain(value: Any) -> Any:
    """Dates, times and UUIDs as ISO text; everything else as JSON already has it."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def account_section(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "second_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "access_log": [
            {
                "at": entry.at,
                "who": entry.who,
                "action": entry.action,
                "what": entry.what,
                "program": entry.program_name,
                "detail": entry.detail,
            }
            for entry in access_log_of(user)
        ],
    }


@transaction.atomic
def data_export_build(*, export: DataExport) -> DataExport:
    export.data = personal_data_of(export.user)
    export.ready_at = timezone.now()
    export.expires_at = export.ready_at + timedelta(days=settings.EXPORT_RETENTION_DAYS)
    export.save(update_fields=["data", "ready_at", "expires_at"])
    user = export.user
    context = {"export": export, "url": f"{settings.SITE_URL}{reverse('accounts:data')}"}
    email = render_email("accounts/email/export_ready", context, language=user.language)
    transaction.on_commit(lambda: email_send(email, to=user.email))
    return export


@dataclass(frozen=True)
class Node:
    """One value of an export as the readable page shows it: a group of named values, a
    list, or a piece of text."""

    kind: str  # "group", "list" or "text"
    text: str = ""
    items: tuple[tuple[str, Node], ...] = ()  # (name, value) of a group; ("", value) of a list


def readable(value: Any) -> Node:
    if isinstance(value, dict):
        return Node(
            "group", items=tuple((str(k).replace("_", " "), readable(v)) for k, v in value.items())
        )
    if isinstance(value, list):
        return Node("list", items=tuple(("", readable(v)) for v in value))
    if value is None or value == "":
        return Node("text", "\u2013")  # an en dash: nothing
    if isinstance(value, bool):
        return Node("text", str(_("Yes") if value else _("No")))
    return Node("text", str(value))

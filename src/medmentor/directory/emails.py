"""The directory's e-mails: subject, text and HTML templates, in the recipient's language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings

from medmentor.core.email import email_send, render_email


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_directory_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Renders ``directory/email/<template>_subject.txt``, ``.txt`` and ``.html``; sends it."""
    email = render_email(
        f"directory/email/{template}",
        {**context, "site_url": settings.SITE_URL},
        language=language,
    )
    email_send(replace(email, subject=f"[MedMentor] {email.subject}"), to=to)

"""The directory's e-mails: subject, text and HTML templates, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from medmentor.core.email import render_email


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_directory_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Renders ``directory/email/<template>_subject.txt``, ``.txt`` and ``.html``; sends it."""
    email = render_email(
        f"directory/email/{template}",
        {**context, "site_url": settings.SITE_URL},
        language=language,
    )
    message = EmailMultiAlternatives(
        subject=f"[MedMentor] {email.subject}",
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(email.html, "text/html")
    message.send()

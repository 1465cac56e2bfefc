"""The directory's e-mails: subject, text and HTML templates, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_directory_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Renders ``directory/email/<template>_{subject,message}.{txt,html}`` and sends it."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"directory/email/{template}_subject.txt", context)
        text = render_to_string(f"directory/email/{template}_message.txt", context)
        html = render_to_string(f"directory/email/{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=f"[MedMentor] {' '.join(subject.split())}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    message.send()

"""Background work: invitations to people who are not on the site yet."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_guest_invitation(address: str, subject: str, body: str, body_html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=[address])
    message.attach_alternative(body_html, "text/html")
    message.send()

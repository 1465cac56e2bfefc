"""Background work: invitations to people who are not on the site yet."""

from __future__ import annotations

from django_tasks import task

from medmentor.core.email import RenderedEmail, email_send


@task()
def send_guest_invitation(address: str, subject: str, body: str, body_html: str) -> None:
    email_send(RenderedEmail(subject=subject, text=body, html=body_html), to=address)

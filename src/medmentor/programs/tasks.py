"""Background work: invitations to people who are not on the site yet, match rounds."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from medmentor.programs.services.rounds.execute import round_execute
from medmentor.programs.services.rounds.notify import proposals_notify_published


@task()
def send_guest_invitation(address: str, subject: str, body: str, body_html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=[address])
    message.attach_alternative(body_html, "text/html")
    message.send()


@task()
def run_match_round(match_round_id: int) -> None:
    """Run one match round (queued by ``round_start``); the round records its progress,
    its result or its error."""
    round_execute(match_round_id=match_round_id)


@task()
def notify_round_published(match_round_id: int) -> None:
    """Tell both people of each published proposal (one task, not one request, for a
    round of thousands of pairs)."""
    proposals_notify_published(match_round_id=match_round_id)

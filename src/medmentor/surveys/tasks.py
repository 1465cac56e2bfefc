"""Background work of surveys: inviting a whole segment, which may be thousands."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from medmentor.surveys.services.sending import survey_invite_segment


@task()
def survey_deliver(survey_id: int) -> int:
    """Invite the survey's segment; a second run invites nobody twice."""
    return survey_invite_segment(survey_id=survey_id, now=timezone.now())

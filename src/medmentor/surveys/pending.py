"""What the surveys app asks of a participant next: surveys they were sent and have not
answered, while they are open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.core.actions import PendingAction
from medmentor.surveys.selectors import waiting_invitations


def surveys_pending_actions(user: User) -> list[PendingAction]:
    return [
        PendingAction(
            _("Answer the survey “%(title)s” of %(program)s")
            % {"title": invitation.survey.title, "program": invitation.survey.program.name},
            reverse("surveys:answer", args=[invitation.uuid]),
            due=invitation.survey.closes_on,
        )
        for invitation in waiting_invitations(user)
    ]

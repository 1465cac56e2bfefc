"""What the requests app asks of a person next, for their dashboard: requests waiting
for their answer, due first."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.core.actions import PendingAction
from medmentor.requests.models import Request, RequestStatus


def requests_pending_actions(user: User) -> list[PendingAction]:
    """Requests waiting for ``user``'s answer as a mentor."""
    actions = []
    requests = Request.objects.filter(mentor=user, status=RequestStatus.PENDING).select_related(
        "mentee"
    )
    for request in requests:
        actions.append(
            PendingAction(
                _("%(name)s asks you to be their mentor") % {"name": request.mentee},
                reverse("requests:requests_received"),
                due=timezone.localdate(request.due_at) if request.due_at else None,
            )
        )
    return actions

"""The requests app's part of a person's export of their own data (in the ``programs``
section, where the format has always had it): requests sent and received."""

from __future__ import annotations

from typing import Any

from medmentor.accounts.models import User
from medmentor.profiles.selectors import display_name_of
from medmentor.requests.models import Request, RequestCascade


def requests_export(user: User) -> dict[str, Any]:
    return {
        "requests_sent": _requests_sent(user),
        "requests_received": [
            {
                "program": request.program.name,
                "from": display_name_of(request.mentee),
                "message": request.message,
                "goals": request.goals,
                "goals_in_their_words": request.goals_note,
                "status": request.status,
                "sent_at": request.sent_at,
                "answered_at": request.answered_at,
                "my_private_reason": request.decline_reason,
            }
            for request in Request.objects.filter(mentor=user).select_related("program", "mentee")
        ],
    }


def _requests_sent(user: User) -> list[dict[str, Any]]:
    rows = []
    cascades = RequestCascade.objects.filter(mentee=user).select_related("program")
    for cascade in cascades.prefetch_related("requests__mentor"):
        rows.append(
            {
                "program": cascade.program.name,
                "message": cascade.message,
                "goals": cascade.goals,
                "goals_in_my_words": cascade.goals_note,
                "status": cascade.status,
                "sent_at": cascade.created_at,
                "closed_at": cascade.closed_at,
                "mentors_asked": [
                    {
                        "mentor": display_name_of(request.mentor),
                        "status": request.mentee_status_label,
                        "sent_at": request.sent_at,
                        "answered_at": request.answered_at,
                    }
                    for request in cascade.requests.order_by("position")
                ],
            }
        )
    return rows

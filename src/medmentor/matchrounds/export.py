"""The match rounds' part of a person's export of their own data (in the ``programs``
section): the picks they made and the proposals made to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medmentor.accounts.models import User
from medmentor.matchrounds.models import Pick, Proposal
from medmentor.profiles.selectors import display_name_of


def matchrounds_export(user: User) -> dict[str, Any]:
    return {
        "picks": [
            {
                "program": pick.program.name,
                "as": pick.role,
                "person": display_name_of(pick.chosen),
                "rank": pick.rank,
                "created_at": pick.created_at,
            }
            for pick in Pick.objects.filter(chooser=user).select_related("program", "chosen")
        ],
        "proposals": _proposals(user),
    }


def _proposals(user: User) -> list[dict[str, Any]]:
    rows = []
    mine = Proposal.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "round__program", "mentee", "mentor"
    )
    for proposal in mine.exclude(status="proposed"):
        role = proposal.role_of(user.pk)
        other = proposal.mentor if role == "mentee" else proposal.mentee
        rows.append(
            {
                "program": proposal.round.program.name,
                "published_at": proposal.round.published_at,
                "as": role,
                "with": display_name_of(other),
                "score": proposal.score,
                "reasons": proposal.reasons,
                "status": proposal.status,
                "my_answer": proposal.response_of(role),
                "my_private_reason": getattr(proposal, f"{role}_reason"),
            }
        )
    return rows

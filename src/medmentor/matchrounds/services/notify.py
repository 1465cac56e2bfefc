"""Telling people about their proposals: published, declined by the other side, failed.

A decline's reason is private: the other side learns only that the proposal is declined.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.matchrounds.models import Proposal, ProposalStatus
from medmentor.matchrounds.selectors.rounds import localize, localized
from medmentor.notifications.services import notification_send
from medmentor.programs.emails import WORDING_TEMPLATE, program_wording, role_label
from medmentor.programs.models import EmailKey, Role


def proposal_url(proposal: Proposal) -> str:
    return reverse("matchrounds:proposal", args=[proposal.uuid])


def _send(proposal: Proposal, recipient: User, template: str) -> None:
    role = proposal.role_of(recipient.pk)
    other = proposal.mentor if role == Role.MENTEE else proposal.mentee
    context = {
        "proposal": proposal,
        "program": proposal.round.program,
        "role": role,
        "other": other,
        "reasons": [localize(r, recipient.language) for r in proposal.reasons[:4]],
        "failure": proposal.failure,
    }
    path = f"matchrounds/email/{template}"
    if template == "proposal":  # the program's own wording, which its coordinator may edit
        path = WORDING_TEMPLATE
        context["wording"] = program_wording(
            proposal.round.program,
            EmailKey.ROUND_PUBLISHED,
            {
                "name": recipient.get_full_name(),
                "other": other.get_full_name(),
                "role": role_label(role),
                "reasons": lambda: "; ".join(localized(proposal.reasons[:4])),
                "link": proposal_url(proposal),
            },
            variant=role,
        )
    notification_send(
        recipient=recipient,
        kind=f"programs.{template}",
        template=path,
        context=context,
        url=proposal_url(proposal),
    )


@transaction.atomic
def proposals_notify_published(*, match_round_id: int) -> int:
    """Notify both people of every published proposal of the round; return how many."""
    proposals = Proposal.objects.filter(
        round_id=match_round_id, status=ProposalStatus.PUBLISHED
    ).select_related("mentee", "mentor", "round__program")
    sent = 0
    for proposal in proposals:
        for person in (proposal.mentee, proposal.mentor):
            _send(proposal, person, "proposal")
            sent += 1
    return sent


def proposal_notify_declined(*, proposal: Proposal, by: User) -> None:
    other = proposal.mentor if by.pk == proposal.mentee_id else proposal.mentee
    _send(proposal, other, "proposal_declined")


def proposal_notify_failed(*, proposal: Proposal) -> None:
    for person in (proposal.mentee, proposal.mentor):
        _send(proposal, person, "proposal_failed")

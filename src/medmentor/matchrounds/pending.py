"""What match rounds ask of people next, for their dashboard: published proposals to
answer; for coordinators, rounds ready for review."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from medmentor.accounts.models import User
from medmentor.core.actions import PendingAction
from medmentor.matchrounds.models import MatchRound, Proposal, ProposalStatus, Response, RoundStatus
from medmentor.programs.models import Program
from medmentor.programs.pending import per_program_actions


def proposals_pending_actions(user: User) -> list[PendingAction]:
    """Published proposals ``user`` has not answered."""
    actions = []
    proposals = Proposal.objects.filter(
        Q(mentee=user, mentee_response=Response.PENDING)
        | Q(mentor=user, mentor_response=Response.PENDING),
        status=ProposalStatus.PUBLISHED,
        round__status=RoundStatus.PUBLISHED,
    ).select_related("mentee", "mentor", "round__program")
    for proposal in proposals:
        as_mentee = proposal.mentee_id == user.pk
        text = (
            _("%(program)s proposes %(name)s as your mentor: accept or decline")
            if as_mentee
            else _("%(program)s proposes that you mentor %(name)s: accept or decline")
        )
        other = proposal.mentor if as_mentee else proposal.mentee
        actions.append(
            PendingAction(
                text % {"program": proposal.round.program.name, "name": other},
                reverse("matchrounds:proposal", args=[proposal.uuid]),
            )
        )
    return actions


def rounds_pending_actions(programs: Sequence[Program]) -> list[PendingAction]:
    return per_program_actions(
        MatchRound.objects.filter(status=RoundStatus.READY),
        programs,
        ngettext_lazy(
            "%(count)d match round of %(program)s is ready for your review",
            "%(count)d match rounds of %(program)s are ready for your review",
            "count",
        ),
        "matchrounds:rounds",
    )

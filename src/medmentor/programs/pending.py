"""What programs ask of a person next, for their dashboard: proposals and requests to
answer; for coordinators, rounds to review and concerns to look at."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from medmentor.accounts.models import User
from medmentor.core.actions import PendingAction
from medmentor.programs.models import (
    Concern,
    ConcernStatus,
    MatchRound,
    Program,
    Proposal,
    ProposalStatus,
    Request,
    RequestStatus,
    Response,
    RoundStatus,
)


def participant_pending_actions(user: User) -> list[PendingAction]:
    """Published proposals ``user`` has not answered, and requests waiting for them."""
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
                reverse("programs:proposal", args=[proposal.uuid]),
            )
        )
    requests = Request.objects.filter(mentor=user, status=RequestStatus.PENDING).select_related(
        "mentee"
    )
    for request in requests:
        actions.append(
            PendingAction(
                _("%(name)s asks you to be their mentor") % {"name": request.mentee},
                reverse("programs:requests_received"),
                due=timezone.localdate(request.due_at) if request.due_at else None,
            )
        )
    return actions


def coordinator_pending_actions(programs: Sequence[Program]) -> list[PendingAction]:
    """In ``programs`` (annotated by ``selectors.coordinated_overview``): people waiting
    for approval, rounds ready for review, concerns not yet resolved."""
    by_pk = {program.pk: program for program in programs}
    actions = [
        PendingAction(
            ngettext(
                "%(count)d person waits for your approval in %(program)s",
                "%(count)d people wait for your approval in %(program)s",
                program.waiting,
            )
            % {"count": program.waiting, "program": program.name},
            reverse("programs:queue", args=[program.uuid]),
        )
        for program in programs
        if program.waiting
    ]
    ready = MatchRound.objects.filter(status=RoundStatus.READY)
    unresolved = Concern.objects.exclude(status=ConcernStatus.RESOLVED)
    for queryset, text, url_name in (
        (
            ready,
            ngettext_lazy(
                "%(count)d match round of %(program)s is ready for your review",
                "%(count)d match rounds of %(program)s are ready for your review",
                "count",
            ),
            "programs:rounds",
        ),
        (
            unresolved,
            ngettext_lazy(
                "%(count)d concern reported in %(program)s is not resolved",
                "%(count)d concerns reported in %(program)s are not resolved",
                "count",
            ),
            "programs:concerns",
        ),
    ):
        counts = queryset.filter(program__in=programs).values("program").annotate(n=Count("id"))
        for row in counts:
            program = by_pk[row["program"]]
            actions.append(
                PendingAction(
                    text % {"count": row["n"], "program": program.name},
                    reverse(url_name, args=[program.uuid]),
                )
            )
    return actions

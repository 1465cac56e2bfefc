"""A participant's proposals from published match rounds: list, read, accept or decline.
Only the proposal's mentee and mentor reach it (``get_my_proposal``); others get 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.matchrounds.forms import ResponseForm
from medmentor.matchrounds.models import Proposal, ProposalStatus
from medmentor.matchrounds.selectors import rounds as selectors_rounds
from medmentor.matchrounds.services import publish
from medmentor.profiles.selectors import visible_profile_of


@login_required
@require_GET
def my_proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    proposals = list(selectors_rounds.my_proposals(request.user)[:200])
    return render(
        request,
        "matchrounds/rounds/mine.html",
        {
            "rows": [
                {
                    "proposal": p,
                    "role": p.role_of(request.user.pk),
                    "other": p.mentor if p.role_of(request.user.pk) == "mentee" else p.mentee,
                }
                for p in proposals
            ]
        },
    )


def _proposal_page(
    request: AuthenticatedHttpRequest, proposal: Proposal, form: ResponseForm, status: int = 200
) -> HttpResponse:
    role = proposal.role_of(request.user.pk)
    other = proposal.mentor if role == "mentee" else proposal.mentee
    return render(
        request,
        "matchrounds/rounds/proposal.html",
        {
            "proposal": proposal,
            "role": role,
            "other": other,
            # A link to the partner's profile only where its page would open.
            "other_profile": visible_profile_of(request.user, other),
            "mine": proposal.response_of(role),
            "reasons": selectors_rounds.localized(proposal.reasons),
            "form": form,
            "can_answer": proposal.status == ProposalStatus.PUBLISHED
            and proposal.response_of(role) == "pending",
        },
        status=status,
    )


@login_required
@require_GET
def proposal_detail(request: AuthenticatedHttpRequest, proposal_uuid: UUID) -> HttpResponse:
    proposal = selectors_rounds.get_my_proposal(request.user, proposal_uuid)
    return _proposal_page(request, proposal, ResponseForm())


@login_required
@require_POST
def proposal_answer(
    request: AuthenticatedHttpRequest, proposal_uuid: UUID, decision: str
) -> HttpResponse:
    proposal = selectors_rounds.get_my_proposal(request.user, proposal_uuid)
    if decision not in ("accept", "decline"):
        raise Http404
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            proposal = publish.proposal_respond(
                proposal=proposal,
                user=request.user,
                accept=decision == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            texts = {
                ProposalStatus.ACCEPTED: _("You both accepted: your mentorship has started."),
                ProposalStatus.DECLINED: _("You declined this proposal."),
                ProposalStatus.FAILED: _("You both accepted, but the mentorship could not start."),
                ProposalStatus.PUBLISHED: _("You accepted; the other person has not answered yet."),
            }
            messages.success(request, texts[ProposalStatus(proposal.status)])
            return redirect("matchrounds:proposal", proposal.uuid)
    return _proposal_page(request, proposal, form, status=422)

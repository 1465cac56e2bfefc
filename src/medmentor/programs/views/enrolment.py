"""Joining (openly, on request or by invitation link) and leaving a program."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest, current_user
from medmentor.core.forms import add_service_errors
from medmentor.programs import selectors
from medmentor.programs.codes import career_stage_group
from medmentor.programs.eligibility import profile_career_stage
from medmentor.programs.forms import JoinForm
from medmentor.programs.invitations import Invitation, InvitationInvalid, invitation_read
from medmentor.programs.models import PARTICIPANT_ROLES, EnrolmentMode, Program, Status
from medmentor.programs.services.enrolment import membership_join, membership_withdraw


def _join(
    request: HttpRequest, program: Program, role: str, *, invitation: Invitation | None
) -> HttpResponse:
    # Both callers let signed-in people only this far.
    user = current_user(request)
    # The career stage starts from the profile's, as its group (the form lists groups).
    initial = {"career_stage": career_stage_group(profile_career_stage(user))}
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        program=program,
        role=role,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_join(
                program=program,
                user=user,
                role=role,
                career_stage=form.cleaned_data.get("career_stage", ""),
                self_identified=form.cleaned_data.get("self_identified", False),
                answers=form.answers(),
                by_invitation=invitation is not None,
            )
        except ValidationError as error:
            add_service_errors(form, error, renamed=form.service_field_names())
        else:
            if membership.status == Status.PENDING:
                messages.success(
                    request, _("Your request is sent. A coordinator will answer it soon.")
                )
            else:
                messages.success(request, _("Welcome to %(program)s.") % {"program": program.name})
            return redirect("programs:detail", program.uuid)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "programs/join.html",
        {"program": program, "role": role, "form": form, "invitation": invitation},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_join(request: AuthenticatedHttpRequest, program_uuid: UUID, role: str) -> HttpResponse:
    access = selectors.get_program_for(request.user, program_uuid)
    if role not in PARTICIPANT_ROLES or access.program.enrolment_mode == EnrolmentMode.INVITATION:
        raise Http404
    return _join(request, access.program, role, invitation=None)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_read(token)
    except InvitationInvalid as problem:
        return render(
            request, "programs/invitation_invalid.html", {"problem": str(problem)}, status=404
        )
    if not request.user.is_authenticated:
        return render(
            request,
            "programs/invitation_guest.html",
            {"invitation": invitation, "program": invitation.program},
        )
    return _join(request, invitation.program, invitation.role, invitation=invitation)


@login_required
@require_POST
def membership_leave(request: AuthenticatedHttpRequest, membership_uuid: UUID) -> HttpResponse:
    membership = selectors.get_own_membership(request.user, membership_uuid)
    try:
        membership_withdraw(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You have left %(program)s.") % {"program": membership.program.name}
        )
    return redirect("programs:mine")

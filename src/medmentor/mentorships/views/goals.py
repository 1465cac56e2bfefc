"""Goals: propose, agree, update, steps and comments."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.mentorships import selectors
from medmentor.mentorships.forms import CommentForm, GoalForm, GoalStepForm
from medmentor.mentorships.models import GoalStatus
from medmentor.mentorships.services import goals as goal_services
from medmentor.mentorships.views.common import form_page, party_access, posted


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    return form_page(
        request,
        access,
        GoalForm(posted(request)),
        title=_("Propose a goal"),
        submit=_("Propose"),
        intro=_(
            "Specific, measurable, achievable, relevant and time-bound: your partner "
            "agrees to it, then you both follow it."
        ),
        save=lambda data: goal_services.goal_propose(access=access, **data),
        success=_("The goal is proposed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_detail(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, goal_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    goal = selectors.goal_of(access, goal_uuid)
    initial = {name: getattr(goal, name) for name in goal_services.GOAL_FIELDS}
    form = GoalForm(posted(request), initial=initial, agreed=goal.status != GoalStatus.PROPOSED)
    step_form, comment_form = GoalStepForm(), CommentForm()
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.goal_update(access=access, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal is updated."))
            return redirect("mentorships:goal", access.mentorship.uuid, goal.uuid)
    goal.refresh_from_db()
    return render(
        request,
        "mentorships/goal.html",
        {
            "access": access,
            "mentorship": access.mentorship,
            "goal": goal,
            "form": form,
            "step_form": step_form,
            "comment_form": comment_form,
            "next_statuses": goal_services.NEXT_STATUSES.get(GoalStatus(goal.status), ()),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def goal_status(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, goal_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    goal = selectors.goal_of(access, goal_uuid)
    status = request.POST.get("status", "")
    try:
        goal_services.goal_update(access=access, goal=goal, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The goal is now “%(status)s”.") % {"status": goal.get_status_display()}
        )
    return redirect("mentorships:goal", access.mentorship.uuid, goal.uuid)


@login_required
@require_POST
def goal_step_add(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, goal_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    goal = selectors.goal_of(access, goal_uuid)
    form = GoalStepForm(request.POST)
    if form.is_valid():
        try:
            goal_services.goal_step_add(access=access, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Name the step (up to 200 characters)."))
    return redirect("mentorships:goal", access.mentorship.uuid, goal.uuid)


@login_required
@require_POST
def goal_step_toggle(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, step_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    step = selectors.goal_step_of(access, step_uuid)
    try:
        goal_services.goal_step_toggle(access=access, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mentorships:goal", access.mentorship.uuid, step.goal.uuid)


@login_required
@require_POST
def goal_comment(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, goal_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    goal = selectors.goal_of(access, goal_uuid)
    try:
        goal_services.goal_comment_add(access=access, goal=goal, text=request.POST.get("text", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your comment is added."))
    return redirect("mentorships:goal", access.mentorship.uuid, goal.uuid)

"""Check-ins (with the wellness safety net), the starting self-rating, ending a mentorship
and the evaluation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.mentorships import selectors
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.evaluation import evaluation_links
from medmentor.mentorships.forms import CheckInForm, EndForm, EvaluationForm, SelfRatingForm
from medmentor.mentorships.models import CheckIn
from medmentor.mentorships.services.checkins import checkin_start, checkin_submit
from medmentor.mentorships.services.closure import evaluation_submit, mentorship_end
from medmentor.mentorships.services.selfrating import baseline_decline, baseline_submit
from medmentor.mentorships.support import support_resources
from medmentor.mentorships.views.common import act, form_page, party_access, posted


@login_required
@require_http_methods(["GET", "POST"])
def checkin(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, checkin_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    item = selectors.checkin_of(access, checkin_uuid)
    return _checkin_page(
        request, access, item, lambda data: checkin_submit(access=access, checkin=item, **data)
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    """Check in whenever the pair wants, not only when the schedule asks."""
    access = party_access(request, mentorship_uuid)
    return _checkin_page(request, access, None, lambda data: checkin_start(access=access, **data))


def _checkin_page(
    request: HttpRequest,
    access: MentorshipAccess,
    item: CheckIn | None,
    save: Callable[[dict[str, Any]], CheckIn],
) -> HttpResponse:
    form = CheckInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if item.wants_support:
                # The safety net: the resources at once, whatever else happens.
                return render(
                    request,
                    "mentorships/support.html",
                    {
                        "access": access,
                        "mentorship": access.mentorship,
                        "checkin": item,
                        "resources": support_resources(access.mentorship.program),
                    },
                )
            messages.success(request, _("Thank you for your check-in."))
            return redirect("mentorships:workspace", access.mentorship.uuid)
    return render(
        request,
        "mentorships/checkin.html",
        {"access": access, "mentorship": access.mentorship, "checkin": item, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def baseline(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    form = SelfRatingForm(posted(request), role=access.role)
    return form_page(
        request,
        access,
        form,
        title=_("Where you stand as you begin"),
        submit=_("Send my ratings"),
        save=lambda _data: baseline_submit(access=access, ratings=form.ratings()),
        success=_("Thank you. You will be asked the same at the end."),
        template="mentorships/baseline.html",
        asked=selectors.baseline_asked(access),
    )


@login_required
@require_POST
def baseline_no(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    return act(
        request,
        access,
        lambda: baseline_decline(access=access),
        _("Understood: you will not be asked again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    return form_page(
        request,
        access,
        EndForm(posted(request)),
        title=_("End the mentorship"),
        submit=_("End the mentorship"),
        intro=_(
            "Either of you may end the mentorship at any time, without blame. Your "
            "partner is told that it has ended, not why. You will both be asked for a "
            "short evaluation."
        ),
        save=lambda data: mentorship_end(access=access, **data),
        success=_("The mentorship has ended. Thank you for the time you gave it."),
        next_url="mentorships:evaluation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    given = selectors.evaluation_of(access.mentorship, request.user)
    form = EvaluationForm(posted(request), role=access.role)
    if given is None and request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(
                access=access,
                ratings=form.ratings(),
                would_recommend=form.cleaned_data["would_recommend"],
                comments=form.cleaned_data.get("comments", ""),
                wants_rematch=form.cleaned_data.get("wants_rematch", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("mentorships:workspace", access.mentorship.uuid)
    return render(
        request,
        "mentorships/evaluation.html",
        {
            "access": access,
            "mentorship": access.mentorship,
            "form": form,
            "given": given,
            "own_questions": evaluation_links(access.mentorship, request.user),
        },
        status=422 if request.method == "POST" else 200,
    )

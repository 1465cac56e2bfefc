"""Direct requests: ask a mentor (with a line-up), my requests, requests to me."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.core.forms import add_service_errors
from medmentor.profiles.fit import fit_of
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import get_profile_for_viewer
from medmentor.programs.models import Program
from medmentor.programs.selectors import open_community
from medmentor.requests import selectors
from medmentor.requests.forms import DeclineForm, RequestForm
from medmentor.requests.models import MESSAGE_MAX
from medmentor.requests.rules import open_request_count, request_refusal
from medmentor.requests.services import (
    request_accept,
    request_decline,
    request_send,
    request_withdraw,
)

LINEUP_FILTER = "lineup_filter"
BACKUPS = ("second_mentor", "third_mentor")


def _chosen(programs: list[Program], uuid: str | None) -> Program:
    return next((p for p in programs if str(p.uuid) == uuid), programs[0])


def _backups(form: RequestForm) -> list[User]:
    """The second and third mentors the form names, as users (unknown: a field error)."""
    users = []
    for name in ("second_mentor", "third_mentor"):
        key = form.cleaned_data.get(name)
        if not key:
            continue
        profile = Profile.objects.select_related("user").filter(uuid=key).first()
        if profile is None:
            form.add_error(name, _("Choose a mentor from the list."))
        else:
            users.append(profile.user)
    return users


def _goals_sought(user: User) -> list[str]:
    """The mentee's profile goals, ticked in advance."""
    profile = Profile.objects.filter(user=user).first()
    return list(profile.goals_sought.values_list("code", flat=True)) if profile else []


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthenticatedHttpRequest, profile_uuid: UUID) -> HttpResponse:
    """The "Ask for mentorship" form on a mentor's profile page."""
    user = request.user
    mentor_profile = get_profile_for_viewer(user, profile_uuid)
    mentor = mentor_profile.user
    context: dict[str, object] = {"mentor_profile": mentor_profile, "mentor": mentor}
    if mentor.pk == user.pk:
        context["refusal"] = _("You cannot ask yourself.")
        return render(request, "requests/new.html", context)
    programs = selectors.request_programs(user, mentor)
    if not programs:
        context["open_community"] = open_community()
        # The programs to join to ask this mentor, as the search and the profile say.
        context["ask"] = selectors.ask_options(user, [mentor.pk])[mentor.pk]
        return render(request, "requests/new.html", context)
    data = request.POST if request.method == "POST" else None
    program = _chosen(programs, (data or request.GET).get("program"))
    initial: dict[str, object] = {"program": str(program.uuid), "goals": _goals_sought(user)}
    if data is None and request.GET.get("message"):
        # Started from elsewhere with words to begin with (office hours: the question asked).
        initial["message"] = request.GET["message"][:MESSAGE_MAX]
    lineup_query = ""
    if data is not None and LINEUP_FILTER in data:
        # "Find mentors to line up" (a button of the form, or htmx as one types): the form
        # comes back with what was typed, nothing is sent and no error shows yet.
        lineup_query = data.get("lineup_q", "")
        initial |= {name: data.get(name, "") for name in ("message", "goals_note", *BACKUPS)}
        initial["goals"] = data.getlist("goals")
        data = None
    if data is None:
        # Say so before the mentee writes a message that could not be sent.
        context["refusal"] = request_refusal(program=program, mentee=user, mentor=mentor)
    form = RequestForm(
        data,
        initial=initial,
        programs=programs,
        backups=selectors.backup_mentor_choices(
            program,
            user,
            first=mentor,
            q=lineup_query,
            keep=[str(initial.get(name, "")) for name in BACKUPS],
        ),
    )
    if data is not None and form.is_valid():
        backups = _backups(form)
        if form.is_valid():  # _backups may have added errors
            try:
                request_send(
                    program=program,
                    mentee=user,
                    mentors=[mentor, *backups],
                    message=form.cleaned_data["message"],
                    goals=form.cleaned_data["goals"],
                    goals_note=form.cleaned_data["goals_note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your request is sent to %(name)s.") % {"name": mentor.get_full_name()},
                )
                return redirect("requests:requests_mine")
    context.update(
        form=form,
        fit=fit_of(user, user.pk, mentor.pk),
        lineup_query=lineup_query,
        program=program,
        programs=programs,
        open_count=open_request_count(program=program, mentee=user),
    )
    return render(request, "requests/new.html", context, status=422 if form.is_bound else 200)


@login_required
@require_GET
def requests_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    cascades = list(selectors.requests_sent(request.user))
    selectors.goal_labels_of(cascades)
    for cascade in cascades:
        by_position = {r.position: r for r in cascade.requests.all()}
        cascade.rows = [(stop, by_position.get(stop.position)) for stop in cascade.stops.all()]
    return render(request, "requests/mine.html", {"cascades": cascades})


@login_required
@require_POST
def cascade_withdraw(request: AuthenticatedHttpRequest, cascade_uuid: UUID) -> HttpResponse:
    cascade = selectors.get_cascade_of_mentee(request.user, cascade_uuid)
    try:
        request_withdraw(cascade=cascade, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("requests:requests_mine")


@login_required
@require_GET
def requests_received(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    pending = list(selectors.requests_received(user, pending=True))
    selectors.goal_labels_of(pending)
    selectors.fits_of_requests(pending, viewer=user)
    return render(
        request,
        "requests/received.html",
        {
            "pending": pending,
            "answered": selectors.requests_received(user, pending=False)[:100],
            "decline_form": DeclineForm(),
        },
    )


def _as_mentor(request: AuthenticatedHttpRequest, request_uuid: UUID) -> selectors.RequestAccess:
    access = selectors.get_request_for(request.user, request_uuid)
    if not access.is_mentor:
        raise PermissionDenied
    return access


@login_required
@require_POST
def request_accept_view(request: AuthenticatedHttpRequest, request_uuid: UUID) -> HttpResponse:
    access = _as_mentor(request, request_uuid)
    try:
        mentorship = request_accept(request=access.request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("requests:requests_received")
    messages.success(
        request,
        _("You are now %(name)s's mentor.") % {"name": access.request.mentee.get_full_name()},
    )
    return redirect("mentorships:workspace", mentorship.uuid)


@login_required
@require_POST
def request_decline_view(request: AuthenticatedHttpRequest, request_uuid: UUID) -> HttpResponse:
    access = _as_mentor(request, request_uuid)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("requests:requests_received")
    try:
        request_decline(request=access.request, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You declined the request. Thank you for answering."))
    return redirect("requests:requests_received")

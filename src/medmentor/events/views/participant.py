"""The participants' pages of an event (through ``get_event_for``: its participants, the
program's participants and coordinators; anyone else 404): sign up, choose mentors, the
personal schedule (printable, and as .ics), whom to continue with afterwards. And the
public page of upcoming events."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.core.forms import add_service_errors
from medmentor.core.outcomes import act
from medmentor.events import selectors
from medmentor.events.forms import ChoicesForm, FollowUpForm, SignUpForm
from medmentor.events.ics import location_of, personal_calendar
from medmentor.events.models import EventRole
from medmentor.events.selectors import EventAccess
from medmentor.events.services.enrolment import event_choices_set, event_sign_up, event_withdraw
from medmentor.events.services.follow_up import event_follow_up_set


def _ask_link(access: EventAccess, mentor: User) -> str:
    """The requests app's form for the program, this mentor chosen, a message ready."""
    profile = selectors.profile_uuid_of(mentor)
    if profile is None:
        return ""
    message = _(
        "We met at %(event)s and both said we would like to continue. Would you mentor me?"
    ) % {"event": access.event.title}
    query = urlencode({"program": str(access.event.program.uuid), "message": message})
    return reverse("requests:request_new", args=[profile]) + "?" + query


def _detail(
    request: AuthenticatedHttpRequest,
    access: EventAccess,
    *,
    sign_up: SignUpForm | None = None,
    choices: ChoicesForm | None = None,
    follow_up: FollowUpForm | None = None,
) -> HttpResponse:
    event, user = access.event, access.user
    context: dict[str, object] = {"event": event, "access": access}
    if access.may_sign_up:
        context["sign_up"] = sign_up or SignUpForm(roles=access.program_roles)
    if access.role == EventRole.MENTEE and event.is_ahead():
        mentors = [p.user for p in selectors.participants_of(event, EventRole.MENTOR)]
        names = selectors.names_of(set(mentors))
        chosen = selectors.choices_of(event, user)
        context["choices"] = choices or ChoicesForm(
            initial={f"choice_{n}": str(m.uuid) for n, m in enumerate(chosen, start=1)},
            mentors=mentors,
            names=names,
        )
        context["chosen"] = [names.get(m.pk, "") for m in chosen]
    shown = event.was_published
    if access.place is not None and shown:
        context["schedule"] = selectors.schedule_of(event, user)
    if access.place is not None and shown and event.is_over():
        met = selectors.met_by(event, user)
        names = selectors.names_of(set(met))
        followed = selectors.followed_by(event, user)
        context["follow_up"] = follow_up or FollowUpForm(
            initial={"people": [str(u.uuid) for u in met if u.pk in followed]},
            met=met,
            names=names,
        )
        mutual = selectors.mutual_of(event, user)
        context["mutual"] = [
            (
                selectors.names_of({other})[other.pk],
                _ask_link(access, other) if access.role == EventRole.MENTEE else "",
            )
            for other in mutual
        ]
    invalid = any(form is not None and form.errors for form in (sign_up, choices, follow_up))
    return render(request, "events/detail.html", context, status=422 if invalid else 200)


@login_required
@require_GET
def event_detail(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    return _detail(request, selectors.get_event_for(request.user, event_uuid))


@login_required
@require_POST
def event_sign_up_view(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_for(request.user, event_uuid)
    form = SignUpForm(request.POST, roles=access.program_roles)
    if form.is_valid():
        try:
            event_sign_up(access=access, role=form.cleaned_data["role"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You are signed up. The schedule comes by e-mail."))
            return redirect("events:detail", access.event.uuid)
    if not access.may_sign_up and not form.errors:
        form.add_error(None, _("Sign-up for this event is closed."))
    return _detail(request, access, sign_up=form)


@login_required
@require_POST
def event_withdraw_view(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_for(request.user, event_uuid)
    act(
        request,
        lambda: event_withdraw(access=access),
        _("You no longer take part in this event."),
    )
    return redirect("events:detail", access.event.uuid)


@login_required
@require_POST
def event_choices_view(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_place(request.user, event_uuid)
    event = access.event
    mentors = [p.user for p in selectors.participants_of(event, EventRole.MENTOR)]
    form = ChoicesForm(request.POST, mentors=mentors, names=selectors.names_of(set(mentors)))
    if form.is_valid():
        by_uuid = {str(m.uuid): m for m in mentors}
        try:
            event_choices_set(access=access, mentors=[by_uuid[key] for key in form.chosen()])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("events:detail", event.uuid)
    return _detail(request, access, choices=form)


@login_required
@require_POST
def event_follow_up_view(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_place(request.user, event_uuid)
    event = access.event
    met = selectors.met_by(event, access.user)
    form = FollowUpForm(request.POST, met=met, names=selectors.names_of(set(met)))
    if form.is_valid():
        by_uuid = {str(u.uuid): u for u in met}
        try:
            event_follow_up_set(
                access=access, chosen=[by_uuid[key] for key in form.cleaned_data["people"]]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. When the choice is mutual, you both see it here."))
            return redirect("events:detail", event.uuid)
    return _detail(request, access, follow_up=form)


@login_required
@require_GET
def my_schedule(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_place(request.user, event_uuid)
    event = access.event
    shown = event.was_published
    schedule = selectors.schedule_of(event, access.user) if shown else []
    return render(
        request,
        "events/my_schedule.html",
        {
            "event": event,
            "access": access,
            "published": shown,
            "rows": [(view, location_of(event, view.table)) for view in schedule],
        },
    )


@login_required
@require_GET
def my_schedule_ics(request: AuthenticatedHttpRequest, event_uuid: UUID) -> HttpResponse:
    access = selectors.get_event_place(request.user, event_uuid)
    event = access.event
    if not event.was_published:
        raise Http404
    response = HttpResponse(
        personal_calendar(event, access.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.uuid}.ics"'
    return response


@login_required
@require_GET
def my_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "events/mine.html", {"events": selectors.events_of_user(request.user)})


@require_GET
def upcoming(request: HttpRequest) -> HttpResponse:
    joined = selectors.programs_joined(request.user)
    events = [(event, event.program_id in joined) for event in selectors.upcoming_events()]
    return render(request, "events/upcoming.html", {"events": events})

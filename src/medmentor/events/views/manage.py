"""The coordinator's pages of events (through ``get_event_managed``: the program's
participants get 403, everyone else 404): write an event, enrol its people, build the
schedule, change it, publish it, print the room sheet."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.core.forms import add_service_errors
from medmentor.core.outcomes import act
from medmentor.core.spreadsheet import csv_download
from medmentor.events import selectors
from medmentor.events.forms import CsvForm, EnrolForm, EventForm, MoveForm, SwapForm
from medmentor.events.models import Event, EventRole, EventStatus
from medmentor.events.services.authoring import event_save
from medmentor.events.services.csv_enrolment import (
    COLUMNS,
    EnrolmentProblems,
    Problem,
    event_enrol_csv,
)
from medmentor.events.services.enrolment import event_enrol, event_unenrol
from medmentor.events.services.publishing import event_publish
from medmentor.events.services.schedule import (
    event_meeting_lock,
    event_meeting_move,
    event_meetings_swap,
    event_schedule_build,
)
from medmentor.programs.models import Program


def _render(
    request: HttpRequest, template: str, program: Program, status: int = 200, **context: object
) -> HttpResponse:
    return render(
        request,
        f"events/{template}",
        {"program": program, "tab": "events", **context},
        status=status,
    )


def _back(event: Event, page: str = "events:schedule") -> HttpResponse:
    return redirect(page, event.program.uuid, event.uuid)


def _schedule_seen(
    request: AuthenticatedHttpRequest, event: Event, action: str = Action.VIEW
) -> None:
    """The schedule shows each meeting's fit, its reasons and the mentee's choices: like a
    round's proposals, each look at it (or download) is in every participant's access log."""
    access_log(
        actor=request.user,
        action=action,
        what=What.EVENT_SCHEDULE,
        subjects=selectors.participant_ids(event),
        program=event.program,
        detail=event.title,
    )


def _error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def event_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    return _render(request, "manage_list.html", program, events=selectors.events_of(program))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_save(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved: now enrol its mentors and mentees."))
            return _back(event, "events:people")
    return _render(request, "manage_new.html", program, 422 if form.is_bound else 200, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    form = EventForm(request.POST if request.method == "POST" else None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_save(program=event.program, by=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return _back(event, "events:event")
    event.refresh_from_db()
    return _render(
        request,
        "manage_event.html",
        event.program,
        422 if form.is_bound else 200,
        event=event,
        form=form,
        outcome=selectors.outcome_of(event) if event.is_over() else None,
    )


def _people_page(
    request: AuthenticatedHttpRequest,
    event: Event,
    *,
    forms: dict[str, EnrolForm] | None = None,
    csv_form: CsvForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = []
    for role in (EventRole.MENTOR, EventRole.MENTEE):
        candidates = selectors.candidates_of(event, role)
        names = selectors.names_of(set(candidates))
        enrolled = selectors.participants_of(event, role)
        sections.append(
            {
                "role": role,
                "label": role.label,
                "enrolled": [(p, selectors.names_of({p.user})[p.user_id]) for p in enrolled],
                "form": (forms or {}).get(role)
                or EnrolForm(initial={"role": role}, candidates=candidates, names=names),
            }
        )
    return _render(
        request,
        "manage_people.html",
        event.program,
        status,
        event=event,
        sections=sections,
        csv_form=csv_form or CsvForm(),
        problems=problems or [],
        columns=COLUMNS,
    )


@login_required
@require_GET
def event_people(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    return _people_page(request, event)


@login_required
@require_POST
def event_enrol_view(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    role = request.POST.get("role", "")
    candidates = selectors.candidates_of(event, role) if role in EventRole.values else []
    form = EnrolForm(request.POST, candidates=candidates, names=selectors.names_of(set(candidates)))
    if form.is_valid():
        chosen = list(User.objects.filter(uuid__in=form.cleaned_data["people"]))
        try:
            added = event_enrol(event=event, by=request.user, users=chosen, role=role)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s person is enrolled.", "%(n)s people are enrolled.", added)
                % {"n": added},
            )
            return _back(event, "events:people")
    forms = {role: form} if role in EventRole.values else {}
    return _people_page(request, event, forms=forms, status=422)


@login_required
@require_POST
def event_enrol_csv_view(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    form = CsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _people_page(request, event, csv_form=form, status=422)
    try:
        added = event_enrol_csv(event=event, by=request.user, data=form.cleaned_data["file"].read())
    except EnrolmentProblems as error:
        return _people_page(request, event, problems=error.problems, status=422)
    messages.success(
        request,
        ngettext("%(n)s person is enrolled.", "%(n)s people are enrolled.", added) % {"n": added},
    )
    return _back(event, "events:people")


@login_required
@require_POST
def event_unenrol_view(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    event_uuid: UUID,
    event_participant_uuid: UUID,
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    place = selectors.get_participant_of(event, event_participant_uuid)
    act(
        request,
        lambda: event_unenrol(event=event, by=request.user, place=place),
        _("They no longer take part in the event."),
    )
    return _back(event, "events:people")


@login_required
@require_GET
def event_schedule(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    _schedule_seen(request, event)
    return _render(
        request,
        "manage_schedule.html",
        event.program,
        event=event,
        grid=selectors.grid_of(event),
        unmet=selectors.unmet_of(event),
        published=event.status == EventStatus.PUBLISHED,
    )


@login_required
@require_POST
def event_build(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    act(
        request,
        lambda: event_schedule_build(event=event, by=request.user),
        _("The schedule is built. Review it, change it if you wish, then publish it."),
    )
    return _back(event)


@login_required
@require_POST
def event_swap(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose two mentees of one rotation to swap."))
        return _back(event)
    first = selectors.get_meeting_of(event, form.cleaned_data["first"])
    second = selectors.get_meeting_of(event, form.cleaned_data["second"])
    act(
        request,
        lambda: event_meetings_swap(event=event, by=request.user, first=first, second=second),
        _("The two mentees are swapped."),
    )
    return _back(event)


@login_required
@require_POST
def event_move(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentee and a table with a free seat."))
        return _back(event)
    meeting = selectors.get_meeting_of(event, form.cleaned_data["meeting"])
    mentor = User.objects.filter(uuid=form.cleaned_data["mentor"]).first()
    if mentor is None:
        messages.error(request, _("Choose one of the event's mentors."))
        return _back(event)
    act(
        request,
        lambda: event_meeting_move(event=event, by=request.user, meeting=meeting, mentor=mentor),
        _("The mentee is moved."),
    )
    return _back(event)


@login_required
@require_POST
def event_lock(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    event_uuid: UUID,
    event_meeting_uuid: UUID,
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    meeting = selectors.get_meeting_of(event, event_meeting_uuid)
    locked = not meeting.locked
    act(
        request,
        lambda: event_meeting_lock(event=event, by=request.user, meeting=meeting, locked=locked),
        _("The meeting is locked: building again keeps it.")
        if locked
        else _("The meeting is unlocked."),
    )
    return _back(event)


@login_required
@require_POST
def event_publish_view(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    try:
        told = event_publish(event=event, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The schedule is published: %(n)s participant gets their own by e-mail.",
                "The schedule is published: %(n)s participants get their own by e-mail.",
                told,
            )
            % {"n": told},
        )
    return _back(event)


@login_required
@require_GET
def event_room_sheet(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> HttpResponse:
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    _schedule_seen(request, event)
    return render(
        request,
        "events/room_sheet.html",
        {"program": event.program, "event": event, "grid": selectors.grid_of(event)},
    )


@login_required
@require_GET
def event_schedule_csv(
    request: AuthenticatedHttpRequest, program_uuid: UUID, event_uuid: UUID
) -> StreamingHttpResponse:
    """The schedule for a spreadsheet (a mail merge, name badges)."""
    event = selectors.get_event_managed(request.user, program_uuid, event_uuid)
    _schedule_seen(request, event, Action.EXPORT)
    name = slugify(event.title) or "event"
    return csv_download(f"{name}-schedule.csv", selectors.schedule_export_rows(event))

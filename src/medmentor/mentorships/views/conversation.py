"""Messages and notes: the pair only, everyone else 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.mentorships import selectors
from medmentor.mentorships.forms import MessageForm, NoteEditForm, NoteForm
from medmentor.mentorships.services import conversation
from medmentor.mentorships.timezones import time_zone_of
from medmentor.mentorships.views.common import act, form_page, party_access, posted


@login_required
@require_http_methods(["GET", "POST"])
def message_thread(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            conversation.message_send(access=access, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentorships:messages", access.mentorship.uuid)
    conversation.messages_mark_read(access=access)
    thread = selectors.messages_of(access)
    template = "mentorships/messages.html#thread" if request.htmx else "mentorships/messages.html"
    return render(
        request,
        template,
        {"access": access, "mentorship": access.mentorship, "thread": thread, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_list(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meetings = access.mentorship.meetings.all()
    form = NoteForm(posted(request), meetings=meetings, tz=time_zone_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            conversation.note_write(access=access, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("Your note is saved."))
            return redirect("mentorships:notes", access.mentorship.uuid)
    return render(
        request,
        "mentorships/notes.html",
        {
            "access": access,
            "mentorship": access.mentorship,
            "notes": selectors.notes_visible_to(access),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, note_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    note = selectors.note_of(access, note_uuid)
    return form_page(
        request,
        access,
        NoteEditForm(posted(request), initial={"body": note.body}),
        title=_("Edit the note"),
        submit=_("Save"),
        save=lambda data: conversation.note_update(access=access, note=note, body=data["body"]),
        success=_("Your note is saved."),
        next_url="mentorships:notes",
    )


@login_required
@require_POST
def note_delete(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, note_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    note = selectors.note_of(access, note_uuid)
    return act(
        request,
        access,
        lambda: conversation.note_delete(access=access, note=note),
        _("The note is deleted."),
        next_url="mentorships:notes",
    )

"""What the workspace views share: the access call, form pages, service errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.mentorships.access import MentorshipAccess, get_mentorship_for


def party_access(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> MentorshipAccess:
    """The pair only: everyone else (coordinators and staff included) gets 404."""
    return get_mentorship_for(request.user, mentorship_uuid)


def form_page(
    request: HttpRequest,
    access: MentorshipAccess,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    save: Callable[[dict[str, Any]], object],
    success: str,
    next_url: str = "",
    intro: str = "",
    template: str = "mentorships/form_page.html",
    **context: Any,
) -> HttpResponse:
    """GET shows the form; a valid POST calls ``save(cleaned_data)`` and redirects; bad
    input (the form's or the service's) answers 422 with the errors and saves nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url or "mentorships:workspace", access.mentorship.uuid)
    return render(
        request,
        template,
        {
            "access": access,
            "mentorship": access.mentorship,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            **context,
        },
        status=422 if request.method == "POST" else 200,
    )


def posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def act(
    request: HttpRequest,
    access: MentorshipAccess,
    action: Callable[[], object],
    success: str,
    next_url: str = "mentorships:workspace",
) -> HttpResponse:
    """A one-button POST: run the service, tell the outcome, go back."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(next_url, access.mentorship.uuid)

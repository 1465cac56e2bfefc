"""The coordinator's reporting lines and conflicts: add, list, remove. Every view goes
through ``get_program_for`` (participants 403, anyone else 404)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.programs import selectors
from medmentor.programs.forms.lines import CoordinatorLineForm
from medmentor.programs.selectors.lines import (
    coordinator_lines_of,
    get_coordinator_line,
    line_members_of,
)
from medmentor.programs.services.lines import coordinator_line_add, coordinator_line_remove


@login_required
@require_http_methods(["GET", "POST"])
def line_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    posted = request.method == "POST"
    form = CoordinatorLineForm(
        request.POST if posted else None, members=list(line_members_of(program))
    )
    if posted and form.is_valid():
        try:
            coordinator_line_add(
                program=program,
                by=request.user,
                person=form.chosen("person"),
                kind=form.cleaned_data["kind"],
                other=form.chosen("other"),
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The line is saved: these two will never be paired."))
            return redirect("programs:lines", program.uuid)
    lines = coordinator_lines_of(program)
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.REPORTING_LINE,
        subjects=[pk for line in lines for pk in line.subject_ids],
        program=program,
    )
    return render(
        request,
        "programs/manage/lines.html",
        {"program": program, "tab": "lines", "form": form, "lines": lines},
        status=422 if posted else 200,
    )


@login_required
@require_POST
def line_remove(
    request: AuthenticatedHttpRequest, program_uuid: UUID, line_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    line = get_coordinator_line(program, line_uuid)
    coordinator_line_remove(program=program, by=request.user, line=line)
    messages.success(request, _("The line is removed."))
    return redirect("programs:lines", program.uuid)

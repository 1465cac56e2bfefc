"""The coordinator's exports: a page of the lists, and each list as a CSV file."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.spreadsheet import csv_download
from medmentor.exports.selectors import EXPORTS, export_rows, export_subjects
from medmentor.programs.selectors import get_program_for

# Whose data each list is, as the access log names it.
LOGGED_AS = {
    "members": What.MEMBER_LIST,
    "requests": What.REQUESTS,
    "mentorships": What.MENTORSHIPS,
}


@login_required
@require_GET
def export_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    return render(
        request,
        "exports/list.html",
        {"program": program, "tab": "exports", "exports": EXPORTS.values()},
    )


@login_required
@require_GET
def export_csv(
    request: AuthenticatedHttpRequest, program_uuid: UUID, key: str
) -> StreamingHttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    if key not in EXPORTS:
        raise Http404
    access_log(
        actor=request.user,
        action=Action.EXPORT,
        what=LOGGED_AS[key],
        subjects=export_subjects(program, key),
        program=program,
        detail=f"{key}.csv",
    )
    day = timezone.localdate().isoformat()
    return csv_download(f"program-{program.uuid}-{key}-{day}.csv", export_rows(program, key))

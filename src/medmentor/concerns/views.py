"""Reporting a concern, my reports, and the coordinators' confidential list."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.concerns import selectors
from medmentor.concerns.forms import ConcernForm, ConcernStatusForm
from medmentor.concerns.models import ConcernStatus
from medmentor.concerns.services import concern_report, concern_status_set
from medmentor.core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    subjects = selectors.concern_subjects(user)
    wanted = request.POST.get("subject") or request.GET.get("about", "")
    if wanted and wanted not in {s.key for s in subjects}:
        subjects.insert(0, selectors.concern_subject_from_key(user, wanted))
    form = ConcernForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": wanted},
        subjects=subjects,
    )
    if request.method == "POST" and form.is_valid():
        subject = selectors.concern_subject_from_key(user, form.cleaned_data["subject"])
        try:
            concern_report(
                program=subject.program,
                reporter=user,
                about=subject.person,
                request=subject.request,
                text=form.cleaned_data["text"],
                also_block=form.cleaned_data["also_block"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your concern is sent to the program's coordinators. Follow it here."),
            )
            return redirect("concerns:concerns_mine")
    return render(
        request,
        "concerns/new.html",
        {"form": form, "subjects": subjects},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_GET
def concerns_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "concerns/mine.html",
        {"concerns": selectors.concerns_reported_by(request.user)},
    )


@login_required
@require_GET
def concern_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_coordinated(request.user, program_uuid)
    status = request.GET.get("status", "")
    if status not in ConcernStatus.values:
        status = ""
    concerns = list(selectors.concerns_of(program, status=status))
    # A concern is logged under its reporter only: the person it is about is not told.
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.CONCERN,
        subjects=[concern.reporter_id for concern in concerns],
        program=program,
    )
    return render(
        request,
        "concerns/manage_list.html",
        {
            "program": program,
            "tab": "concerns",
            "concerns": concerns,
            "status": status,
            "statuses": ConcernStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_manage(
    request: AuthenticatedHttpRequest, program_uuid: UUID, concern_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_coordinated(request.user, program_uuid)
    concern = selectors.get_concern_of(program, concern_uuid)
    form = ConcernStatusForm(
        request.POST if request.method == "POST" else None, initial={"status": concern.status}
    )
    if request.method == "POST" and form.is_valid():
        concern_status_set(concern=concern, by=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("The concern's status is saved."))
        return redirect("concerns:concern_manage", program.uuid, concern.uuid)
    if request.method == "GET":
        access_log(
            actor=request.user,
            action=Action.VIEW,
            what=What.CONCERN,
            subjects=[concern.reporter_id],
            program=program,
        )
    return render(
        request,
        "concerns/manage_detail.html",
        {"program": program, "tab": "concerns", "concern": concern, "form": form},
        status=422 if form.is_bound else 200,
    )

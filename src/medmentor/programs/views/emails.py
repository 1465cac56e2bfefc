"""The coordinator's wording of the program's own e-mails: list, edit with a preview,
reset to the default. Every view goes through ``get_program_for``."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.programs import selectors
from medmentor.programs.emails import (
    EMAILS,
    EmailKind,
    default_texts,
    program_email_of,
    program_emails,
    wording_errors,
    wording_preview,
)
from medmentor.programs.forms.emails import ProgramEmailForm
from medmentor.programs.models import Program
from medmentor.programs.services.emails import program_email_reset, program_email_save

TAB = "emails"


def _program_and_kind(
    request: AuthenticatedHttpRequest, program_uuid: UUID, email_key: str
) -> tuple[Program, EmailKind]:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    kind = EMAILS.get(email_key)
    if kind is None:
        raise Http404
    return program, kind


@login_required
@require_GET
def email_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    return render(
        request,
        "programs/manage/emails.html",
        {"program": program, "tab": TAB, "emails": program_emails(program)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_edit(
    request: AuthenticatedHttpRequest, program_uuid: UUID, email_key: str
) -> HttpResponse:
    """GET: the form. POST ``action=preview``: the e-mail with sample values in each
    language, nothing saved; POST otherwise: save (then back to the list)."""
    program, kind = _program_and_kind(request, program_uuid, email_key)
    edited = program_email_of(program, kind.key)
    form = ProgramEmailForm(request.POST if request.method == "POST" else None, edited=edited)
    preview = None
    invalid = False
    if request.method == "POST":
        invalid = not form.is_valid()
        if not invalid and request.POST.get("action") == "preview":
            errors = wording_errors(kind, form.cleaned_data)
            if errors:
                add_service_errors(form, ValidationError(errors))
                invalid = True
            else:
                preview = wording_preview(program, kind.key, form.cleaned_data)
        elif not invalid:
            try:
                program_email_save(
                    program=program, key=kind.key, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
                invalid = True
            else:
                messages.success(request, _("The e-mail's wording is saved."))
                return redirect("programs:emails", program.uuid)
    return render(
        request,
        "programs/manage/emails_edit.html",
        {
            "program": program,
            "tab": TAB,
            "kind": kind,
            "edited": edited,
            "form": form,
            "preview": preview,
            "defaults": default_texts(program, kind.key),
        },
        status=422 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_reset(
    request: AuthenticatedHttpRequest, program_uuid: UUID, email_key: str
) -> HttpResponse:
    """GET: ask to confirm; POST: back to the default wording."""
    program, kind = _program_and_kind(request, program_uuid, email_key)
    if request.method == "POST":
        program_email_reset(program=program, key=kind.key, by=request.user)
        messages.success(request, _("The e-mail is back to its default wording."))
        return redirect("programs:emails", program.uuid)
    return render(
        request,
        "programs/manage/emails_reset.html",
        {"program": program, "tab": TAB, "kind": kind},
    )

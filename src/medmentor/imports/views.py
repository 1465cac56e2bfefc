"""Importing participants from a CSV file (coordinators), and the invitation's welcome
page (people new to the site)."""

from __future__ import annotations

from uuid import UUID

from allauth.account.forms import UserTokenForm
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.imports.models import ParticipantImport
from medmentor.imports.parsing import (
    COLUMNS,
    ImportProblems,
    Problem,
    template_csv,
)
from medmentor.imports.services import (
    import_confirm,
    import_invitation_accept,
    import_plan,
    import_prepare,
    plan_counts,
)
from medmentor.profiles.models import COORDINATOR_KIND_LABELS
from medmentor.profiles.selectors import display_name_of
from medmentor.profiles.taxonomy import taxonomy
from medmentor.programs import selectors
from medmentor.programs.models import Program

# Room for the multipart envelope and the CSRF token around the file itself.
FORM_OVERHEAD = 64 * 1024
HELP_VOCABULARIES = (
    "career-stages",
    "specialties",
    "provinces",
    "modalities",
    "languages",
    "goals",
    "interests",
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        allow_empty_file=True,  # the import says "the file is empty" in its own words
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv", "aria-describedby": "file-help"}
        ),
    )


def _page(
    request: HttpRequest,
    program: Program,
    *,
    form: ImportUploadForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    vocab = taxonomy()
    codes = {name: list(vocab[name].active()) for name in HELP_VOCABULARIES}
    return render(
        request,
        "imports/upload.html",
        {
            "program": program,
            "tab": "import",
            "form": form or ImportUploadForm(),
            "problems": problems or [],
            "columns": COLUMNS,
            "codes": codes,
            "line_kinds": COORDINATOR_KIND_LABELS,
            "max_size": settings.IMPORT_MAX_BYTES,
        },
        status=status,
    )


def _too_big(program: Program, request: HttpRequest) -> HttpResponse:
    problem = Problem(
        None,
        "",
        _("The file is too big: the limit is %(limit)s.")
        % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
    )
    return _page(request, program, problems=[problem], status=413)


@csrf_protect
def _upload(request: AuthenticatedHttpRequest, program: Program) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, program, form=form, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > settings.IMPORT_MAX_BYTES:
        return _too_big(program, request)
    try:
        batch = import_prepare(
            program=program,
            coordinator=request.user,
            data=upload.read(),
            file_name=upload.name or "",
        )
    except ImportProblems as error:
        return _page(request, program, form=form, problems=error.problems, status=422)
    return redirect("imports:import_preview", program.uuid, batch.uuid)


# The CSRF check reads the whole request body; an upload over the limit is refused from
# its Content-Length first, then ``_upload`` checks CSRF as the middleware would.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD:
            return _too_big(program, request)
        return _upload(request, program)
    return _page(request, program)


@login_required
@require_GET
def import_template(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    selectors.get_program_for(request.user, program_uuid, manage=True)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="medmentor-participants.csv"'
    return response


def _batch_of(
    request: AuthenticatedHttpRequest, program: Program, import_uuid: UUID
) -> ParticipantImport:
    """An upload of this program by this coordinator; anyone else's is not found."""
    batch = ParticipantImport.objects.filter(
        program=program, coordinator_id=request.user.pk, uuid=import_uuid
    ).first()
    if batch is None:
        raise Http404
    return batch


@login_required
@require_GET
def import_preview(
    request: AuthenticatedHttpRequest, program_uuid: UUID, import_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    batch = _batch_of(request, program, import_uuid)
    plan = import_plan(batch) if not (batch.is_expired or batch.confirmed_at) else []
    return render(
        request,
        "imports/preview.html",
        {
            "program": program,
            "tab": "import",
            "batch": batch,
            "plan": plan,
            "counts": plan_counts(plan),
        },
        status=410 if batch.is_expired and not batch.confirmed_at else 200,
    )


@login_required
@require_POST
def import_commit(
    request: AuthenticatedHttpRequest, program_uuid: UUID, import_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    batch = _batch_of(request, program, import_uuid)
    try:
        outcome = import_confirm(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:import_preview", program.uuid, batch.uuid)
    messages.success(
        request,
        _("Imported: %(invited)d invited by e-mail, %(added)d added, %(updated)d updated.")
        % {"invited": outcome.invited, "added": outcome.added, "updated": outcome.updated},
    )
    return redirect("programs:members", program.uuid)


@require_http_methods(["GET", "POST"])
def import_welcome(request: HttpRequest, uidb36: str, key: str) -> HttpResponse:
    """The imported person's link: they choose their password here (a POST, which link
    scanners do not make), which confirms their address; then they are logged in and start
    their profile."""
    token = UserTokenForm(data={"uidb36": uidb36, "key": key})
    if not token.is_valid() or token.reset_user is None:
        return render(
            request,
            "programs/invitation_invalid.html",
            {
                "problem": _(
                    "This link has expired or has been used. Use “Forgot your password?” on "
                    "the login page with your e-mail address."
                )
            },
            status=404,
        )
    user = token.reset_user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        import_invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Your password is saved. Now, your profile."))
        return redirect("profiles:onboarding")
    context = {
        "person": display_name_of(user),
        "invitation": selectors.invitation_of(user),
        "form": form,
    }
    return render(request, "imports/welcome.html", context)

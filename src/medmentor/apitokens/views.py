"""The pages of API tokens: a person's own (/accounts/tokens/) and a program's, in its
coordinator's area. A new token's secret is shown once, in the answer to the form that made
it, and never again."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.apitokens import selectors
from medmentor.apitokens.forms import TokenForm
from medmentor.apitokens.services import CreatedToken, token_create, token_revoke
from medmentor.core.forms import add_service_errors
from medmentor.programs.models import Program
from medmentor.programs.selectors import get_program_for


def _create(
    request: AuthenticatedHttpRequest, form: TokenForm, program: Program | None
) -> CreatedToken | None:
    if not form.is_valid():
        return None
    try:
        return token_create(
            owner=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
            program=program,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = TokenForm(request.POST if posted else None)
    created = _create(request, form, None) if posted else None
    if created is not None:
        form = TokenForm()
    context = {"tokens": selectors.tokens_of(request.user), "form": form, "created": created}
    status = 422 if posted and created is None else 200
    response = render(request, "apitokens/list.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the secret, shown once, stays out of caches
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_confirm(request: AuthenticatedHttpRequest, token_uuid: UUID) -> HttpResponse:
    token = selectors.get_own_token(request.user, token_uuid)
    if request.method == "POST":
        token_revoke(token=token, by=request.user)
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("apitokens:list")
    return render(request, "apitokens/revoke.html", {"token": token})


@login_required
@require_http_methods(["GET", "POST"])
def program_tokens(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    posted = request.method == "POST"
    form = TokenForm(request.POST if posted else None)
    created = _create(request, form, program) if posted else None
    if created is not None:
        form = TokenForm()
    context = {
        "program": program,
        "tab": "tokens",
        "tokens": selectors.tokens_of_program(program),
        "form": form,
        "created": created,
    }
    status = 422 if posted and created is None else 200
    response = render(request, "apitokens/program.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def program_token_revoke(
    request: AuthenticatedHttpRequest, program_uuid: UUID, token_uuid: UUID
) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    token = selectors.get_program_token(program, token_uuid)
    if request.method == "POST":
        token_revoke(token=token, by=request.user)
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("apitokens:program", program.uuid)
    return render(
        request,
        "apitokens/program_revoke.html",
        {"program": program, "tab": "tokens", "token": token},
    )

"""The coordinator's webhook pages, under the program's manage area (through
``get_program_for(..., manage=True)``: participants 403, everyone else 404)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.programs.models import Program
from medmentor.programs.selectors import get_program_for
from medmentor.webhooks import selectors, services
from medmentor.webhooks.forms import EndpointForm
from medmentor.webhooks.models import Endpoint
from medmentor.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER


def _program(request: AuthenticatedHttpRequest, program_uuid: UUID) -> Program:
    return get_program_for(request.user, program_uuid, manage=True).program


def _render(
    request: HttpRequest, template: str, program: Program, *, status: int = 200, **context: object
) -> HttpResponse:
    return render(
        request,
        f"webhooks/{template}",
        {"program": program, "tab": "webhooks", **context},
        status=status,
    )


def _secret_page(
    request: HttpRequest, program: Program, endpoint: Endpoint, secret: str, *, new: bool
) -> HttpResponse:
    """The secret in full, this once: never cached, never shown again."""
    response = _render(
        request,
        "secret.html",
        program,
        endpoint=endpoint,
        secret=secret,
        new=new,
        signature_header=SIGNATURE_HEADER,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def endpoint_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = _program(request, program_uuid)
    return _render(request, "list.html", program, endpoints=list(selectors.endpoints_of(program)))


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_new(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = _program(request, program_uuid)
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                program=program, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, program, endpoint, secret, new=True)
    return _render(request, "form.html", program, status=422 if form.errors else 200, form=form)


@login_required
@require_GET
def endpoint_detail(
    request: AuthenticatedHttpRequest, program_uuid: UUID, endpoint_uuid: UUID
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    return _render(
        request,
        "detail.html",
        program,
        endpoint=endpoint,
        deliveries=list(selectors.deliveries_of(endpoint)),
        headers=(SIGNATURE_HEADER, EVENT_HEADER, DELIVERY_HEADER),
    )


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(
    request: AuthenticatedHttpRequest, program_uuid: UUID, endpoint_uuid: UUID
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint", program.uuid, endpoint.uuid)
    return _render(
        request,
        "form.html",
        program,
        status=422 if form.errors else 200,
        form=form,
        endpoint=endpoint,
    )


@login_required
@require_POST
def endpoint_active(
    request: AuthenticatedHttpRequest, program_uuid: UUID, endpoint_uuid: UUID
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    active = request.POST.get("active") == "on"
    services.endpoint_set_active(endpoint=endpoint, active=active)
    messages.success(
        request,
        _("The endpoint is on: events are sent to it.")
        if active
        else _("The endpoint is off: nothing is sent to it."),
    )
    return redirect("webhooks:endpoint", program.uuid, endpoint.uuid)


@login_required
@require_POST
def endpoint_secret(
    request: AuthenticatedHttpRequest, program_uuid: UUID, endpoint_uuid: UUID
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    secret = services.endpoint_rotate_secret(endpoint=endpoint)
    return _secret_page(request, program, endpoint, secret, new=False)


@login_required
@require_POST
def endpoint_test(
    request: AuthenticatedHttpRequest, program_uuid: UUID, endpoint_uuid: UUID
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    try:
        services.endpoint_test_send(endpoint=endpoint, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A test event is on its way: see the log below."))
    return redirect("webhooks:endpoint", program.uuid, endpoint.uuid)


@login_required
@require_POST
def delivery_retry(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    endpoint_uuid: UUID,
    delivery_uuid: UUID,
) -> HttpResponse:
    program = _program(request, program_uuid)
    endpoint = selectors.get_endpoint_of(program, endpoint_uuid)
    delivery = selectors.get_delivery_of(endpoint, delivery_uuid)
    try:
        services.delivery_retry_now(delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delivery is being sent again."))
    return redirect("webhooks:endpoint", program.uuid, endpoint.uuid)

"""The SCIM 2.0 endpoints (/scim/v2/): a directory's bearer token names its institution;
a session cookie counts for nothing. Each request is written to the SCIM log."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from medmentor.institutions import scim
from medmentor.institutions.models import Institution, InstitutionMember, ScimEvent, ScimToken
from medmentor.institutions.scim import ScimError
from medmentor.institutions.selectors import scim_members
from medmentor.institutions.services import (
    scim_event_log,
    scim_token_authenticate,
    scim_user_create,
    scim_user_delete,
    scim_user_update,
)

Operation = ScimEvent.Operation
# A view answers (the response, the id of the resource it was about).
Answer = tuple[HttpResponse, str]
ScimView = Callable[..., Answer]


def scim_response(body: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    return HttpResponse(json.dumps(body), status=status, content_type=scim.CONTENT_TYPE)


def _error(error: ScimError) -> HttpResponse:
    response = scim_response(error.body(), error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="MedMentor SCIM"'
    return response


def _presented_token(request: HttpRequest) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def scim_endpoint(operations: dict[str, str]) -> Callable[[ScimView], Callable[..., HttpResponse]]:
    """Authenticate the token, run the view for the methods it answers, answer errors in
    SCIM's shape and log the request (never the token: its hint)."""

    def decorate(view: ScimView) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def endpoint(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            operation = operations.get(request.method or "", Operation.DISCOVER)
            resource_id = str(kwargs.get("member_id") or "")
            token, found = scim_token_authenticate(_presented_token(request))
            if token is None:
                reason = "no token" if found is None else "revoked or expired token"
                response = _error(ScimError(401, "A valid bearer token is required."))
                _log(request, found, operation, resource_id, response.status_code, reason)
                return response
            detail = ""
            if request.method not in operations:
                response = _error(ScimError(405, f"{request.method} is not supported here."))
            else:
                try:
                    response, resource_id = view(request, token.institution, **kwargs)
                except ScimError as error:
                    response, detail = _error(error), error.scim_type
            _log(request, token, operation, resource_id, response.status_code, detail)
            return response

        return endpoint

    return decorate


def _log(
    request: HttpRequest,
    token: ScimToken | None,
    operation: str,
    resource_id: str,
    status: int,
    detail: str,
) -> None:
    scim_event_log(
        token=token,
        operation=operation,
        method=request.method or "",
        resource_id=resource_id,
        status=status,
        detail=detail,
    )


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The body is not valid JSON.", "invalidSyntax") from None


def _location(request: HttpRequest, member: InstitutionMember) -> str:
    return request.build_absolute_uri(reverse("scim:user", args=[member.uuid]))


def _member(institution: Institution, member_id: str | UUID) -> InstitutionMember:
    """The institution's member of that id; another institution's is not found (404)."""
    try:
        member_uuid = UUID(str(member_id))
    except ValueError:
        member_uuid = None
    member = scim_members(institution).filter(uuid=member_uuid).first() if member_uuid else None
    if member is None:
        raise ScimError(404, "No such user.")
    return member


def _resource(request: HttpRequest, member: InstitutionMember) -> dict[str, Any]:
    return scim.user_resource(member, location=_location(request, member))


# -- Discovery ---------------------------------------------------------------------------


@scim_endpoint({"GET": Operation.DISCOVER})
def service_provider_config(request: HttpRequest, institution: Institution) -> Answer:
    base = request.build_absolute_uri(reverse("scim:service_provider_config"))
    return scim_response(scim.service_provider_config(base=base)), ""


@scim_endpoint({"GET": Operation.DISCOVER})
def resource_types(request: HttpRequest, institution: Institution) -> Answer:
    base = request.build_absolute_uri(reverse("scim:resource_types"))
    return scim_response(scim.resource_types(base=base)), ""


@scim_endpoint({"GET": Operation.DISCOVER})
def schemas(request: HttpRequest, institution: Institution) -> Answer:
    base = request.build_absolute_uri(reverse("scim:schemas"))
    return scim_response(scim.schemas(base=base)), ""


# -- Users ------------------------------------------------------------------------------


@scim_endpoint({"GET": Operation.LIST, "POST": Operation.CREATE})
def users(request: HttpRequest, institution: Institution) -> Answer:
    if request.method == "POST":
        data = scim.parse_user(_body(request), whole=True)
        member = scim_user_create(institution=institution, data=data)
        member = _member(institution, member.uuid)
        response = scim_response(_resource(request, member), 201)
        response["Location"] = _location(request, member)
        return response, str(member.uuid)
    members = scim_members(institution)
    expression = request.GET.get("filter", "").strip()
    if expression:
        members = members.filter(scim.filter_query(expression))
    start, count = scim.paging(request.GET.get("startIndex"), request.GET.get("count"))
    total = members.count()
    page = list(members[start - 1 : start - 1 + count]) if count else []
    resources = [_resource(request, member) for member in page]
    return scim_response(scim.list_response(resources, total=total, start=start)), ""


@scim_endpoint(
    {
        "GET": Operation.GET,
        "PUT": Operation.REPLACE,
        "PATCH": Operation.UPDATE,
        "DELETE": Operation.DELETE,
    }
)
def user(request: HttpRequest, institution: Institution, member_id: str) -> Answer:
    member = _member(institution, member_id)
    resource_id = str(member.uuid)
    if request.method == "DELETE":
        scim_user_delete(member=member)
        return scim_response(None, 204), resource_id
    if request.method == "PUT":
        data = scim.parse_user(_body(request), whole=True)
        scim_user_update(member=member, data=data)
    elif request.method == "PATCH":
        payload = scim.patch_payload(_body(request), current_name=member.user.name)
        scim_user_update(member=member, data=scim.parse_user(payload, whole=False))
    if request.method != "GET":
        member = _member(institution, member_id)
    return scim_response(_resource(request, member)), resource_id

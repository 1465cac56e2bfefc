"""The JSON API: one NinjaAPI, one error shape, a router per app (see ``urls.py``).

Every error answers ``{"detail": "<message>", "errors": [{"field": ..., "message": ...}]}``
with a 4xx status; ``errors`` lists field problems when there are any.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import django_auth

api = NinjaAPI(
    title="MedMentor API",
    version="1",
    description="Profiles, programs, match rounds, mentorships and the program directory.",
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs" if settings.API_DOCS else None,
    # Swagger UI sets inline styles; its page alone allows them (never inline script).
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)


PAGE_MAX = 100  # items a list answers at once
OFFSET_MAX = 1_000_000  # far beyond any list we keep, well within the database's integers


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset the database can take: one out of bounds is a 422 naming it."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)


def error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field_of(location: tuple[object, ...]) -> str:
    # ninja reports ("body", "payload", "capacity"); the caller only needs the field.
    names = [
        str(part) for part in location if part not in ("body", "query", "path", "payload", "form")
    ]
    return ".".join(names) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(DjangoValidationError)
def on_rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": str(message)} for message in exc.messages]
    return error(request, 422, "The request breaks a rule.", errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_anonymous(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "Log in first.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, str(exc))

"""The JSON API: one NinjaAPI, one error shape, a router per app (see ``urls.py``).

Every error answers ``{"detail": "<message>", "errors": [{"field": ..., "message": ...}]}``
with a 4xx status; ``errors`` lists field problems when there are any.
"""

from __future__ import annotations

from typing import Annotated, Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import django_auth
from pydantic import AfterValidator, field_validator
from pydantic_core import PydanticCustomError

from medmentor.apitokens.auth import api_token_auth
from medmentor.apitokens.services import TokenRefused

api = NinjaAPI(
    title="MedMentor API",
    version="1",
    description=(
        "Profiles, programs, match rounds, mentorships, direct requests, office hours and the "
        "program directory."
    ),
    # A bearer token (medmentor.apitokens) or the session: a token's request is judged by
    # the token alone, a session's by the session and its CSRF token.
    auth=[api_token_auth, django_auth],
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


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    return False


def without_nul(value: Any) -> Any:
    """Refuse NUL characters, as Django's forms do: PostgreSQL cannot store them (SQLite
    can), so without this the same input is a 422 on one database and a 500 on the other."""
    if _has_nul(value):
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    return value


# A text parameter outside an input schema (``audience: Text = ""``).
Text = Annotated[str, AfterValidator(without_nul)]


class InputSchema(Schema):
    """Every body and query schema: no field, however nested, carries a NUL character."""

    @field_validator("*")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return without_nul(value)


class FieldErrorOut(Schema):
    field: str = Field(description="The field at fault, or __all__")
    message: str


class ErrorOut(Schema):
    """The one shape of every error answer."""

    detail: str
    errors: list[FieldErrorOut]


# The error statuses the API gives (the handlers below answer them):
# 401 not logged in, or an API token that is malformed, unknown, revoked or expired;
# 403 a role the caller lacks, no CSRF token on an unsafe method, a read-only token on an
# unsafe method, or a program's token outside its program; 404 no such object, or one the
# caller may not see; 422 invalid input or a broken rule; 429 too many requests.
ERROR_STATUSES = frozenset({401, 403, 404, 422, 429})


def validated(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or the 422 a broken rule gives, each message under the
    field the form names (the pages show the same messages beside the same fields)."""
    if not form.is_valid():
        raise DjangoValidationError(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return form.cleaned_data


def responses(ok: Any, *errors: int) -> dict[int, Any]:
    """An operation's ``response=``: what success answers (a schema for 200, or
    ``{status: schema}``) and each error status the operation really gives, all in the one
    error shape. ``responses(MentorshipOut, 401, 404, 422)``."""
    unknown = sorted(set(errors) - ERROR_STATUSES)
    if unknown:
        raise ValueError(f"no error answer is defined for {unknown}")
    success = ok if isinstance(ok, dict) else {200: ok}
    return {**success, **dict.fromkeys(sorted(errors), ErrorOut)}


def error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field_of(location: tuple[object, ...]) -> str:
    # ninja reports ("body", "payload", "capacity") or ("query", "q"); the caller only needs
    # the field (which may itself be called "body", as a message's text is).
    names = [str(part) for part in location]
    if names and names[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        where = names.pop(0)
        if where in ("body", "form") and names[:1] == ["payload"]:
            names.pop(0)
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


@api.exception_handler(TokenRefused)
def on_token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = error(request, exc.status, exc.message)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _unreadable(request, str(exc))


def _unreadable(request: HttpRequest, message: str) -> HttpResponse:
    # A body that cannot be read is invalid input like any other: 422, naming the body.
    return error(
        request, 422, "The request body cannot be read.", [{"field": "body", "message": message}]
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's only 400: a body it cannot parse
        return _unreadable(request, str(exc))
    return error(request, exc.status_code, str(exc))

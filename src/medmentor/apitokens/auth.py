"""The API's bearer scheme: ``Authorization: Bearer mm_pat_…`` beside the session.

A request that carries a bearer token is judged by the token alone (no cookie, so no CSRF
check); one without goes on to the session, CSRF and all.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from medmentor.apitokens.services import token_authenticate


class ApiTokenAuth(HttpBearer):
    """Answers the token's owner, who then makes the request (``request.user``); a token
    that does not let the request in raises :class:`~medmentor.apitokens.services.TokenRefused`,
    which the API answers in its error shape."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        scheme, _space, credentials = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None  # no token: the session decides
        return self.authenticate(request, credentials.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        match = request.resolver_match
        program_uuid = match.kwargs.get("program_uuid") if match else None
        api_token = token_authenticate(
            plaintext=token, method=request.method or "GET", program_uuid=program_uuid
        )
        request.user = api_token.owner
        return api_token.owner


api_token_auth = ApiTokenAuth()

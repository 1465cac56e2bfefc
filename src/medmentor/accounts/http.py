"""Typing the signed-in person of a request.

A view behind ``login_required`` takes an :class:`AuthenticatedHttpRequest`, whose
``user`` is a :class:`User`, never anonymous (its ``htmx`` is there as on every request).
Code that receives a plain ``HttpRequest`` already checked by other means (the API's
session authentication, a mixin) asks :func:`current_user`, which refuses an anonymous
request instead of trusting a cast.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from medmentor.accounts.models import User
from medmentor.core.http import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


def current_user(request: HttpRequest) -> User:
    """The signed-in person making ``request``; 403 if there is none (a view left open
    by mistake fails closed)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user

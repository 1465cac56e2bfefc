"""With SSO_REQUIRED_FOR_STAFF, the admin opens only to staff who signed in, in this
session, through an institution's sign-in: a staff password alone (guessed, phished or
reused) does not reach the admin, and leaving the institution closes it."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def signed_in_through_an_institution(request: HttpRequest) -> bool:
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return any(record.get("method") == "socialaccount" for record in records)


class StaffSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SSO_REQUIRED_FOR_STAFF
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not signed_in_through_an_institution(request)
        ):
            messages.error(
                request, _("Staff open the admin after signing in with their institution.")
            )
            sign_in = reverse("institutions:sign_in")
            return redirect(f"{sign_in}?{urlencode({'next': request.path})}")
        return self.get_response(request)

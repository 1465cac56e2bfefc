"""The calendar page (make, reset or stop one's feed) and the feed itself.

The feed needs no login (calendar apps cannot log in): its address is the credential.
An unknown, revoked or malformed address answers 404, the same for all, and nothing else."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.calendars.ics import feed_calendar
from medmentor.calendars.selectors import active_feed_of, feed_by_secret
from medmentor.calendars.services import (
    calendar_feed_fetched,
    calendar_feed_reset,
    calendar_feed_stop,
)


def _page(request: AuthenticatedHttpRequest, secret: str = "") -> HttpResponse:
    context: dict[str, object] = {"feed": active_feed_of(request.user)}
    if secret:
        address = settings.SITE_URL + reverse("calendars:feed", args=[secret])
        context["https_url"] = address
        context["webcal_url"] = "webcal://" + address.split("://", 1)[1]
    response = render(request, "calendars/page.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new address (the one before, if any, stops working) and show it, once: it
    is in this answer only, never stored."""
    new = calendar_feed_reset(owner=request.user)
    return _page(request, secret=new.secret)


@login_required
@require_POST
def stop(request: AuthenticatedHttpRequest) -> HttpResponse:
    if calendar_feed_stop(owner=request.user):
        messages.success(request, _("Your calendar feed is stopped: its address answers no more."))
    return redirect("calendars:page")


@require_safe  # GET, and HEAD for the calendar apps that ask first
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    found = feed_by_secret(secret)
    if found is None:
        raise Http404
    body = feed_calendar(found.owner)
    calendar_feed_fetched(feed=found)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="medmentor.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

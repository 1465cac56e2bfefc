"""Typing what the middleware adds to every request.

``django_htmx``'s middleware runs on every request (settings.MIDDLEWARE) and sets
``request.htmx``; a view that answers htmx with a fragment takes an
:class:`HtmxHttpRequest` so that the attribute is known to the type checker.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails

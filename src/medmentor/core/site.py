"""The site's own address, for the links of e-mails and calendar files.

In production ``SITE_URL`` names it. In development, unless ``SITE_URL`` is set, the
address follows the development server as it runs (``medmentor demo --port 8301``,
``medmentor runserver 8301``): a link to port 8000 from a demo on 8301 leads nowhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


def server_url(host: str, port: str | int) -> str:
    """How a browser on this machine reaches a development server bound to host:port."""
    # A server bound to every interface is reached through the loopback address.
    if host in ("", "0", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def site_url_follow_server(host: str, port: str | int) -> str:
    """Point the site's links at the development server about to run, unless ``SITE_URL``
    is set (it always rules, and production always sets it); returns the address used."""
    if settings.SITE_URL_FROM_ENV:
        return str(settings.SITE_URL)
    url = server_url(host, port)
    # Settings are read at each use (settings.SITE_URL), so links made from now on follow;
    # the environment carries the address to the task worker the demo starts beside it.
    settings.SITE_URL = url
    os.environ["SITE_URL"] = url
    return url


@dataclass(frozen=True)
class Site:
    """What an e-mail calls the site: allauth's ``current_site`` (name and domain)."""

    name: str
    domain: str


def current_site() -> Site:
    """MedMentor, at SITE_URL's address: never the address a request happened to use."""
    return Site(name="MedMentor", domain=urlsplit(settings.SITE_URL).netloc)

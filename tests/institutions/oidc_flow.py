"""Signing in through the real OpenID Connect provider with Django's test client: our
pages through the client, the provider's pages over real HTTP (requests), as a browser
would hop between the two."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from django.test import Client

import requests

FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def _location(response: requests.Response, base: str) -> str:
    return urljoin(base, response.headers["Location"])


def through_provider(authorize_url: str, login: str) -> str:
    """Log in at the provider as ``login`` and consent; the address it sends back to
    (our callback, with the code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _step in range(12):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.is_redirect:
            url = _location(answer, url)
            if not url.startswith(authorize_url.split("/auth")[0]):
                return url  # back to the site, with ?code=...&state=...
            continue
        answer.raise_for_status()
        action = urljoin(url, FORM_ACTION.findall(answer.text)[0])
        if 'name="login"' in answer.text:
            fields = {"prompt": "login", "login": login, "password": "any"}
        else:
            fields = {"prompt": "consent"}
        posted = browser.post(action, data=fields, allow_redirects=False, timeout=10)
        url = _location(posted, action)
    raise AssertionError("the provider never sent back to the site")


def sign_in(client: Client, email: str, *, login: str | None = None, next_url: str = ""):
    """The whole journey: the institution's address on our log-in page, the provider's
    log-in (as ``login``, the address by default), back to our callback. Returns our last
    answer (a redirect where allauth sends the person)."""
    chosen = client.post(
        "/accounts/institution/", {"email": email, **({"next": next_url} if next_url else {})}
    )
    assert chosen.status_code == 200, chosen.content
    login_url = next(
        action.replace("&amp;", "&")
        for action in FORM_ACTION.findall(chosen.content.decode())
        if action.startswith("/accounts/oidc/")
    )
    return sign_in_at(client, login_url, login or email)


def sign_in_at(client: Client, login_url: str, login: str):
    """From allauth's provider log-in address (a POST) to our callback's answer."""
    started = client.post(login_url)
    assert started.status_code == 302, started.content
    callback = through_provider(started["Location"], login)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")

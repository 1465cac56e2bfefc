"""A strict Content-Security-Policy (no inline script, style or handler, no CDN) and a
Permissions-Policy on every page; the API docs from our own static files, and off in
production unless asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_settings import PRODUCTION, medmentor
from tests.factories import UserFactory, logged_in_client

TEMPLATES = Path(settings.PACKAGE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style", re.IGNORECASE)


def directives(policy: str) -> dict[str, str]:
    """The policy's directives by name (their order in the header varies)."""
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _space, value in pairs}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "signed_in"),
    [("/", False), ("/accounts/login/", False), ("/directory/", False), ("/dashboard/", True),
     ("/mentors/", True)],
)  # fmt: skip
def test_every_page_sends_the_policies(url, signed_in):
    response = logged_in_client(UserFactory() if signed_in else None).get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def pages() -> list[Path]:
    """Every template a browser renders (e-mails are not pages: their styles are inline)."""
    return [
        path
        for path in TEMPLATES.rglob("templates/**/*.html")
        if "/email/" not in str(path) and "/account/email/" not in str(path)
    ]


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in pages():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE):
            offenders += [f"{path}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []
    assert len(pages()) > 50


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_elsewhere(client):
    response = client.get("/api/docs")
    docs = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    # Swagger UI styles itself inline: its page alone allows inline style, never script.
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"


def test_the_api_docs_are_off_in_production_unless_asked_for(tmp_path):
    show = (
        "from django.test import Client; "
        "print('DOCS', Client().get('/api/docs').status_code, "
        "Client().get('/api/openapi.json').status_code)"
    )
    env = {
        **PRODUCTION,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path),
    }
    medmentor("collectstatic", "--no-input", "-v", "0", **env)
    assert "DOCS 404 200" in medmentor("shell", "-c", show, **env).stdout
    assert "DOCS 200 200" in medmentor("shell", "-c", show, **env, API_DOCS="true").stdout


def test_report_only_is_a_switch():
    show = (
        "from django.test import Client; r = Client().get('/'); "
        "print('ONLY', 'Content-Security-Policy-Report-Only' in r, "
        "'Content-Security-Policy' in r)"
    )
    result = medmentor(
        "shell",
        "-c",
        show,
        ALLOWED_HOSTS="testserver",
        CSP_REPORT_ONLY="true",
        CSP_REPORT_URI="https://reports.example.org/csp",
    )
    assert "ONLY True False" in result.stdout

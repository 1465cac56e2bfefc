"""The site's shell: home page, health check, language, admin."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_medmentor_is_for(client):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Find a mentor", "Become a mentor", "Find a program", "Sign up"):
        assert text in html
    # Landmarks and the skip link are there for keyboard and screen-reader users.
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert 'aria-label="Main"' in html


def test_home_renders_in_french(client):
    client.cookies.load({"django_language": "fr"})
    response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Trouver un mentor" in html
    assert "Devenir mentor" in html
    assert "Aller au contenu principal" in html


def test_accept_language_picks_french(client):
    response = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert "Trouver un mentor" in response.content.decode()


def test_language_switcher_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert "Trouver un mentor" in client.get("/").content.decode()


def test_login_page_in_french_uses_the_shell(client):
    client.cookies.load({"django_language": "fr"})
    html = client.get(reverse("account_login")).content.decode()
    # The page's heading says what the site's navigation says: "Log in", in French.
    assert re.search(r"<h1[^>]*>\s*Se connecter\s*</h1>", html)
    assert "Aller au contenu principal" in html


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import DatabaseError

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_admin_is_for_staff_only(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get("/admin/").status_code == 302
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_navigation_shows_administration_to_staff_only(client):
    client.force_login(UserFactory())
    assert "Administration" not in client.get("/").content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert "Administration" in client.get("/").content.decode()


def test_account_pages_link_to_two_factor_settings(client):
    client.force_login(UserFactory())
    html = client.get(reverse("account_email")).content.decode()
    assert reverse("mfa_index") in html
    assert reverse("account_change_password") in html


def test_navigation_marks_the_most_specific_current_page(client):
    client.force_login(UserFactory())
    html = client.get(reverse("programs:mine")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse("programs:mine")}" aria-current="page"' in html

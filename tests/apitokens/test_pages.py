"""The token pages: a person's own, a program's in its coordinator's area."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from medmentor.apitokens.models import ApiToken
from medmentor.core.bearer import digest_of
from tests.apitokens.conftest import bearer, make_token
from tests.factories import logged_in_client
from tests.programs.factories import coordinator_of

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"mm_(?:pat|prg)_[A-Za-z0-9_-]{43}")


def _all_text_in_the_database() -> str:
    """Every value of every row of the tokens' table, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_new_token_is_shown_once_and_kept_only_as_a_digest(tworld):
    client = logged_in_client(tworld.amira)
    url = reverse("apitokens:list")
    response = client.post(url, {"name": "Calendar sync", "scope": "read", "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    (plaintext,) = set(SECRET.findall(response.content.decode()))
    assert plaintext.startswith("mm_pat_")
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.owner, token.program) == (
        "Calendar sync",
        "read",
        tworld.amira,
        None,
    )
    assert token.digest == digest_of(plaintext)
    assert plaintext not in _all_text_in_the_database()
    assert plaintext[len("mm_pat_") + 5 :] not in _all_text_in_the_database()
    # Never again: the list shows the hint, not the secret.
    again = client.get(url).content.decode()
    assert "Calendar sync" in again
    assert token.hint in again
    assert not SECRET.search(again)
    # And it works.
    assert client.get("/api/profiles/me", **bearer(plaintext)).status_code == 200


def test_expiry_is_bounded(tworld, settings):
    client = logged_in_client(tworld.amira)
    response = client.post(
        reverse("apitokens:list"), {"name": "Forever", "scope": "read", "days": "10000"}
    )
    assert response.status_code == 422
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_nameless_token_is_refused_naming_the_field(tworld):
    client = logged_in_client(tworld.amira)
    response = client.post(reverse("apitokens:list"), {"name": " ", "scope": "write", "days": "90"})
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token_after_confirming(tworld):
    created = make_token(tworld.amira)
    client = logged_in_client(tworld.amira)
    url = reverse("apitokens:revoke", args=[created.token.uuid])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert b"Revoke the token" in confirm.content
    created.token.refresh_from_db()
    assert created.token.revoked_at is None  # looking is not revoking
    response = client.post(url)
    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None
    assert created.token.revoked_by == tworld.amira
    assert client.get("/api/profiles/me", **bearer(created.plaintext)).status_code == 401


def test_nobody_sees_or_revokes_another_persons_token(tworld):
    created = make_token(tworld.amira)
    for other in (tworld.claire, tworld.sam):
        client = logged_in_client(other)
        url = reverse("apitokens:revoke", args=[created.token.uuid])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert b"My script" not in client.get(reverse("apitokens:list")).content
    created.token.refresh_from_db()
    assert created.token.revoked_at is None


def test_the_pages_need_a_login(tworld):
    created = make_token(tworld.claire, program=tworld.ottawa)
    client = logged_in_client(None)
    for url in (
        reverse("apitokens:list"),
        reverse("apitokens:revoke", args=[created.token.uuid]),
        reverse("apitokens:program", args=[tworld.ottawa.uuid]),
        reverse("apitokens:program_revoke", args=[tworld.ottawa.uuid, created.token.uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


# -- A program's tokens ------------------------------------------------------------------


def test_a_coordinator_makes_a_program_token(tworld):
    client = logged_in_client(tworld.claire)
    url = reverse("apitokens:program", args=[tworld.ottawa.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Roster sync", "scope": "read", "days": "90"})
    assert response.status_code == 200
    (plaintext,) = set(SECRET.findall(response.content.decode()))
    assert plaintext.startswith("mm_prg_")
    token = ApiToken.objects.get()
    assert (token.owner, token.program) == (tworld.claire, tworld.ottawa)
    assert not SECRET.search(client.get(url).content.decode())
    members = f"/api/programs/{tworld.ottawa.uuid}/members"
    assert client.get(members, **bearer(plaintext)).status_code == 200


def test_the_program_page_is_for_its_coordinators_only(tworld):
    created = make_token(tworld.claire, program=tworld.ottawa)
    pages = (
        reverse("apitokens:program", args=[tworld.ottawa.uuid]),
        reverse("apitokens:program_revoke", args=[tworld.ottawa.uuid, created.token.uuid]),
    )
    for person, status in ((tworld.amira, 403), (tworld.sam, 404)):
        client = logged_in_client(person)
        for url in pages:
            assert client.get(url).status_code == status
            assert client.post(url, {"name": "x", "scope": "write", "days": "90"}).status_code == (
                status
            )
    assert ApiToken.objects.count() == 1
    created.token.refresh_from_db()
    assert created.token.revoked_at is None


def test_a_coordinator_revokes_another_coordinators_program_token(tworld):
    second = coordinator_of(tworld.ottawa, user__name="Dana Second").user
    created = make_token(tworld.claire, program=tworld.ottawa)
    personal = make_token(tworld.claire)
    client = logged_in_client(second)
    listing = client.get(reverse("apitokens:program", args=[tworld.ottawa.uuid]))
    assert "Claire Coordinator" in listing.content.decode()
    # Claire's personal token is not the program's: not listed, not revocable here.
    url = reverse("apitokens:program_revoke", args=[tworld.ottawa.uuid, personal.token.uuid])
    assert client.post(url).status_code == 404
    url = reverse("apitokens:program_revoke", args=[tworld.ottawa.uuid, created.token.uuid])
    assert client.post(url).status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_by == second
    personal.token.refresh_from_db()
    assert personal.token.revoked_at is None


def test_a_program_token_cannot_be_revoked_through_another_program(tworld):
    created = make_token(tworld.claire, program=tworld.ottawa)
    client = logged_in_client(tworld.sam)
    url = reverse("apitokens:program_revoke", args=[tworld.saskatoon.uuid, created.token.uuid])
    assert client.post(url).status_code == 404
    created.token.refresh_from_db()
    assert created.token.revoked_at is None


def test_a_participant_cannot_make_a_program_token_through_the_service(tworld):
    with pytest.raises(ValidationError):
        make_token(tworld.amira, program=tworld.ottawa)
    assert not ApiToken.objects.exists()


def test_the_admin_lists_tokens_read_only_without_the_digest(tworld, admin_client):
    created = make_token(tworld.amira)
    listing = admin_client.get(reverse("admin:apitokens_apitoken_changelist"))
    assert listing.status_code == 200
    assert created.token.hint in listing.content.decode()
    page = admin_client.get(reverse("admin:apitokens_apitoken_change", args=[created.token.pk]))
    assert page.status_code == 200
    for shown in (listing, page):
        assert created.token.digest not in shown.content.decode()
        assert created.plaintext not in shown.content.decode()
    assert admin_client.get(reverse("admin:apitokens_apitoken_add")).status_code == 403

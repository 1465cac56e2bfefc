"""A token on the API: it acts as its owner, within its scope, program, life and rate."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from medmentor.apitokens.models import ApiToken
from medmentor.apitokens.services import token_revoke
from medmentor.programs.models import Membership, Role, Status
from tests.apitokens.conftest import bearer, make_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/profiles/me"


def _patch_me(client: Client, plaintext: str, city: str = "Kingston"):
    return client.patch(
        ME, data=json.dumps({"city": city}), content_type="application/json", **bearer(plaintext)
    )


def _assert_error(response, status: int, text: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert text in body["detail"], body


def test_a_read_token_reads_as_its_owner(tworld, api_client):
    created = make_token(tworld.amira)
    response = api_client.get("/api/programs/mine", **bearer(created.plaintext))
    assert response.status_code == 200
    assert [m["program"] for m in response.json()] == [str(tworld.ottawa.uuid)]


def test_a_read_token_cannot_write(tworld, api_client):
    created = make_token(tworld.amira, scope="read")
    response = _patch_me(api_client, created.plaintext)
    _assert_error(response, 403, "read-only")
    assert api_client.get(ME, **bearer(created.plaintext)).json()["profile"].get("city") != (
        "Kingston"
    )


def test_a_write_token_writes_without_csrf(tworld, api_client):
    created = make_token(tworld.amira, scope="write")
    response = _patch_me(api_client, created.plaintext)
    assert response.status_code == 200, response.content
    assert response.json()["profile"]["city"] == "Kingston"


def test_a_session_still_needs_its_csrf_token(tworld, api_client):
    api_client.force_login(tworld.amira)
    response = api_client.patch(
        ME, data=json.dumps({"city": "Kingston"}), content_type="application/json"
    )
    assert response.status_code == 403


def test_anonymous_keeps_its_wording(db, api_client):
    _assert_error(api_client.get(ME), 401, "Log in first.")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ",
        "Bearer nonsense",
        "Bearer mm_pat_short",
        "bearer mm_xyz_" + "a" * 43,
        "Bearer mm_pat_" + "a" * 43 + " extra",
    ],
)
def test_a_malformed_token_is_401_and_logged(tworld, api_client, header, caplog):
    with caplog.at_level(logging.WARNING, logger="medmentor.apitokens"):
        response = api_client.get(ME, HTTP_AUTHORIZATION=header)
    _assert_error(response, 401, "malformed")
    assert "malformed" in caplog.text
    assert "a" * 43 not in caplog.text  # never the secret


def test_an_unknown_token_is_401(tworld, api_client, caplog):
    with caplog.at_level(logging.WARNING, logger="medmentor.apitokens"):
        response = api_client.get(ME, **bearer("mm_pat_" + "A" * 43))
    _assert_error(response, 401, "unknown")
    assert "unknown" in caplog.text


def test_a_token_expires(tworld, api_client):
    created = make_token(tworld.amira, days=7)
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        assert api_client.get(ME, **bearer(created.plaintext)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1), tick=False):
        _assert_error(api_client.get(ME, **bearer(created.plaintext)), 401, "expired")


def test_a_revoked_token_no_longer_works(tworld, api_client):
    created = make_token(tworld.amira, scope="write")
    assert api_client.get(ME, **bearer(created.plaintext)).status_code == 200
    token_revoke(token=created.token, by=tworld.amira)
    _assert_error(api_client.get(ME, **bearer(created.plaintext)), 401, "revoked")
    _assert_error(_patch_me(api_client, created.plaintext), 401, "revoked")


def test_the_token_of_a_deactivated_account_is_unknown(tworld, api_client):
    created = make_token(tworld.amira)
    tworld.amira.is_active = False
    tworld.amira.save(update_fields=["is_active"])
    _assert_error(api_client.get(ME, **bearer(created.plaintext)), 401, "unknown")


def test_last_used_is_noted_at_most_once_a_minute(tworld, api_client):
    created = make_token(tworld.amira)
    assert ApiToken.objects.get().last_used_at is None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_client.get(ME, **bearer(created.plaintext))
        first = ApiToken.objects.get().last_used_at
        assert first == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api_client.get(ME, **bearer(created.plaintext))
        assert ApiToken.objects.get().last_used_at == first  # no write within the minute
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api_client.get(ME, **bearer(created.plaintext))
        assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)


def test_a_refused_token_is_not_noted_as_used(tworld, api_client):
    created = make_token(tworld.amira, scope="read")
    _patch_me(api_client, created.plaintext)
    assert ApiToken.objects.get().last_used_at is None


def test_a_token_acts_as_its_owner_only(tworld, api_client):
    """Amira's token does not open what only the coordinator may see."""
    created = make_token(tworld.amira, scope="write")
    response = api_client.get(
        f"/api/programs/{tworld.ottawa.uuid}/members", **bearer(created.plaintext)
    )
    assert response.status_code == 403
    claire = make_token(tworld.claire)
    response = api_client.get(
        f"/api/programs/{tworld.ottawa.uuid}/members", **bearer(claire.plaintext)
    )
    assert response.status_code == 200


def test_the_rate_limit_is_429_with_retry_after(tworld, api_client, settings):
    settings.API_TOKEN_RATE = (3, 3600)
    created = make_token(tworld.amira)
    other = make_token(tworld.claire)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        for _ in range(3):
            assert api_client.get(ME, **bearer(created.plaintext)).status_code == 200
        response = api_client.get(ME, **bearer(created.plaintext))
        _assert_error(response, 429, "Too many requests")
        assert response["Retry-After"] == str(50 * 60)
        # Per token: another token is not held back.
        assert api_client.get(ME, **bearer(other.plaintext)).status_code == 200
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert api_client.get(ME, **bearer(created.plaintext)).status_code == 200


# -- Program-scoped tokens ---------------------------------------------------------------


def test_a_program_token_works_on_its_program(tworld, api_client):
    created = make_token(tworld.claire, program=tworld.ottawa)
    assert created.plaintext.startswith("mm_prg_")
    response = api_client.get(
        f"/api/programs/{tworld.ottawa.uuid}/members", **bearer(created.plaintext)
    )
    assert response.status_code == 200
    assert {m["name"] for m in response.json()} == {"Amira Haddad", "Claire Coordinator"}


def test_a_program_token_is_refused_elsewhere(tworld, api_client):
    # Claire also coordinates Saskatoon: her Ottawa token still may not act there.
    Membership.objects.create(
        program=tworld.saskatoon,
        user=tworld.claire,
        role=Role.COORDINATOR,
        status=Status.ACTIVE,
        activated_at=timezone.now(),
    )
    created = make_token(tworld.claire, program=tworld.ottawa)
    other_program = api_client.get(
        f"/api/programs/{tworld.saskatoon.uuid}/members", **bearer(created.plaintext)
    )
    _assert_error(other_program, 403, f"This token is for {tworld.ottawa.name} only")
    no_program = api_client.get("/api/programs/mine", **bearer(created.plaintext))
    _assert_error(no_program, 403, f"This token is for {tworld.ottawa.name} only")


def test_a_program_token_stops_when_its_owner_stops_coordinating(tworld, api_client):
    created = make_token(tworld.claire, program=tworld.ottawa)
    url = f"/api/programs/{tworld.ottawa.uuid}/members"
    assert api_client.get(url, **bearer(created.plaintext)).status_code == 200
    Membership.objects.filter(user=tworld.claire, role=Role.COORDINATOR).update(
        status=Status.WITHDRAWN
    )
    _assert_error(api_client.get(url, **bearer(created.plaintext)), 401, "no longer coordinates")


def test_a_read_program_token_cannot_write_on_its_program(tworld, api_client):
    pending = Membership.objects.create(
        program=tworld.ottawa,
        user=UserFactory(name="Olivia Waiting"),
        role=Role.MENTEE,
        status=Status.PENDING,
    )
    created = make_token(tworld.claire, program=tworld.ottawa, scope="read")
    url = f"/api/programs/{tworld.ottawa.uuid}/members/{pending.uuid}/approve"
    response = api_client.post(
        url,
        data=json.dumps({"reason": ""}),
        content_type="application/json",
        **bearer(created.plaintext),
    )
    _assert_error(response, 403, "read-only")
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    writer = make_token(tworld.claire, program=tworld.ottawa, scope="write")
    response = api_client.post(
        url,
        data=json.dumps({"reason": ""}),
        content_type="application/json",
        **bearer(writer.plaintext),
    )
    assert response.status_code == 200, response.content
    pending.refresh_from_db()
    assert pending.status == Status.ACTIVE


# -- The schema --------------------------------------------------------------------------


def test_the_schema_documents_the_bearer_scheme(db, client):
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    bearer_names = [
        name for name, s in schemes.items() if s["type"] == "http" and s["scheme"] == "bearer"
    ]
    assert bearer_names, schemes
    (name,) = bearer_names
    me = schema["paths"]["/api/profiles/me"]["get"]
    assert {name: []} in me["security"]
    assert any("SessionAuth" in entry or "sessionid" in str(entry) for entry in me["security"])

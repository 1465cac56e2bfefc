"""Bad input the fuzzer sent, each answered as a 422 in the one error shape, naming what is
wrong, on SQLite and on PostgreSQL alike (it was a 400 page or a 500 before)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.factories import UserFactory
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def pair(client):
    mentor, mentee = UserFactory(), UserFactory()
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=None)
    client.force_login(mentor)
    return client, mentorship


def assert_invalid(response, field, message=""):
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert [e["field"] for e in body["errors"]] == [field]
    assert message in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("goals", {"title": "a\x00b"}, "title"),
        ("agreement", {"text": "a\x00b"}, "text"),
        (
            "meetings",
            {"starts_at": "2030-01-01T10:00:00Z", "modality": "video", "place": "\x00"},
            "place",
        ),
        ("messages", {"body": "a\x00b"}, "body"),
        ("baseline", {"ratings": {"a\x00b": 3}}, "ratings"),
    ],
)
def test_nul_characters_in_a_body_are_refused(pair, path, payload, field):
    # PostgreSQL cannot store NUL characters: these were 500s there.
    client, mentorship = pair
    url = f"/api/mentorships/{mentorship.uuid}/{path}"
    send = client.put if path == "agreement" else client.post
    assert_invalid(send(url, payload, content_type=JSON), field, "Null characters")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/directory/listings?q=a%00b", "q"),
        ("/api/programs/?audience=a%00b", "audience"),
    ],
)
def test_nul_characters_in_a_query_are_refused(client, url, field):
    ProgramFactory()
    assert_invalid(client.get(url), field, "Null characters")


def test_a_field_called_body_is_named(pair):
    client, mentorship = pair
    response = client.post(f"/api/mentorships/{mentorship.uuid}/messages", {}, content_type=JSON)
    assert_invalid(response, "body")


def test_a_body_that_is_not_json_is_a_422(pair):
    client, mentorship = pair
    response = client.post(
        f"/api/mentorships/{mentorship.uuid}/messages", b"\x00{", content_type=JSON
    )
    assert_invalid(response, "body", "Cannot parse request body")


def test_a_form_without_a_boundary_is_a_422(pair):
    # Reading the CSRF token from such a form failed with a 400 page, not JSON.
    _, mentorship = pair
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentorship.mentor)
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    response = client.post(
        f"/api/mentorships/{mentorship.uuid}/messages", b"--x", content_type="multipart/form-data"
    )
    assert_invalid(response, "body", "boundary")

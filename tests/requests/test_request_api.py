"""Direct requests over the JSON API: the same rules, 4xx in the one error shape."""

from __future__ import annotations

import uuid

import pytest

from medmentor.mentorships.models import Mentorship
from medmentor.requests.models import Request, RequestCascade, RequestStatus
from medmentor.requests.services import request_decline
from tests.requests.requests_support import (
    MESSAGE,
    RequestWorld,
    goal_code,
    profile_uuid,
    send,
)

API = "/api/requests"


def payload(world: RequestWorld, *mentors, **changes) -> dict:
    body = {
        "program": str(world.program.uuid),
        "mentors": [profile_uuid(m) for m in (mentors or (world.mentor,))],
        "message": MESSAGE,
        "goals": [goal_code()],
    }
    body.update(changes)
    return body


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str)
    return body


def test_a_mentee_sends_and_follows_a_line_up(rworld):
    client = rworld.client_for("mentee")
    response = post(client, f"{API}/", payload(rworld, rworld.mentor, rworld.second))
    assert response.status_code == 201
    body = response.json()
    assert body["program"] == str(rworld.program.uuid)
    assert body["status"] == "open"
    assert [r["mentor"] for r in body["requests"]] == [profile_uuid(rworld.mentor)]
    sent = client.get(f"{API}/sent").json()
    assert [line["uuid"] for line in sent] == [body["uuid"]]
    received = rworld.client_for("mentor").get(f"{API}/received").json()
    assert [r["mentee_name"] for r in received] == ["Amira Haddad"]
    assert received[0]["message"] == MESSAGE


def test_the_mentor_accepts_over_the_api(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    response = post(rworld.client_for("mentor"), f"{API}/{request.uuid}/accept")
    assert response.status_code == 200
    mentorship = Mentorship.objects.get()
    assert response.json() == {"request": str(request.uuid), "mentorship": str(mentorship.uuid)}
    again = post(rworld.client_for("mentor"), f"{API}/{request.uuid}/accept")
    body = assert_error_shape(again, 422)
    assert body["errors"][0]["field"] == "status"


def test_the_decline_reason_reaches_the_mentor_only(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second).requests.get()
    response = post(
        rworld.client_for("mentor"), f"{API}/{request.uuid}/decline", {"reason": "PRIVATE-REASON"}
    )
    assert response.status_code == 200
    assert response.json()["decline_reason"] == "PRIVATE-REASON"
    assert response.json()["status"] == "declined"
    mentee_view = rworld.client_for("mentee").get(f"{API}/sent")
    assert "PRIVATE-REASON" not in mentee_view.content.decode()
    statuses = [r["status"] for r in mentee_view.json()[0]["requests"]]
    assert statuses == ["declined", "pending"]
    past = rworld.client_for("mentor").get(f"{API}/received?pending=false").json()
    assert past[0]["decline_reason"] == "PRIVATE-REASON"


def test_the_mentee_withdraws_over_the_api(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    response = post(rworld.client_for("mentee"), f"{API}/lineups/{cascade.uuid}/withdraw")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert cascade.requests.get().status == RequestStatus.WITHDRAWN
    again = post(rworld.client_for("mentee"), f"{API}/lineups/{cascade.uuid}/withdraw")
    assert_error_shape(again, 422)


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"message": ""}, 422, "message"),
        ({"message": "x" * 1001}, 422, "message"),
        ({"mentors": []}, 422, "mentors"),
        ({"mentors": [str(uuid.uuid4())] * 4}, 422, "mentors"),
        ({"mentors": [str(uuid.uuid4())]}, 422, "mentor"),
        ({"goals": ["astrology"]}, 422, "goals"),
        ({"program": str(uuid.uuid4())}, 404, None),
        ({"program": "not-a-uuid"}, 422, "program"),
    ],
)
def test_bad_input_is_a_4xx_with_the_field_and_writes_nothing(rworld, change, status, field):
    response = post(rworld.client_for("mentee"), f"{API}/", payload(rworld, **change))
    body = assert_error_shape(response, status)
    if field:
        assert field in [e["field"] for e in body["errors"]]
    assert not Request.objects.exists()
    assert not RequestCascade.objects.exists()


def test_a_rule_broken_over_the_api_names_the_mentor_in_the_line_up(rworld):
    send(rworld.program, rworld.mentee, rworld.second)
    response = post(
        rworld.client_for("mentee"), f"{API}/", payload(rworld, rworld.mentor, rworld.second)
    )
    body = assert_error_shape(response, 422)
    assert body["errors"][0]["field"] == "second_mentor"
    assert "already have a request open with Marie Gagnon" in body["errors"][0]["message"]
    assert RequestCascade.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("mentee", 403),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("staff", 404),
        ("outsider", 404),
    ],
)
def test_only_the_mentor_answers_over_the_api(rworld, persona, status):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    for action in ("accept", "decline"):
        response = post(rworld.client_for(persona), f"{API}/{request.uuid}/{action}")
        assert_error_shape(response, status)
    withdraw = post(rworld.client_for(persona), f"{API}/lineups/{request.cascade.uuid}/withdraw")
    if persona != "mentee":
        assert_error_shape(withdraw, 401 if persona == "anonymous" else 404)
    request.refresh_from_db()
    assert request.status in (RequestStatus.PENDING, RequestStatus.WITHDRAWN)
    assert not Mentorship.objects.exists()


def test_lists_hold_only_ones_own_requests(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    request_decline(request=request, by=rworld.mentor, reason="PRIVATE-REASON")
    for persona in ("coordinator", "outsider", "staff"):
        client = rworld.client_for(persona)
        assert client.get(f"{API}/sent").json() == []
        assert client.get(f"{API}/received?pending=false").json() == []
    assert_error_shape(rworld.client_for("anonymous").get(f"{API}/sent"), 401)

"""The rounds API: list, run (202), read, publish for the program's coordinators; my
proposals and answers for participants; denials and bad input as 4xx with a message."""

from __future__ import annotations

import pytest

from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus
from medmentor.mentorships.models import Mentorship
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import publish, round_program, run_round
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_coordinators_run_read_and_publish_a_round(client, django_capture_on_commit_callbacks):
    world = round_program(mentees=3, mentors=2)
    client.force_login(world.coordinator)
    base = f"/api/rounds/programs/{world.program.uuid}"
    assert client.get(base).json() == []
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(base, {"algorithm": "optimal", "seed": 4}, content_type=JSON)
    assert started.status_code == 202
    round_uuid = started.json()["uuid"]
    assert started.json()["status"] == "queued"  # answered before the task ran
    listed = client.get(base).json()
    assert [(r["uuid"], r["status"], r["algorithm"]) for r in listed] == [
        (round_uuid, "ready", "optimal")
    ]
    detail = client.get(f"/api/rounds/{round_uuid}").json()
    assert detail["summary"]["matched"] == 2
    assert len(detail["proposals"]) == 2
    first = detail["proposals"][0]
    assert set(first) >= {"mentee", "mentor", "score", "consideration", "reasons", "status"}
    assert first["mentee"] == {"name": Proposal.objects.get(uuid=first["uuid"]).mentee.name}
    assert "@" not in started.content.decode() + str(detail)  # names, never addresses
    assert [u["code"] for u in detail["unmatched"]] == ["mentors_full"]
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"/api/rounds/{round_uuid}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    again = client.post(f"/api/rounds/{round_uuid}/publish")
    assert again.status_code == 422
    assert "can be published" in again.json()["errors"][0]["message"]


def test_participants_list_and_answer_their_proposals(client):
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    mentee, mentor = world.mentees[0], world.mentors[0]
    client.force_login(mentee)
    mine = client.get("/api/rounds/proposals/mine").json()
    assert [(p["uuid"], p["role"], p["other"]) for p in mine] == [
        (str(proposal.uuid), "mentee", {"name": mentor.name})
    ]
    url = f"/api/rounds/proposals/{proposal.uuid}/answer"
    bad = client.post(url, {"decision": "maybe"}, content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "decision"
    long = client.post(url, {"decision": "decline", "reason": "x" * 1001}, content_type=JSON)
    assert long.status_code == 422
    assert long.json()["errors"][0]["field"] == "reason"
    accepted = client.post(url, {"decision": "accept"}, content_type=JSON)
    assert accepted.json()["my_response"] == "accepted"
    client.force_login(mentor)
    done = client.post(url, {"decision": "accept"}, content_type=JSON).json()
    assert done["status"] == "accepted"
    mentorship = Mentorship.objects.get()
    assert done["mentorship"] == str(mentorship.uuid)
    assert mentorship.source == "round"
    closed = client.post(url, {"decision": "decline"}, content_type=JSON)
    assert closed.status_code == 422
    assert "closed" in closed.json()["errors"][0]["message"]


def test_coordinator_routes_deny_everyone_else(client):
    world = round_program(mentees=1, mentors=1)
    match_round = run_round(world.program, world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    other_program = ProgramFactory()
    other_coordinator = MembershipFactory(program=other_program, role="coordinator").user
    staff = UserFactory(is_staff=True, is_superuser=True)
    routes = [
        ("get", f"/api/rounds/programs/{world.program.uuid}"),
        ("post", f"/api/rounds/programs/{world.program.uuid}"),
        ("get", f"/api/rounds/{match_round.uuid}"),
        ("post", f"/api/rounds/{match_round.uuid}/publish"),
    ]
    for person, status in (
        (other_coordinator, 404),
        (staff, 404),
        (UserFactory(), 404),
        (world.mentees[0], 403),
        (world.mentors[0], 403),
    ):
        client.force_login(person)
        for method, url in routes:
            response = getattr(client, method)(url, {}, content_type=JSON)
            assert response.status_code == status, (person, url)
            assert response.json()["detail"]
    client.logout()
    assert client.get(f"/api/rounds/{match_round.uuid}").status_code == 401
    # Not published: the pair does not see it; nobody else ever does.
    client.force_login(world.mentees[0])
    answer_url = f"/api/rounds/proposals/{proposal.uuid}/answer"
    assert client.post(answer_url, {"decision": "accept"}, content_type=JSON).status_code == 404
    assert client.get("/api/rounds/proposals/mine").json() == []
    client.force_login(other_coordinator)
    assert client.post(answer_url, {"decision": "accept"}, content_type=JSON).status_code == 404
    assert MatchRound.objects.get().status == RoundStatus.READY
    assert MatchRound.objects.count() == 1


def test_bad_input_to_run_a_round(client):
    world = round_program(mentees=1, mentors=1)
    client.force_login(world.coordinator)
    base = f"/api/rounds/programs/{world.program.uuid}"
    wrong = client.post(base, {"algorithm": "greedy"}, content_type=JSON)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "algorithm"
    negative = client.post(base, {"seed": -1}, content_type=JSON)
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "seed"
    garbage = client.post(base, "not json", content_type=JSON)
    assert garbage.status_code in (400, 422)
    assert client.get("/api/rounds/not-a-uuid").status_code in (404, 422)
    MatchRound.objects.create(program=world.program, status=RoundStatus.RUNNING)
    busy = client.post(base, {}, content_type=JSON)
    assert busy.status_code == 422
    assert "already running" in busy.json()["errors"][0]["message"]
    assert MatchRound.objects.count() == 1

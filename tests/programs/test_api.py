"""The programs API: the same allowances and denials as the site, 422 naming the field."""

from __future__ import annotations

import pytest

from medmentor.programs.invitations import invitation_token
from medmentor.programs.models import Membership, Program, Status
from tests.factories import UserFactory
from tests.programs.factories import IntakeQuestionFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_anyone_lists_and_reads_listed_programs(client, world):
    listed = client.get("/api/programs/").json()
    names = {item["name_en"] for item in listed}
    assert world.program.name_en in names
    assert "MedMentor Open Community" in names
    detail = client.get(f"/api/programs/{world.program.uuid}").json()
    assert detail["weights"] == {
        "consideration": 0.25,
        "camaraderie": 0.25,
        "commonality": 0.25,
        "confidentiality": 0.25,
    }
    assert "invitation_nonce" not in detail
    Program.objects.filter(pk=world.program.pk).update(is_listed=False)
    assert client.get(f"/api/programs/{world.program.uuid}").status_code == 404
    assert world.program.name_en not in {i["name_en"] for i in client.get("/api/programs/").json()}
    assert world.client_for("mentee").get(f"/api/programs/{world.program.uuid}").status_code == 200


def test_join_mine_and_withdraw(client):
    program = ProgramFactory()
    question = IntakeQuestionFactory(program=program)
    assert (
        client.post(
            f"/api/programs/{program.uuid}/join",
            {"role": "mentee"},
            content_type="application/json",
        ).status_code
        == 401
    )
    person = UserFactory()
    client.force_login(person)
    joined = client.post(
        f"/api/programs/{program.uuid}/join",
        {"role": "mentee", "answers": {str(question.uuid): ["virtual"]}},
        content_type="application/json",
    )
    assert joined.status_code == 200
    body = joined.json()
    assert (body["role"], body["status"], body["program"]) == (
        "mentee",
        "active",
        str(program.uuid),
    )
    assert [m["uuid"] for m in client.get("/api/programs/mine").json()] == [body["uuid"]]
    left = client.post(f"/api/programs/memberships/{body['uuid']}/withdraw")
    assert left.json()["status"] == "withdrawn"
    client.force_login(UserFactory())
    assert client.post(f"/api/programs/memberships/{body['uuid']}/withdraw").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "mentee", "answers": {"QUESTION": ["by_pigeon"]}}, "answers.QUESTION"),
        ({"role": "mentee", "answers": {}}, "answers.QUESTION"),
        ({"role": "chief"}, "role"),
        (
            {"role": "mentee", "career_stage": "astronaut", "answers": {"QUESTION": ["virtual"]}},
            "career_stage",
        ),
        ({"answers": {}}, "role"),
    ],
)
def test_bad_join_is_422_naming_the_field(client, payload, field):
    program = ProgramFactory()
    question = IntakeQuestionFactory(program=program)
    key = str(question.uuid)
    if "answers" in payload:
        payload["answers"] = {
            key if k == "QUESTION" else k: v for k, v in payload["answers"].items()
        }
    client.force_login(UserFactory())
    response = client.post(
        f"/api/programs/{program.uuid}/join", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert field.replace("QUESTION", key) in [e["field"] for e in response.json()["errors"]]
    assert not Membership.objects.filter(program=program).exists()


def test_a_program_for_a_community_is_joined_over_the_api_only_by_self_identifying(client):
    """The page's checkbox is a required field; over the API the service asks for it."""
    program = ProgramFactory(requires_self_identification=True)
    client.force_login(UserFactory())
    url = f"/api/programs/{program.uuid}/join"
    refused = client.post(url, {"role": "mentee"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "self_identified",
            "message": "This program is for people who self-identify as described.",
        }
    ]
    assert not Membership.objects.filter(program=program).exists()
    joined = client.post(
        url, {"role": "mentee", "self_identified": True}, content_type="application/json"
    )
    assert joined.status_code == 200
    assert Membership.objects.get(program=program).self_identified


def test_join_by_invitation_token(client):
    program = ProgramFactory(enrolment_mode="invitation")
    client.force_login(UserFactory())
    refused = client.post(
        f"/api/programs/{program.uuid}/join", {"role": "mentor"}, content_type="application/json"
    )
    assert refused.status_code == 422
    wrong_role = client.post(
        f"/api/programs/{program.uuid}/join",
        {"role": "mentee", "invitation": invitation_token(program, "mentor")},
        content_type="application/json",
    )
    assert [e["field"] for e in wrong_role.json()["errors"]] == ["invitation"]
    joined = client.post(
        f"/api/programs/{program.uuid}/join",
        {"role": "mentor", "invitation": invitation_token(program, "mentor")},
        content_type="application/json",
    )
    assert joined.status_code == 200
    assert joined.json()["status"] == "active"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("mentee", 403),
        ("mentor", 403),
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("staff", 404),
        ("outsider", 404),
    ],
)
def test_members_list_matrix(world, persona, status):
    response = world.client_for(persona).get(f"/api/programs/{world.program.uuid}/members")
    assert response.status_code == status
    if status == 200:
        names = {m["name"] for m in response.json()}
        assert {world.mentee.name, world.mentor.name, world.coordinator.name} == names
        assert "@" not in response.content.decode()  # by name, never by address


@pytest.mark.parametrize(
    "persona", ["anonymous", "mentee", "other_coordinator", "staff", "outsider"]
)
def test_approve_is_for_the_programs_coordinators_only(world, persona):
    pending = MembershipFactory(program=world.program, status=Status.PENDING, activated_at=None)
    url = f"/api/programs/{world.program.uuid}/members/{pending.uuid}/approve"
    response = world.client_for(persona).post(url, {}, content_type="application/json")
    assert response.status_code in (401, 403, 404)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_coordinator_approves_and_declines(world):
    client = world.client_for("coordinator")
    first = MembershipFactory(program=world.program, status=Status.PENDING, activated_at=None)
    second = MembershipFactory(program=world.program, status=Status.PENDING, activated_at=None)
    base = f"/api/programs/{world.program.uuid}/members"
    approved = client.post(f"{base}/{first.uuid}/approve", {}, content_type="application/json")
    assert approved.json()["status"] == "active"
    declined = client.post(
        f"{base}/{second.uuid}/decline", {"reason": "Full"}, content_type="application/json"
    )
    assert declined.json()["status"] == "declined"
    again = client.post(f"{base}/{second.uuid}/approve", {}, content_type="application/json")
    assert again.status_code == 422
    too_long = client.post(
        f"{base}/{first.uuid}/decline", {"reason": "x" * 1001}, content_type="application/json"
    )
    assert too_long.status_code == 422
    assert [e["field"] for e in too_long.json()["errors"]] == ["reason"]
    filtered = client.get(f"{base}?status=declined").json()
    assert [m["uuid"] for m in filtered] == [str(second.uuid)]
    assert client.get(f"{base}?status=lost").status_code == 422

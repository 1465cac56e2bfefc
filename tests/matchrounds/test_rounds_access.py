"""Every coordinator route of match rounds walks the persona matrix: the program's
coordinator passes, its participants get 403, everyone else 404, anonymous people log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus
from tests.factories import UserFactory
from tests.programs.personas import (
    ALLOWED,
    COORDINATOR_MATRIX,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_round(world):
    match_round = MatchRound.objects.create(
        program=world.program,
        created_by=world.coordinator,
        status=RoundStatus.READY,
        places={str(world.mentor.pk): 1},
        summary={"mentees": 1, "matched": 1, "matched_share": 1.0, "mean_score": 0.5},
    )
    proposal = Proposal.objects.create(
        round=match_round, mentee=world.mentee, mentor=world.mentor, score=0.5
    )
    other = MatchRound.objects.create(program=world.program, status=RoundStatus.READY)
    return match_round, proposal, other


def _routes(world, match_round, proposal, other):
    p, r = world.program.uuid, match_round.uuid
    return [
        ("get", reverse("matchrounds:rounds", args=[p]), {}),
        ("post", reverse("matchrounds:round_run", args=[p]), {"algorithm": "stable"}),
        ("get", reverse("matchrounds:round", args=[p, r]), {}),
        ("get", reverse("matchrounds:round_pair", args=[p, r]), {}),
        ("get", reverse("matchrounds:round_compare", args=[p, r]) + f"?with={other.uuid}", {}),
        ("get", reverse("matchrounds:round_export", args=[p, r]), {}),
        ("post", reverse("matchrounds:round_lock", args=[p, r, proposal.uuid]), {"locked": "1"}),
        ("post", reverse("matchrounds:round_break", args=[p, r, proposal.uuid]), {}),
        ("post", reverse("matchrounds:round_rerun", args=[p, r]), {}),
        ("post", reverse("matchrounds:round_publish", args=[p, r]), {}),
    ]


@pytest.mark.parametrize("persona", [p for p, v in COORDINATOR_MATRIX.items() if v != ALLOWED])
def test_only_the_programs_coordinators_reach_round_pages(world, ready_round, persona):
    match_round, proposal, other = ready_round
    client = world.client_for(persona)
    expected = COORDINATOR_MATRIX[persona]
    for method, url, data in _routes(world, match_round, proposal, other):
        response = getattr(client, method)(url, data)
        if expected == LOGIN:
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"]
        elif expected == FORBIDDEN:
            assert response.status_code == 403, url
        else:
            assert expected == NOT_FOUND
            assert response.status_code == 404, url
    # Nothing changed for anyone who was refused.
    match_round.refresh_from_db()
    proposal.refresh_from_db()
    assert match_round.status == RoundStatus.READY
    assert not proposal.locked
    assert MatchRound.objects.filter(program=world.program).count() == 2


def test_the_coordinator_reaches_every_round_page(world, ready_round):
    match_round, proposal, other = ready_round
    client = world.client_for("coordinator")
    for method, url, _data in _routes(world, match_round, proposal, other):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_a_round_of_another_program_is_not_found_under_this_one(world, ready_round):
    match_round, _proposal, _other = ready_round
    client = world.client_for("other_coordinator")
    url = reverse("matchrounds:round", args=[world.other_program.uuid, match_round.uuid])
    assert client.get(url).status_code == 404
    compare = reverse("matchrounds:round_compare", args=[world.program.uuid, match_round.uuid])
    coordinator = world.client_for("coordinator")
    assert coordinator.get(compare + "?with=not-a-uuid").status_code == 404
    foreign = MatchRound.objects.create(program=world.other_program)
    assert coordinator.get(compare + f"?with={foreign.uuid}").status_code == 404


def test_a_proposal_is_only_for_its_two_people_once_published(world, ready_round):
    match_round, proposal, _other = ready_round
    url = reverse("matchrounds:proposal", args=[proposal.uuid])
    # Not published yet: nobody sees it, the pair included.
    assert world.client_for("mentee").get(url).status_code == 404
    MatchRound.objects.filter(pk=match_round.pk).update(status=RoundStatus.PUBLISHED)
    Proposal.objects.filter(pk=proposal.pk).update(status="published")
    assert world.client_for("mentee").get(url).status_code == 200
    assert world.client_for("mentor").get(url).status_code == 200
    for persona in ("coordinator", "other_coordinator", "staff", "outsider"):
        assert world.client_for(persona).get(url).status_code == 404, persona
    answer = reverse("matchrounds:proposal_answer", args=[proposal.uuid, "accept"])
    assert world.client_for("outsider").post(answer).status_code == 404
    assert world.client_for("anonymous").get(url).status_code == 302
    stranger = UserFactory()
    assert world.client_for("outsider").get(reverse("matchrounds:proposals")).status_code == 200
    assert stranger.proposals_as_mentee.count() == 0


def test_staff_read_rounds_in_the_admin_without_private_reasons(client, world, ready_round):
    _match_round, proposal, _other = ready_round
    Proposal.objects.filter(pk=proposal.pk).update(mentee_reason="My supervisor's friend.")
    client.force_login(world.staff)
    assert client.get(reverse("admin:matchrounds_matchround_changelist")).status_code == 200
    page = client.get(reverse("admin:matchrounds_proposal_change", args=[proposal.pk]))
    assert page.status_code == 200
    assert "supervisor&#x27;s friend" not in page.content.decode()
    assert "My supervisor" not in page.content.decode()
    assert client.get(reverse("admin:matchrounds_proposal_add")).status_code == 403

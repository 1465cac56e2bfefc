"""Reverse mentoring: a program that lets a less senior member mentor a more senior one
(a resident teaching an attending digital tools), honoured by rounds, direct requests,
picks and hand pairs alike; the other rules still refuse it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.matchrounds.models import Pick, Proposal
from medmentor.programs.models import Program, SeniorityRule
from tests.matchrounds.rounds_factories import pairs, round_program, run_round
from tests.requests.requests_support import mentor_in, send

pytestmark = pytest.mark.django_db


def set_rule(program: Program, rule: str) -> None:
    Program.objects.filter(pk=program.pk).update(seniority_rule=rule)
    program.refresh_from_db()


def test_a_round_pairs_a_junior_mentor_with_a_senior_mentee_only_when_allowed():
    world = round_program(seniority_rule=SeniorityRule.PEER)
    attending = world.add_mentee(name="Dr. Late Career", stage="late-career")
    world.add_mentor(name="Rae Resident", stage="resident-pgy2")
    assert pairs(run_round(world.program, world.coordinator)) == set()
    set_rule(world.program, SeniorityRule.ANY)
    [(mentee, mentor)] = pairs(run_round(world.program, world.coordinator))
    assert mentee == attending.pk
    assert mentor == world.mentors[0].pk


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (SeniorityRule.SENIOR, "at a later career stage than theirs"),
        (SeniorityRule.PEER, "at their career stage or a later one"),
    ],
)
def test_a_request_to_a_junior_mentor_is_refused_unless_reverse_mentoring(rworld, rule, words):
    junior = mentor_in(rworld.program, "Sam Student", stage="medical-student")
    set_rule(rworld.program, rule)
    with pytest.raises(ValidationError) as refused:
        send(rworld.program, rworld.mentee, junior)
    assert words in " ".join(refused.value.message_dict["mentor"])
    set_rule(rworld.program, SeniorityRule.ANY)
    assert send(rworld.program, rworld.mentee, junior).requests.get().mentor == junior


def test_a_mentee_may_pick_a_junior_mentor_only_with_reverse_mentoring(client):
    world = round_program(seniority_rule=SeniorityRule.PEER)
    attending = world.add_mentee(name="Dr. Late Career", stage="late-career")
    junior = world.add_mentor(name="Rae Resident", stage="resident-pgy2")
    client.force_login(attending)
    url = reverse("matchrounds:pick_change", args=[world.program.uuid])
    assert client.post(url, {"person": str(junior.uuid), "action": "add"}).status_code == 422
    assert not Pick.objects.exists()
    set_rule(world.program, SeniorityRule.ANY)
    assert client.post(url, {"person": str(junior.uuid), "action": "add"}).status_code == 302
    assert Pick.objects.get().chosen == junior


def test_a_hand_pair_across_seniority_carries_no_warning_with_reverse_mentoring(client):
    world = round_program(seniority_rule=SeniorityRule.PEER)
    attending = world.add_mentee(name="Dr. Late Career", stage="late-career")
    junior = world.add_mentor(name="Rae Resident", stage="resident-pgy2")
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == set()
    client.force_login(world.coordinator)
    url = reverse("matchrounds:round_pair", args=[world.program.uuid, match_round.uuid])
    warned = client.post(url, {"mentee": attending.pk, "mentor": junior.pk})
    assert warned.status_code == 422
    assert "Pair them anyway" in warned.content.decode()
    set_rule(world.program, SeniorityRule.ANY)
    assert client.post(url, {"mentee": attending.pk, "mentor": junior.pk}).status_code == 302
    assert Proposal.objects.get(round=match_round).warnings == []


def test_the_settings_page_offers_reverse_mentoring(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("programs:settings", args=[world.program.uuid])).content.decode()
    assert 'value="any"' in page
    assert "a less senior member may mentor a more senior one" in page

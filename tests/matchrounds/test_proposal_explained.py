"""Issue 16, proposals: the mentee and the mentor of a published proposal see its four Cs
(the bars the coordinator reviews, with their numbers) and a link to each other's
profile."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from medmentor.matchrounds.models import Proposal
from medmentor.profiles.models import Profile
from medmentor.profiles.services import block_add
from tests.matchrounds.rounds_factories import publish, round_program, run_round

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("side", ["mentee", "mentor"])
def test_each_side_of_a_proposal_sees_the_four_cs_and_the_partners_profile(client, side):
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    pair = (proposal.mentee, proposal.mentor)
    me, other = pair if side == "mentee" else pair[::-1]
    client.force_login(me)
    page = client.get(reverse("matchrounds:proposal", args=[proposal.uuid])).content.decode()
    for c in ("consideration", "camaraderie", "commonality", "confidentiality"):
        value = getattr(proposal, c)
        if value is None:
            assert re.search(rf"<span>{c}</span>\s*—", page), c
        else:  # the bar and the number the coordinator sees
            assert re.search(rf"<span>{c}</span>\s*<meter[^>]*></meter>\s*{value:.2f}", page), c
    assert page.count(proposal.reasons[0]) == 1  # the reasons are said once
    other_profile = Profile.objects.get(user=other)
    assert reverse("profiles:detail", args=[other_profile.uuid]) in page
    # The link opens the partner's page.
    assert client.get(reverse("profiles:detail", args=[other_profile.uuid])).status_code == 200
    # The coordinator's review shows the same partial.
    client.force_login(world.coordinator)
    review = client.get(
        reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    ).content.decode()
    assert 'class="four-cs"' in review


def test_after_a_block_the_proposal_no_longer_links_to_the_blockers_profile(client):
    """The mentor blocked the mentee after the round was published: the mentee still reads
    the proposal, but no link leads to a profile page that would now be a 404."""
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    mentor_profile = Profile.objects.get(user=proposal.mentor)
    block_add(blocker=proposal.mentor, blocked=proposal.mentee)
    client.force_login(proposal.mentee)
    page = client.get(reverse("matchrounds:proposal", args=[proposal.uuid]))
    assert page.status_code == 200
    assert proposal.mentor.name in page.content.decode()
    assert reverse("profiles:detail", args=[mentor_profile.uuid]) not in page.content.decode()
    assert client.get(reverse("profiles:detail", args=[mentor_profile.uuid])).status_code == 404

"""What a round takes besides the scores: pairs already together are not proposed again,
and participants' picks come first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.matchrounds.models import Pick
from medmentor.matchrounds.roundinputs import pool_of
from medmentor.mentorships.models import Source
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.profiles.models import Profile
from medmentor.programs.models import Role
from tests.matchrounds.rounds_factories import pairs, round_program, run_round

pytestmark = pytest.mark.django_db


def test_a_pair_already_together_elsewhere_is_not_proposed_again():
    world = round_program(mentees=1, mentors=2, capacity=2)
    mentee, usual, other = world.mentees[0], *world.mentors
    # They met in the open community (no program); both then joined this program.
    mentorship_start(mentor=usual, mentee=mentee, program=None, source=Source.REQUEST, by=None)

    match_round = run_round(world.program, world.coordinator)

    assert pairs(match_round) == {(mentee.pk, other.pk)}


def test_a_mentees_pick_comes_ahead_of_the_scores():
    world = round_program(mentees=1, mentors=0, capacity=1)
    mentee = world.mentees[0]
    close = world.add_mentor(name="Close Match", province="ON")
    picked = world.add_mentor(name="Picked Mentor", province="BC", specialty="psychiatry")
    assert pairs(run_round(world.program, world.coordinator)) == {(mentee.pk, close.pk)}

    Pick.objects.create(
        program=world.program, chooser=mentee, chosen=picked, role=Role.MENTEE, rank=1
    )
    assert pairs(run_round(world.program, world.coordinator)) == {(mentee.pk, picked.pk)}


def test_a_mentor_who_paused_gets_no_proposal_and_the_pool_says_so(client):
    world = round_program(mentees=1, mentors=0)
    mentee = world.mentees[0]
    paused = world.add_mentor(name="Paused Mentor", capacity=3)
    Profile.objects.filter(user=paused).update(accepting_mentees=False)
    available = world.add_mentor(name="Available Mentor", province="BC")

    pool = pool_of(world.program)
    assert pool.mentor_places == {available.pk: 1}
    assert pool.mentors_paused == 1
    assert pairs(run_round(world.program, world.coordinator)) == {(mentee.pk, available.pk)}
    client.force_login(world.coordinator)
    page = client.get(reverse("matchrounds:rounds", args=[world.program.uuid])).content.decode()
    assert "Mentors not accepting mentees for now (left out)" in page

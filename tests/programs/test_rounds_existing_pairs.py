"""A round never proposes two people who are already in a mentorship together."""

from __future__ import annotations

import pytest

from medmentor.mentorships.models import Source
from medmentor.mentorships.services.lifecycle import mentorship_start
from tests.programs.rounds_factories import pairs, round_program, run_round

pytestmark = pytest.mark.django_db


def test_a_pair_already_together_elsewhere_is_not_proposed_again():
    world = round_program(mentees=1, mentors=2, capacity=2)
    mentee, usual, other = world.mentees[0], *world.mentors
    # They met in the open community (no program); both then joined this program.
    mentorship_start(mentor=usual, mentee=mentee, program=None, source=Source.REQUEST, by=None)

    match_round = run_round(world.program, world.coordinator)

    assert pairs(match_round) == {(mentee.pk, other.pk)}

"""Each segment is exactly the people it names, and never anyone outside the program."""

from __future__ import annotations

import pytest

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.services.closure import mentorship_end
from medmentor.programs.models import Role, Status
from medmentor.segments.selectors import Segment, segment_label, segment_members
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import answer, publish, round_program, run_round
from tests.mentorships.factories import start_mentorship
from tests.profiles.factories import make_mentee
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def names(people) -> set[str]:
    return {user.name for user in people}


@pytest.fixture
def cohort():
    """Three mentees and two mentors with full profiles, a published round (each mentor
    has one seat, so one mentee stays unmatched), and around them people who must never
    be reached: a withdrawn mentee, a pending one, a deactivated account, the coordinator,
    and the members of another program."""
    world = round_program(mentees=3, mentors=2)
    program = world.program
    MembershipFactory(program=program, role=Role.MENTEE, status=Status.WITHDRAWN, user__name="Gone")
    MembershipFactory(program=program, role=Role.MENTEE, status=Status.PENDING, user__name="Asks")
    MembershipFactory(program=program, role=Role.MENTEE, user__name="Shut", user__is_active=False)
    other = ProgramFactory()
    MembershipFactory(program=other, role=Role.MENTEE, user__name="Elsewhere")
    match_round = publish(run_round(program, world.coordinator), world.coordinator)
    return world, match_round


def test_role_segments_hold_the_active_participants_only(cohort):
    world, _round = cohort
    program = world.program
    mentees = {u.name for u in world.mentees}
    mentors = {u.name for u in world.mentors}
    assert names(segment_members(program, Segment.MENTEES)) == mentees
    assert names(segment_members(program, Segment.MENTORS)) == mentors
    assert names(segment_members(program, Segment.EVERYONE)) == mentees | mentors


def test_someone_in_both_roles_is_reached_once(cohort):
    world, _round = cohort
    both = world.mentors[0]
    MembershipFactory(program=world.program, user=both, role=Role.MENTEE)
    everyone = list(segment_members(world.program, Segment.EVERYONE))
    assert [u.pk for u in everyone].count(both.pk) == 1


def test_round_segments(cohort):
    world, match_round = cohort
    program = world.program
    proposals = list(match_round.proposals.order_by("id"))
    assert len(proposals) == 2
    answer(proposals[0], mentee=True, mentor=None)  # the mentor of the first has not answered
    unmatched = set(names(world.mentees)) - {p.mentee.name for p in proposals}
    assert names(segment_members(program, Segment.UNMATCHED)) == unmatched
    assert names(segment_members(program, Segment.NOT_ACCEPTED)) == {
        proposals[0].mentor.name,
        proposals[1].mentee.name,
        proposals[1].mentor.name,
    }
    assert names(segment_members(program, Segment.COHORT, match_round=match_round)) == names(
        world.mentees + world.mentors
    )
    assert "·" in segment_label(Segment.COHORT, match_round)


def test_a_round_segment_without_a_published_round_is_empty():
    world = round_program(mentees=2, mentors=1)
    assert not segment_members(world.program, Segment.UNMATCHED).exists()
    other = round_program(mentees=1, mentors=1)
    foreign = publish(run_round(other.program, other.coordinator), other.coordinator)
    # A round of another program is no way out of this one.
    assert not segment_members(world.program, Segment.COHORT, match_round=foreign).exists()


def test_pair_segments_and_incomplete_profiles(cohort):
    world, _round = cohort
    program = world.program
    live = start_mentorship(mentor=world.mentors[0], mentee=world.mentees[0], program=program)
    ended = start_mentorship(mentor=world.mentors[1], mentee=world.mentees[1], program=program)
    mentorship_end(access=MentorshipAccess(mentorship=ended, user=ended.mentor, role="mentor"))
    # A pair of the same people in another program does not count here.
    start_mentorship(mentor=world.mentors[1], mentee=world.mentees[2], program=ProgramFactory())
    assert names(segment_members(program, Segment.ACTIVE_PAIRS)) == {
        live.mentor.name,
        live.mentee.name,
    }
    assert names(segment_members(program, Segment.CLOSED_PAIRS)) == {
        ended.mentor.name,
        ended.mentee.name,
    }
    assert not segment_members(program, Segment.INCOMPLETE).exists()
    newcomer = UserFactory(name="Newcomer")
    MembershipFactory(program=program, user=newcomer, role=Role.MENTEE)
    assert names(segment_members(program, Segment.INCOMPLETE)) == {"Newcomer"}
    make_mentee(user=User.objects.get(pk=newcomer.pk))
    assert not segment_members(program, Segment.INCOMPLETE).exists()

"""Both sides of a proposal accept at the same moment: exactly one mentorship starts
(the proposal row is locked, so the second accept sees the first). PostgreSQL only."""

from __future__ import annotations

import pytest

from medmentor.matchrounds.models import Proposal
from medmentor.matchrounds.services.publish import proposal_respond
from medmentor.mentorships.models import Mentorship
from tests.concurrency import at_once, postgresql_only
from tests.matchrounds.rounds_factories import publish, round_program, run_round


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_accepts_of_both_sides_start_exactly_one_mentorship():
    postgresql_only()
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    results = at_once(
        *(
            lambda person=person: proposal_respond(proposal=proposal, user=person, accept=True)
            for person in (world.mentees[0], world.mentors[0])
        )
    )
    assert not [r for r in results if isinstance(r, Exception)]
    proposal.refresh_from_db()
    assert (proposal.mentee_response, proposal.mentor_response, proposal.status) == (
        "accepted",
        "accepted",
        "accepted",
    )
    assert Mentorship.objects.filter(program=world.program, source="round").count() == 1

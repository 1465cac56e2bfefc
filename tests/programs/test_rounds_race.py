"""Both sides of a proposal accept at the same moment: exactly one mentorship starts
(the proposal row is locked, so the second accept sees the first). PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Proposal
from medmentor.programs.services.rounds.publish import proposal_respond
from tests.programs.rounds_factories import publish, round_program, run_round


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_accepts_of_both_sides_start_exactly_one_mentorship():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database: row locks need PostgreSQL")
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def accept(user: User) -> None:
        try:
            barrier.wait()
            proposal_respond(proposal=proposal, user=user, accept=True)
        except ValidationError as error:
            errors.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(person,))
        for person in (world.mentees[0], world.mentors[0])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    proposal.refresh_from_db()
    assert (proposal.mentee_response, proposal.mentor_response, proposal.status) == (
        "accepted",
        "accepted",
        "accepted",
    )
    assert Mentorship.objects.filter(program=world.program, source="round").count() == 1

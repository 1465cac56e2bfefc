"""Two accepts racing for a mentor's last place: exactly one mentorship, one clear refusal.

Real threads, each with its own database connection, through the accept service (the
row lock of ``mentorship_start`` is what holds). SQLite locks the whole file, so the
race only means something on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Request, RequestStatus, Role
from medmentor.programs.services.requests import request_accept
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.programs.requests_support import make_mentee, mentor_in, send


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_accepts_for_the_last_place_make_one_mentorship():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database: row locks need PostgreSQL")
    program = ProgramFactory(matching_mode="requests")
    mentor = mentor_in(program, "Jean Tremblay", capacity=1)
    mentees = [
        make_mentee(MembershipFactory(program=program, role=Role.MENTEE).user) for _ in range(2)
    ]
    requests = [send(program, mentee, mentor).requests.get() for mentee in mentees]
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []
    refusals: list[str] = []

    def accept(request: Request) -> None:
        try:
            me = User.objects.get(pk=mentor.pk)
            barrier.wait()
            request_accept(request=request, by=me)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append("refused")
            refusals.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert Mentorship.objects.filter(mentor=mentor).count() == 1
    assert "no place left" in refusals[0]
    assert "The request stays open" in refusals[0]
    statuses = sorted(Request.objects.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.ACCEPTED, RequestStatus.PENDING])
    winner = Request.objects.get(status=RequestStatus.ACCEPTED)
    assert winner.mentorship == Mentorship.objects.get()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_mentors_accepting_one_mentee_at_once_make_one_mentorship():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database: row locks need PostgreSQL")
    program = ProgramFactory(matching_mode="requests")
    mentors = [mentor_in(program, name) for name in ("Jean Tremblay", "Marie Gagnon")]
    mentee = make_mentee(MembershipFactory(program=program, role=Role.MENTEE).user)
    requests = [send(program, mentee, mentor).requests.get() for mentor in mentors]
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []

    def accept(request: Request) -> None:
        try:
            me = User.objects.get(pk=request.mentor_id)
            barrier.wait()
            request_accept(request=request, by=me)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append("refused" if "no longer waiting" in str(error) else str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert Mentorship.objects.filter(mentee=mentee).count() == 1
    statuses = sorted(Request.objects.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.ACCEPTED, RequestStatus.SUPERSEDED])

"""Two accepts racing for a mentor's last place: exactly one mentorship, one clear refusal.

Real threads, each with its own database connection, through the accept service (the
row lock of ``mentorship_start`` is what holds). SQLite locks the whole file, so the
race only means something on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Role
from medmentor.requests.models import Request, RequestStatus
from medmentor.requests.services import request_accept
from tests.concurrency import at_once, postgresql_only
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee, mentor_in, send


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_accepts_for_the_last_place_make_one_mentorship():
    postgresql_only()
    program = ProgramFactory(matching_mode="requests")
    mentor = mentor_in(program, "Jean Tremblay", capacity=1)
    mentees = [
        make_mentee(MembershipFactory(program=program, role=Role.MENTEE).user) for _ in range(2)
    ]
    requests = [send(program, mentee, mentor).requests.get() for mentee in mentees]

    results = at_once(
        *(
            lambda r=r: request_accept(request=r, by=User.objects.get(pk=mentor.pk))
            for r in requests
        )
    )

    refusals = [r for r in results if isinstance(r, ValidationError)]
    started = [r for r in results if isinstance(r, Mentorship)]
    assert (len(refusals), len(started)) == (1, 1)
    assert Mentorship.objects.filter(mentor=mentor).count() == 1
    message = " ".join(refusals[0].messages)
    assert "no place left" in message
    assert "The request stays open" in message
    statuses = sorted(Request.objects.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.ACCEPTED, RequestStatus.PENDING])
    winner = Request.objects.get(status=RequestStatus.ACCEPTED)
    assert winner.mentorship == Mentorship.objects.get()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_mentors_accepting_one_mentee_at_once_make_one_mentorship():
    postgresql_only()
    program = ProgramFactory(matching_mode="requests")
    mentors = [mentor_in(program, name) for name in ("Jean Tremblay", "Marie Gagnon")]
    mentee = make_mentee(MembershipFactory(program=program, role=Role.MENTEE).user)
    requests = [send(program, mentee, mentor).requests.get() for mentor in mentors]

    results = at_once(
        *(
            lambda r=r: request_accept(request=r, by=User.objects.get(pk=r.mentor_id))
            for r in requests
        )
    )

    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1
    assert "no longer waiting" in str(refusals[0])
    assert Mentorship.objects.filter(mentee=mentee).count() == 1
    statuses = sorted(Request.objects.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.ACCEPTED, RequestStatus.SUPERSEDED])

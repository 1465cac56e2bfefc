"""What the busiest pages cost in queries, whatever the number of mentors: the mentor
search (ranked by the engine for the searcher, each result with its "Ask" answer) and a
mentor's profile page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.programs.models import Program, Role
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

# Today's figures: a page that grows a query per mentor, per program or per term fails,
# and so does one that finds a query it did not need before.
QUERIES_SEARCH = 27
QUERIES_PROFILE = 28


@pytest.fixture
def programs() -> list[Program]:
    """Two programs taking direct requests: the searcher's "Ask" answers read both."""
    return [ProgramFactory(matching_mode="requests") for _ in range(2)]


@pytest.fixture
def mentee_signed_in(client, programs):
    mentee = make_mentee(specialty="family-medicine", languages=["en", "fr"])
    for program in programs:
        MembershipFactory(program=program, user=mentee.user, role=Role.MENTEE)
    client.force_login(mentee.user)
    return mentee


def add_mentors(count: int, programs: list[Program]) -> None:
    """``count`` listed mentors, every other one a mentor of one of ``programs`` (the
    rest only askable in the open community)."""
    for k in range(count):
        mentor = make_mentor(bio=f"mentor {k}", interests=["research", "leadership"])
        if k % 2:
            MembershipFactory(program=programs[k % 4 // 2], user=mentor.user, role=Role.MENTOR)


def search_page(client):
    """The search page as the searcher sees it, and the queries it made."""
    url = reverse("profiles:mentor_search")
    client.get(url)  # the session and the taxonomy, as on any later request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def asked(response) -> list[bool]:
    """For each mentor shown, whether the page offers "Ask for mentorship"."""
    return [result.ask.can_ask for result in response.context["page"].results]


def test_the_search_page_costs_a_fixed_number_of_queries(
    client, mentee_signed_in, programs, django_assert_num_queries
):
    add_mentors(25, programs)
    url = reverse("profiles:mentor_search")
    client.get(url)
    with django_assert_num_queries(QUERIES_SEARCH):
        response = client.get(url)
    assert response.status_code == 200
    assert len(asked(response)) == 20


def test_the_search_page_costs_the_same_for_5_or_20_mentors_shown(
    client, mentee_signed_in, programs
):
    add_mentors(5, programs)
    five, with_five = search_page(client)
    add_mentors(15, programs)
    twenty, with_twenty = search_page(client)
    assert (len(asked(five)), len(asked(twenty))) == (5, 20)
    assert all(asked(twenty))  # in their program or in the open community
    assert with_five == with_twenty


def test_a_profile_page_costs_a_fixed_number_of_queries(
    client, mentee_signed_in, programs, django_assert_num_queries
):
    mentor = make_mentor(bio="Cardiologist in Ottawa")
    MembershipFactory(program=programs[0], user=mentor.user, role=Role.MENTOR)
    url = reverse("profiles:detail", args=[mentor.uuid])
    client.get(url)
    with django_assert_num_queries(QUERIES_PROFILE):
        response = client.get(url)
    assert response.status_code == 200
    assert "Cardiologist in Ottawa" in response.content.decode()
    assert response.context["ask"].can_ask

"""What the busiest pages cost in queries, whatever the number of mentors: the mentor
search (ranked by the engine for the searcher) and a mentor's profile page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.profiles.factories import make_mentee, make_mentor

pytestmark = pytest.mark.django_db

# Today's figures, as ceilings: a page that grows a query per mentor or per term fails.
QUERIES_SEARCH = 13
QUERIES_PROFILE = 33


@pytest.fixture
def mentee_signed_in(client):
    mentee = make_mentee(specialty="family-medicine", languages=["en", "fr"])
    client.force_login(mentee.user)
    return mentee


def test_the_search_page_costs_a_bounded_number_of_queries(
    client, mentee_signed_in, django_assert_max_num_queries
):
    for k in range(25):
        make_mentor(bio=f"mentor {k}", interests=["research", "leadership"])
    url = reverse("profiles:mentor_search")
    client.get(url)  # the session and the taxonomy, as on any later request
    with django_assert_max_num_queries(QUERIES_SEARCH):
        response = client.get(url + "?language=fr")
    assert response.status_code == 200


def test_a_profile_page_costs_a_bounded_number_of_queries(
    client, mentee_signed_in, django_assert_max_num_queries
):
    mentor = make_mentor(bio="Cardiologist in Ottawa")
    url = reverse("profiles:detail", args=[mentor.uuid])
    client.get(url)
    with django_assert_max_num_queries(QUERIES_PROFILE):
        response = client.get(url)
    assert response.status_code == 200
    assert "Cardiologist in Ottawa" in response.content.decode()

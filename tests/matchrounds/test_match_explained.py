"""Issue 16, understanding the match: the four Cs (bars with their numbers) and the
reasons, computed by the search's engine, on a mentor's profile as a mentee reads it,
on the request form, and on the request the mentor receives."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from medmentor.profiles.search import SearchFilters, search_mentors
from tests.profiles.factories import make_profile
from tests.requests.requests_support import profile_uuid, send


@pytest.fixture
def pair(rworld):
    """Amira (family medicine, sexual health) and Jean, a family physician in sexual
    health too: a good fit with reasons to give."""
    make_profile(
        rworld.mentee,
        mentee=True,
        stage="resident-pgy2",
        specialty="family-medicine",
        interests=["sexual-health"],
    )
    make_profile(
        rworld.mentor,
        mentor=True,
        display_name="Jean Tremblay",
        specialty="family-medicine",
        interests=["sexual-health"],
    )
    return rworld


def _section(page: str, start: str) -> str:
    at = page.index(start)
    return page[at : page.index("</ul>", at) + 400]


def assert_four_cs(html: str) -> None:
    for c in ("consideration", "camaraderie", "commonality", "confidentiality"):
        found = re.search(rf"<span>{c}</span>\s*<meter[^>]*></meter>\s*(\d\.\d\d)", html)
        assert found, c  # a bar and its number, not colour alone
    assert "Why:" in html
    assert "both Family Medicine" in html  # a reason


def test_a_mentee_reads_the_four_cs_on_a_mentors_profile(pair):
    response = pair.client_for("mentee").get(
        reverse("profiles:detail", args=[profile_uuid(pair.mentor)])
    )
    page = response.content.decode()
    assert_four_cs(_section(page, "How this mentor fits you"))
    # The same score the search ranks by.
    found = search_mentors(pair.mentee, SearchFilters(q="Jean"))
    result = next(r for r in found.results if r.profile.user_id == pair.mentor.pk)
    assert response.context["fit"].score == result.score
    # A mentor's own page shows no fit with themself.
    own = pair.client_for("mentor").get(
        reverse("profiles:detail", args=[profile_uuid(pair.mentor)])
    )
    assert "How this mentor fits you" not in own.content.decode()


def test_the_request_form_shows_the_four_cs(pair):
    page = (
        pair.client_for("mentee")
        .get(reverse("requests:request_new", args=[profile_uuid(pair.mentor)]))
        .content.decode()
    )
    assert_four_cs(_section(page, "How Jean Tremblay fits you"))


def test_the_mentor_sees_why_the_mentee_fits_them_on_the_request(pair):
    send(pair.program, pair.mentee, pair.mentor)
    page = pair.client_for("mentor").get(reverse("requests:requests_received")).content.decode()
    assert_four_cs(_section(page, "Why Amira Haddad fits you"))

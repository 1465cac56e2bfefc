"""Issue 16, the newcomer's path: the search and a mentor's profile say whom the mentee
can ask, and for the others why not and which program to join, by the same rule the
request service refuses with."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.profiles.models import Profile
from medmentor.programs.models import OPEN_COMMUNITY_UUID, MatchingMode, Program, Role
from medmentor.programs.selectors import open_community
from medmentor.requests.rules import request_refusal
from medmentor.requests.selectors import ask_options, request_programs
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory
from tests.requests.requests_support import (
    make_mentee,
    make_mentor,
    mentor_in,
    profile_uuid,
    send,
)


@pytest.fixture
def sask_fellow(rworld):
    """A fellow who mentors in Saskatchewan Synergy only: the mentee shares no program
    with them, and the open community takes mentors in practice only."""
    return mentor_in(rworld.other_program, "Dr. Sask Fellow", stage="fellow")


def _result_of(page: str, uuid: str) -> str:
    start = page.index(f'data-mentor="{uuid}"')
    return page[start : page.index("</li>", start)]


def test_search_says_who_cannot_be_asked_and_which_program_to_join(rworld, sask_fellow):
    page = rworld.client_for("mentee").get(reverse("profiles:mentor_search")).content.decode()
    fellow = _result_of(page, profile_uuid(sask_fellow))  # still listed
    assert "You and Dr. Sask Fellow share no program that takes direct requests." in fellow
    assert reverse("programs:detail", args=[rworld.other_program.uuid]) in fellow
    assert "Saskatchewan Synergy" in fellow
    assert reverse("requests:request_new", args=[profile_uuid(sask_fellow)]) not in fellow
    jean = _result_of(page, profile_uuid(rworld.mentor))
    assert reverse("requests:request_new", args=[profile_uuid(rworld.mentor)]) in jean
    assert "You cannot ask" not in jean


def test_a_mentor_who_is_paused_is_listed_with_the_services_reason(rworld):
    Profile.objects.filter(user=rworld.second).update(accepting_mentees=False)
    page = rworld.client_for("mentee").get(reverse("profiles:mentor_search")).content.decode()
    second = _result_of(page, profile_uuid(rworld.second))
    reason = request_refusal(program=rworld.program, mentee=rworld.mentee, mentor=rworld.second)
    assert reason == "Marie Gagnon is not taking new mentees now."
    assert reason in second
    assert reverse("requests:request_new", args=[profile_uuid(rworld.second)]) not in second


def test_the_profile_of_a_mentor_one_cannot_ask_offers_no_ask_button(rworld, sask_fellow):
    response = rworld.client_for("mentee").get(
        reverse("profiles:detail", args=[profile_uuid(sask_fellow)])
    )
    page = response.content.decode()
    assert "Ask for mentorship" not in page
    assert reverse("requests:request_new", args=[profile_uuid(sask_fellow)]) not in page
    assert "share no program that takes direct requests" in page
    assert reverse("programs:detail", args=[rworld.other_program.uuid]) in page
    # Once the mentee joins that program as a mentee, the button is there.
    MembershipFactory(program=rworld.other_program, user=rworld.mentee, role=Role.MENTEE)
    page = (
        rworld.client_for("mentee")
        .get(reverse("profiles:detail", args=[profile_uuid(sask_fellow)]))
        .content.decode()
    )
    assert reverse("requests:request_new", args=[profile_uuid(sask_fellow)]) in page


def test_ask_options_agree_with_the_service_and_cost_no_query_per_mentor(rworld):
    def options(mentors):
        with CaptureQueriesContext(connection) as queries:
            found = ask_options(rworld.mentee, [m.pk for m in mentors])
        return found, len(queries)

    _, few_queries = options([rworld.mentor])
    many = [mentor_in(rworld.program, f"Mentor {k}") for k in range(12)]
    Profile.objects.filter(user=many[0]).update(accepting_mentees=False)
    found, many_queries = options([rworld.mentor, *many])
    assert many_queries == few_queries
    for mentor in [rworld.mentor, *many]:
        reason = request_refusal(program=rworld.program, mentee=rworld.mentee, mentor=mentor)
        assert found[mentor.pk].refusal == reason
        assert found[mentor.pk].can_ask == (reason == "")
    assert not found[many[0].pk].can_ask


def test_the_ask_page_of_a_mentor_one_cannot_ask_links_the_program_to_join(rworld, sask_fellow):
    page = (
        rworld.client_for("mentee")
        .get(reverse("requests:request_new", args=[profile_uuid(sask_fellow)]))
        .content.decode()
    )
    assert "share no program that takes direct requests" in page
    assert "Send my request" not in page
    assert reverse("programs:detail", args=[rworld.other_program.uuid]) in page


def test_at_the_open_request_limit_the_search_says_so_for_the_programs_mentors(rworld):
    """Two line-ups open, the most the program allows: the search still lists its other
    mentors, each with the service's reason and no link to ask."""
    send(rworld.program, rworld.mentee, rworld.mentor)
    send(rworld.program, rworld.mentee, rworld.second)
    page = rworld.client_for("mentee").get(reverse("profiles:mentor_search")).content.decode()
    third = _result_of(page, profile_uuid(rworld.third))
    assert "You have 2 open requests in this program, the most it allows." in third
    assert reverse("requests:request_new", args=[profile_uuid(rworld.third)]) not in third
    options = ask_options(rworld.mentee, [rworld.third.pk])
    assert not options[rworld.third.pk].can_ask


def test_an_open_community_closed_to_requests_offers_no_one_outside_shared_programs(db):
    """Staff turned the open community to match rounds only: a mentee sharing no program
    with a mentor can no longer ask them through it, and is told so."""
    mentee = make_mentee(UserFactory(name="Resident Rae"))
    mentor = make_mentor(UserFactory(name="Dr. Late"), stage="late-career")
    assert request_programs(mentee, mentor) == [open_community()]
    Program.objects.filter(uuid=OPEN_COMMUNITY_UUID).update(matching_mode=MatchingMode.ROUNDS)
    assert request_programs(mentee, mentor) == []
    option = ask_options(mentee, [mentor.pk])[mentor.pk]
    assert not option.can_ask
    assert option.refusal == "You and Dr. Late share no program that takes direct requests."

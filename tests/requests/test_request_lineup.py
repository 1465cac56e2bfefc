"""Issue 16, the request form's "ask next" line-up: only mentors the mentee can ask in
the program, ranked as the search ranks them, with a search box that works without
JavaScript (a button of the form) and with htmx (as one types)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from medmentor.profiles.models import Profile
from medmentor.programs.models import Program, Role
from medmentor.requests.models import Request
from tests.factories import UserFactory
from tests.profiles.factories import make_profile
from tests.programs.factories import MembershipFactory
from tests.requests.requests_support import MESSAGE, goal_code, profile_uuid, send


def _mentor(program: Program, name: str, **profile: object) -> Profile:
    user = UserFactory(name=name)
    MembershipFactory(program=program, user=user, role=Role.MENTOR)
    return make_profile(user, mentor=True, display_name=name, **profile)  # type: ignore[arg-type]


@pytest.fixture
def lineup(rworld):
    """The mentee in family medicine and sexual health; in the program, beside Jean
    (asked first), Marie and Kwame: a poor fit named first in the alphabet, a good fit
    named last, a resident who is too junior (the program pairs with seniors only) and
    a mentor the mentee already has a request open with."""
    Program.objects.filter(pk=rworld.program.pk).update(seniority_rule="senior")
    make_profile(
        rworld.mentee,
        mentee=True,
        stage="resident-pgy2",
        specialty="family-medicine",
        interests=["sexual-health", "public-health"],
        goals_sought=["work-life-balance"],
    )
    poor = _mentor(
        rworld.program,
        "Aaron Alphabet",
        specialty="cardiology",
        interests=["research"],
        goals_offered=["research"],
        province="BC",
        time_zone="America/Vancouver",
    )
    good = _mentor(
        rworld.program,
        "Zoe Zebra",
        specialty="family-medicine",
        interests=["sexual-health", "public-health"],
        goals_offered=["work-life-balance"],
    )
    junior = _mentor(rworld.program, "Rita Resident", stage="resident-pgy1")
    send(rworld.program, rworld.mentee, rworld.third)  # Kwame: a request already open
    return {"poor": poor, "good": good, "junior": junior}


def _options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<·]+)", select.group(1))


def ask_url(rworld) -> str:
    return reverse("requests:request_new", args=[profile_uuid(rworld.mentor)])


def test_the_line_up_offers_only_mentors_one_can_ask_best_fit_first(rworld, lineup):
    page = rworld.client_for("mentee").get(ask_url(rworld)).content.decode()
    names = [n.strip() for n in _options(page, "second_mentor")]
    assert "Rita Resident" not in names  # too junior for this program
    assert "Kwame Mensah" not in names  # already asked
    assert "Jean Tremblay" not in names  # asked first
    assert set(names) == {"Zoe Zebra", "Marie Gagnon", "Aaron Alphabet"}
    assert names.index("Zoe Zebra") < names.index("Aaron Alphabet")  # not alphabetical
    # Every mentor offered is accepted by the service.
    response = rworld.client_for("mentee").post(
        ask_url(rworld),
        {
            "program": str(rworld.program.uuid),
            "message": MESSAGE,
            "goals": [goal_code()],
            "second_mentor": str(lineup["poor"].uuid),
            "third_mentor": str(lineup["good"].uuid),
        },
    )
    assert response.status_code == 302
    assert Request.objects.filter(mentor=rworld.mentor).exists()


def test_the_line_up_search_box_filters_and_keeps_what_was_typed(rworld, lineup):
    response = rworld.client_for("mentee").post(
        ask_url(rworld),
        {
            "program": str(rworld.program.uuid),
            "message": "My half-written message",
            "goals": [goal_code()],
            "lineup_q": "zebra",
            "lineup_filter": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert [n.strip() for n in _options(page, "second_mentor")] == ["Zoe Zebra"]
    assert "My half-written message" in page
    assert "This field is required" not in page
    assert not Request.objects.filter(mentor=rworld.mentor).exists()  # nothing sent


def test_the_line_up_search_box_answers_htmx_with_the_same_page(rworld, lineup):
    response = rworld.client_for("mentee").post(
        ask_url(rworld),
        {"program": str(rworld.program.uuid), "lineup_q": "alphabet", "lineup_filter": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="lineup"' in page
    assert [n.strip() for n in _options(page, "third_mentor")] == ["Aaron Alphabet"]

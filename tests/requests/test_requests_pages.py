"""Direct requests through the pages: ask from a profile, my requests, requests to me,
and the persona matrix on every page and action."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.mentorships.models import Mentorship
from medmentor.profiles.models import Profile
from medmentor.programs.models import Role
from medmentor.requests.models import CascadeStatus, Request, RequestCascade, RequestStatus
from medmentor.requests.services import request_decline
from tests.factories import UserFactory
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory
from tests.programs.personas import PERSONAS
from tests.requests.requests_support import (
    MESSAGE,
    RequestWorld,
    goal_code,
    make_mentee,
    mentor_in,
    profile_uuid,
    send,
)


def ask_url(world: RequestWorld, user=None) -> str:
    return reverse("requests:request_new", args=[profile_uuid(user or world.mentor)])


def test_the_mentors_profile_offers_to_ask_for_mentorship(rworld):
    page = rworld.client_for("mentee").get(
        reverse("profiles:detail", args=[profile_uuid(rworld.mentor)])
    )
    assert "Ask for mentorship" in page.content.decode()
    assert ask_url(rworld) in page.content.decode()
    own = rworld.client_for("mentor").get(
        reverse("profiles:detail", args=[profile_uuid(rworld.mentor)])
    )
    assert "Ask for mentorship" not in own.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_ask_page_for_each_persona(rworld, persona):
    response = rworld.client_for(persona).get(ask_url(rworld))
    if persona == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    page = response.content.decode()
    if persona == "mentee":
        assert "Ask Jean Tremblay for mentorship" in page
        assert "Send my request" in page
        assert "Ottawa Residents Mentorship" in page
        assert "Marie Gagnon" in page  # a mentor to line up next
        assert "Open requests in this program: 0 of 2" in page
    elif persona == "mentor":
        assert "You cannot ask yourself." in page
        assert "Send my request" not in page
    else:
        assert "share no program that takes direct requests" in page
        assert "Send my request" not in page


def test_a_mentee_sends_a_line_up_through_the_form(rworld, django_capture_on_commit_callbacks):
    client = rworld.client_for("mentee")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ask_url(rworld),
            {
                "program": str(rworld.program.uuid),
                "message": MESSAGE,
                "goals": [goal_code()],
                "goals_note": "Rural practice",
                "second_mentor": profile_uuid(rworld.second),
                "third_mentor": profile_uuid(rworld.third),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:requests_mine")
    cascade = RequestCascade.objects.get()
    assert [s.mentor for s in cascade.stops.order_by("position")] == [
        rworld.mentor,
        rworld.second,
        rworld.third,
    ]
    assert Request.objects.get().mentor == rworld.mentor
    page = client.get(reverse("requests:requests_mine")).content.decode()
    assert "Your request is sent to Jean Tremblay." in page
    assert "Waiting for an answer" in page
    assert "Marie Gagnon" in page
    assert "Next if needed" in page
    assert "Withdraw this request" in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"message": ""}, "This field is required."),
        ({"third_mentor": "second"}, "Choose a second mentor before a third."),
        ({"second_mentor": "mentor"}, "Select a valid choice."),
    ],
)
def test_bad_input_on_the_form_is_shown_by_the_field_and_nothing_is_sent(rworld, data, words):
    people = {"second": rworld.second, "mentor": rworld.mentor}
    payload = {
        "program": str(rworld.program.uuid),
        "message": MESSAGE,
        "goals": [goal_code()],
    }
    for key, value in data.items():
        payload[key] = profile_uuid(people[value]) if value in people else value
    response = rworld.client_for("mentee").post(ask_url(rworld), payload)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Request.objects.exists()
    assert not RequestCascade.objects.exists()


def test_a_rule_the_service_refuses_shows_on_the_form(rworld):
    Profile.objects.filter(user=rworld.mentor).update(accepting_mentees=False)
    response = rworld.client_for("mentee").post(
        ask_url(rworld),
        {"program": str(rworld.program.uuid), "message": MESSAGE, "goals": [goal_code()]},
    )
    assert response.status_code == 422
    assert "Jean Tremblay is not taking new mentees now." in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_requests_and_requests_to_me_show_each_person_their_own(rworld, persona):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    request_decline(request=request, by=rworld.mentor, reason="PRIVATE-REASON on leave")
    client = rworld.client_for(persona)
    mine = client.get(reverse("requests:requests_mine"))
    received = client.get(reverse("requests:requests_received"))
    if persona == "anonymous":
        assert mine.status_code == received.status_code == 302
        return
    assert mine.status_code == received.status_code == 200
    mine_page, received_page = mine.content.decode(), received.content.decode()
    assert "PRIVATE-REASON" not in mine_page
    if persona == "mentee":
        assert "Declined" in mine_page
        assert MESSAGE in mine_page
        assert "PRIVATE-REASON" not in received_page
    elif persona == "mentor":
        assert "PRIVATE-REASON on leave" in received_page
        assert "Amira Haddad" in received_page
    else:
        assert MESSAGE not in mine_page + received_page
        assert "Amira Haddad" not in mine_page + received_page
        assert "PRIVATE-REASON" not in received_page


def test_the_mentor_reads_a_waiting_request_and_answers_by_the_due_date(rworld):
    send(rworld.program, rworld.mentee, rworld.mentor)
    page = rworld.client_for("mentor").get(reverse("requests:requests_received")).content.decode()
    assert "Waiting for your answer" in page
    assert MESSAGE in page
    assert "Please answer by" in page
    assert "the request stays open until you make room or decline it" in page


ANSWER_MATRIX = {
    "anonymous": 302,
    "mentee": 403,
    "coordinator": 404,
    "other_coordinator": 404,
    "staff": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("action", ["request_accept", "request_decline"])
@pytest.mark.parametrize("persona", list(ANSWER_MATRIX))
def test_only_the_mentor_answers(rworld, action, persona):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    response = rworld.client_for(persona).post(reverse(f"requests:{action}", args=[request.uuid]))
    assert response.status_code == ANSWER_MATRIX[persona]
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Mentorship.objects.exists()


def test_the_mentor_accepts_and_lands_in_the_workspace(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    client = rworld.client_for("mentor")
    response = client.post(reverse("requests:request_accept", args=[request.uuid]))
    mentorship = Mentorship.objects.get()
    assert response["Location"] == reverse("mentorships:workspace", args=[mentorship.uuid])
    page = client.get(response["Location"]).content.decode()
    assert "You are now Amira Haddad" in page
    again = client.post(reverse("requests:request_accept", args=[request.uuid]), follow=True)
    assert "no longer waiting for an answer" in again.content.decode()
    assert Mentorship.objects.count() == 1


def test_accepting_when_full_is_refused_clearly_and_the_request_stays(rworld):
    Profile.objects.filter(user=rworld.mentor).update(mentor_capacity=1)
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    start_mentorship(mentor=rworld.mentor, mentee=UserFactory(), program=None, capacity=1)
    response = rworld.client_for("mentor").post(
        reverse("requests:request_accept", args=[request.uuid]), follow=True
    )
    page = response.content.decode()
    assert "no place left" in page
    assert "The request stays open" in page
    request.refresh_from_db()
    assert request.is_pending
    assert not Mentorship.objects.filter(mentee=rworld.mentee).exists()


def test_the_mentor_declines_with_a_private_reason(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    request = cascade.requests.get()
    response = rworld.client_for("mentor").post(
        reverse("requests:request_decline", args=[request.uuid]),
        {"reason": "PRIVATE-REASON"},
        follow=True,
    )
    assert "You declined the request." in response.content.decode()
    request.refresh_from_db()
    assert request.decline_reason == "PRIVATE-REASON"
    assert cascade.requests.get(mentor=rworld.second).is_pending
    mine = rworld.client_for("mentee").get(reverse("requests:requests_mine")).content.decode()
    assert "Declined" in mine
    assert "PRIVATE-REASON" not in mine


def test_a_decline_reason_over_the_limit_is_refused(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    response = rworld.client_for("mentor").post(
        reverse("requests:request_decline", args=[request.uuid]),
        {"reason": "x" * 1001},
        follow=True,
    )
    assert "at most 1000 characters" in response.content.decode()
    request.refresh_from_db()
    assert request.is_pending


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_mentee_withdraws(rworld, persona):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    response = rworld.client_for(persona).post(
        reverse("requests:request_withdraw", args=[cascade.uuid])
    )
    cascade.refresh_from_db()
    if persona == "mentee":
        assert response.status_code == 302
        assert cascade.status == CascadeStatus.WITHDRAWN
        assert cascade.requests.get().status == RequestStatus.WITHDRAWN
    else:
        assert response.status_code == (302 if persona == "anonymous" else 404)
        assert cascade.is_open


def test_a_mentee_with_no_one_left_is_pointed_to_the_search(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    request_decline(request=request, by=rworld.mentor)
    page = rworld.client_for("mentee").get(reverse("requests:requests_mine")).content.decode()
    assert "No mentor in your line-up could take you this time." in page
    assert reverse("profiles:mentor_search") in page


def test_pages_speak_french(rworld):
    send(rworld.program, rworld.mentee, rworld.mentor)
    client = rworld.client_for("mentor")
    response = client.get(reverse("requests:requests_received"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_the_ask_page_says_at_once_when_a_request_could_not_be_sent(rworld):
    Profile.objects.filter(user=rworld.mentor).update(accepting_mentees=False)
    page = rworld.client_for("mentee").get(ask_url(rworld)).content.decode()
    assert "Jean Tremblay is not taking new mentees now." in page
    assert "Send my request" not in page
    profile = rworld.client_for("mentee").get(
        reverse("profiles:detail", args=[profile_uuid(rworld.mentor)])
    )
    assert "Ask for mentorship" not in profile.content.decode()


def test_the_ask_page_says_when_the_open_request_limit_is_reached(rworld):
    send(rworld.program, rworld.mentee, rworld.second)
    send(rworld.program, rworld.mentee, rworld.third)
    page = rworld.client_for("mentee").get(ask_url(rworld)).content.decode()
    assert "You have 2 open requests in this program, the most it allows." in page
    assert "Send my request" not in page


def test_the_lists_cost_the_same_queries_for_one_request_or_many(rworld):
    def queries(persona: str, name: str) -> int:
        client = rworld.client_for(persona)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    rworld.program.max_open_requests = 5
    rworld.program.save()
    send(rworld.program, rworld.mentee, rworld.mentor)
    one = (
        queries("mentee", "requests:requests_mine"),
        queries("mentor", "requests:requests_received"),
    )
    for n in range(3):
        other = make_mentee(
            MembershipFactory(program=rworld.program, role=Role.MENTEE, user__name=f"M{n}").user
        )
        send(rworld.program, other, rworld.mentor)
        send(rworld.program, rworld.mentee, mentor_in(rworld.program, f"Extra {n}"))
    many = (
        queries("mentee", "requests:requests_mine"),
        queries("mentor", "requests:requests_received"),
    )
    assert many == one

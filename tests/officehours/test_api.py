"""Office hours over the JSON API: a mentor's open slots, booking, my bookings on either
side, cancelling; the site's rules and refusals, in the API's one error shape."""

from __future__ import annotations

import uuid

import pytest

from medmentor.officehours.models import Booking, BookingStatus
from medmentor.officehours.selectors import profile_uuid_of
from medmentor.profiles.services import block_add
from tests.officehours.conftest import QUESTION, World, mentee_in

API = "/api/office-hours"

pytestmark = pytest.mark.django_db


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def slots_url(world: World) -> str:
    return f"{API}/mentors/{profile_uuid_of(world.mentor)}/slots"


def refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    if field:
        assert field in {error["field"] for error in body["errors"]}, body
    return body


def test_a_mentee_finds_a_slot_books_it_and_both_see_the_booking(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    mentee = world.client_for("mentee")
    slots = mentee.get(slots_url(world)).json()
    assert [s["uuid"] for s in slots] == [str(s.uuid) for s in world.slots()[: len(slots)]]
    assert slots[0]["minutes"] == 30
    assert "place" not in slots[0]  # the link is for the booked pair only

    with django_capture_on_commit_callbacks(execute=True):
        made = post(mentee, f"{API}/slots/{slots[0]['uuid']}/book", {"question": QUESTION})
    assert made.status_code == 201
    booking = made.json()
    assert booking["role"] == "mentee"
    assert booking["partner_name"] == "Jean Tremblay"
    assert booking["program"] == str(world.program.uuid)  # the one program they share
    assert booking["place"] == "https://meet.example.org/jean"
    assert {m.to[0] for m in mailoutbox} == {world.mentee.email, world.mentor.email}

    [as_mentor] = world.client_for("mentor").get(f"{API}/bookings").json()
    assert (as_mentor["uuid"], as_mentor["role"]) == (booking["uuid"], "mentor")
    assert as_mentor["partner_name"] == "Amira Haddad"
    assert as_mentor["question"] == QUESTION
    assert world.mentee.email not in str(as_mentor)
    assert world.client_for("other_mentee").get(f"{API}/bookings").json() == []
    assert slots[0]["uuid"] not in {s["uuid"] for s in mentee.get(slots_url(world)).json()}


def test_either_side_cancels_and_the_list_keeps_it_when_asked(
    world, django_capture_on_commit_callbacks
):
    booking = world.book()
    url = f"{API}/bookings/{booking.uuid}/cancel"
    refused(post(world.client_for("other_mentee"), url), 404)
    refused(post(world.client_for("coordinator"), url), 404)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = post(world.client_for("mentor"), url, {"reason": "Called to the OR"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Called to the OR"
    refused(post(world.client_for("mentee"), url), 422)  # already cancelled
    mentee = world.client_for("mentee")
    assert mentee.get(f"{API}/bookings").json() == []
    [kept] = mentee.get(f"{API}/bookings?upcoming=false").json()
    assert kept["status"] == "cancelled"


def test_bad_bookings_say_why_and_book_nothing(world):
    mentee = world.client_for("mentee")
    slot = world.slots()[0]
    url = f"{API}/slots/{slot.uuid}/book"
    refused(post(mentee, url, {}), 422, "question")
    refused(post(mentee, url, {"question": "x" * 5000}), 422, "question")
    refused(post(mentee, url, {"question": QUESTION, "program": str(uuid.uuid4())}), 422, "program")
    other = str(world.other_program.uuid)
    refused(post(mentee, url, {"question": QUESTION, "program": other}), 422, "program")
    refused(post(world.client_for("mentor"), url, {"question": QUESTION}), 422)  # their own
    refused(post(world.client_for("outsider"), url, {"question": QUESTION}), 422, "program")
    refused(post(mentee, f"{API}/slots/{uuid.uuid4()}/book", {"question": QUESTION}), 404)
    refused(post(world.client_for("anonymous"), url, {"question": QUESTION}), 401)
    assert not Booking.objects.exists()


def test_a_block_hides_the_slots_as_it_hides_the_profile(world):
    block_add(blocker=world.mentor, blocked=world.mentee)
    mentee = world.client_for("mentee")
    refused(mentee.get(slots_url(world)), 404)
    slot = world.slots()[0]
    refused(post(mentee, f"{API}/slots/{slot.uuid}/book", {"question": QUESTION}), 404)
    assert not Booking.objects.exists()


def test_without_a_login_every_operation_is_401_and_nothing_changes(world):
    booking = world.book()
    anonymous = world.client_for("anonymous")
    slot = world.slots()[1]
    refused(anonymous.get(slots_url(world)), 401)
    refused(anonymous.get(f"{API}/bookings"), 401)
    refused(post(anonymous, f"{API}/slots/{slot.uuid}/book", {"question": QUESTION}), 401)
    refused(post(anonymous, f"{API}/bookings/{booking.uuid}/cancel"), 401)
    assert list(Booking.objects.values_list("pk", "status")) == [(booking.pk, "booked")]


def test_the_list_reads_names_and_profiles_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    for slot, name in zip(world.slots()[:3], ("Ana", "Ben", "Chloé"), strict=True):
        world.book(slot, mentee_in(world.program, name))
    mentor = world.client_for("mentor")
    mentor.get(f"{API}/bookings")  # the session and the caches warm
    with django_assert_max_num_queries(5):
        listed = mentor.get(f"{API}/bookings").json()
    assert len(listed) == 3
    assert all(row["partner"] for row in listed)

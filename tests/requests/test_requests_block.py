"""Blocking someone from their profile page closes any request waiting between the two."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.concerns.services import concern_report
from medmentor.notifications.models import Notification
from medmentor.profiles.models import Block
from medmentor.requests.models import RequestStatus
from tests.requests.requests_support import profile_uuid, send

pytestmark = pytest.mark.django_db


def test_a_mentor_who_blocks_the_mentee_declines_the_request_and_it_moves_on(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    first = cascade.requests.get()

    response = rworld.client_for("mentor").post(
        reverse("profiles:block", args=[profile_uuid(rworld.mentee)])
    )

    assert response.status_code == 302
    assert Block.objects.filter(blocker=rworld.mentor, blocked=rworld.mentee).exists()
    first.refresh_from_db()
    assert first.status == RequestStatus.DECLINED
    waiting = cascade.requests.get(status=RequestStatus.PENDING)
    assert waiting.mentor == rworld.second
    received = rworld.client_for("mentor").get(reverse("requests:requests_received"))
    assert reverse("requests:request_accept", args=[first.uuid]) not in received.content.decode()


def test_a_mentee_who_blocks_a_mentor_through_the_api_withdraws_that_request(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    response = rworld.client_for("mentee").post(
        f"/api/profiles/people/{profile_uuid(rworld.mentor)}/block"
    )
    assert response.status_code == 204
    assert cascade.requests.get().status == RequestStatus.WITHDRAWN
    # The blocked mentor is not told (a withdrawal by hand would tell them).
    assert not Notification.objects.filter(
        recipient=rworld.mentor, kind="programs.request_withdrawn"
    ).exists()


def test_a_mentor_who_reports_a_request_and_blocks_closes_it(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    request = cascade.requests.get()
    concern_report(
        program=rworld.program,
        reporter=rworld.mentor,
        about=rworld.mentee,
        request=request,
        text="The message asks to meet at home, at night.",
        also_block=True,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert "asks you to be their mentor" not in page_text(rworld, "mentor", "dashboard:dashboard")


def page_text(world, persona: str, name: str) -> str:
    return world.client_for(persona).get(reverse(name)).content.decode()

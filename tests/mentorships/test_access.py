"""Who may open what: the pair only, everyone else 404 (coordinators included)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.mentorships.access import MENTEE, MENTOR
from medmentor.mentorships.models import NoteVisibility
from medmentor.mentorships.services.conversation import note_write
from medmentor.mentorships.services.goals import goal_propose
from tests.mentorships.conftest import PAIR, PERSONAS
from tests.mentorships.factories import past_meeting


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_workspace_and_its_parts_are_for_the_pair_only(world, persona):
    access = world.access("mentee")
    goal = goal_propose(access=access, title="Publish a first paper")
    meeting = past_meeting(access)
    note = note_write(access=access, body="Shared words", visibility=NoteVisibility.SHARED)
    uuid = world.mentorship.uuid
    urls = [
        reverse("mentorships:workspace", args=[uuid]),
        reverse("mentorships:agreement", args=[uuid]),
        reverse("mentorships:goal", args=[uuid, goal.uuid]),
        reverse("mentorships:meeting_log", args=[uuid, meeting.uuid]),
        reverse("mentorships:meeting_ics", args=[uuid, meeting.uuid]),
        reverse("mentorships:messages", args=[uuid]),
        reverse("mentorships:notes", args=[uuid]),
        reverse("mentorships:note", args=[uuid, note.uuid]),
    ]
    client = world.client_for(persona)
    for url in urls:
        status = client.get(url).status_code
        if persona in PAIR:
            assert status in (200, 403), url  # the partner may not edit the mentee's note
        elif persona == "anonymous":
            assert status == 302, url
        else:
            assert status == 404, (persona, url)


def test_access_names_each_sides_role(world):
    assert world.access("mentor").role == MENTOR
    assert world.access("mentee").role == MENTEE
    assert world.access("mentee").partner == world.mentor


@pytest.mark.parametrize("persona", ["other_coordinator", "staff", "outsider", "mentee"])
def test_writes_from_outside_the_pair_change_nothing(world, persona):
    url = reverse("mentorships:goal_new", args=[world.mentorship.uuid])
    response = world.client_for(persona).post(url, {"title": "Hijack", "progress": 0})
    if persona == "mentee":
        assert response.status_code == 302
        assert world.mentorship.goals.count() == 1
    else:
        assert response.status_code == 404
        assert world.mentorship.goals.count() == 0


def test_my_mentorships_lists_mine_only(world):
    page = world.client_for("mentee").get(reverse("mentorships:mine")).content.decode()
    assert "Jean Tremblay" in page
    assert (
        "Jean Tremblay"
        not in world.client_for("outsider").get(reverse("mentorships:mine")).content.decode()
    )

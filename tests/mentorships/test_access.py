"""Who may open what: the pair only, everyone else 404 (coordinators included); each
page's answer to each persona is in tests/core/permission_table.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.mentorships.access import MENTEE, MENTOR


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

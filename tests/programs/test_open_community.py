"""The standing open community exists after migrations and anyone eligible joins it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from medmentor.programs.models import OPEN_COMMUNITY_UUID, Membership, Status
from medmentor.programs.selectors import open_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_open_community_is_created_by_migration():
    community = open_community()
    assert community is not None
    assert community.uuid == OPEN_COMMUNITY_UUID
    assert community.is_open_community
    assert (community.enrolment_mode, community.matching_mode) == ("open", "requests")
    assert (community.audience, community.region) == ("mixed", "national")
    assert community.mentor_stages == ["early_career", "mid_career", "late_career"]
    assert {"student", "resident", "mid_career"} <= set(community.mentee_stages)
    with translation.override("fr"):
        assert community.name == "Communauté ouverte MedMentor"
    assert community.name_en == "MedMentor Open Community"
    assert community.milestones.count() == 3


def test_a_physician_mentors_and_a_student_is_mentored_but_not_the_reverse(client):
    community = open_community()
    url = reverse("programs:join", args=[community.uuid, "mentor"])
    physician = UserFactory()
    client.force_login(physician)
    assert client.post(url, {"career_stage": "mid_career"}).status_code == 302
    student = UserFactory()
    client.force_login(student)
    refused = client.post(url, {"career_stage": "student"})
    assert refused.status_code == 422
    assert "career_stage" in refused.context["form"].errors
    mentee_url = reverse("programs:join", args=[community.uuid, "mentee"])
    assert client.post(mentee_url, {"career_stage": "student"}).status_code == 302
    assert set(
        Membership.objects.filter(program=community, status=Status.ACTIVE).values_list(
            "user", "role"
        )
    ) == {(physician.pk, "mentor"), (student.pk, "mentee")}


def test_the_open_community_is_listed_and_linked_from_my_programs(client):
    community = open_community()
    assert community.name_en in client.get(reverse("programs:list")).content.decode()
    client.force_login(UserFactory())
    mine = client.get(reverse("programs:mine")).content.decode()
    assert reverse("programs:detail", args=[community.uuid]) in mine

"""Programs and mentorships say who is related to whom, so that a profile's "my mentors
and mentees" and "members of my programs" levels mean something: a mentor sees who asks
them, partners see each other, fellow members see what is shown to members, and
strangers (the open community's other members included) still see nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medmentor.profiles.models import Visibility
from medmentor.profiles.services import profile_update
from medmentor.programs.models import Membership, Role, Status
from medmentor.programs.selectors import open_community
from tests.factories import UserFactory
from tests.mentorships.factories import start_mentorship
from tests.profiles.factories import make_mentee
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import send

pytestmark = pytest.mark.django_db


def page(viewer, profile) -> tuple[int, str]:
    client = Client()
    client.force_login(viewer)
    response = client.get(reverse("profiles:detail", args=[profile.uuid]))
    return response.status_code, response.content.decode()


def test_a_mentor_can_open_the_profile_of_the_mentee_who_asked(rworld):
    mentee_profile = rworld.mentee.profile
    send(rworld.program, rworld.mentee, rworld.mentor)
    # Once the mentee has left the program, only the request relates the two.
    Membership.objects.filter(user=rworld.mentee).update(status=Status.WITHDRAWN)
    assert page(rworld.mentor, mentee_profile)[0] == 200
    assert page(rworld.third, mentee_profile)[0] == 404  # not asked: a stranger


def test_partners_see_what_is_shown_to_my_mentors_and_mentees():
    mentee = make_mentee(city="Kapuskasing").user
    profile_update(profile=mentee.profile, data={"city_visibility": Visibility.MATCHED})
    mentor, stranger = UserFactory(), UserFactory()
    start_mentorship(mentor=mentor, mentee=mentee, program=ProgramFactory())
    status, html = page(mentor, mentee.profile)
    assert status == 200
    assert "Kapuskasing" in html
    assert page(stranger, mentee.profile)[0] == 404


def test_fellow_members_see_what_is_shown_to_members_of_my_programs():
    program = ProgramFactory()
    mentee = make_mentee(city="Kapuskasing").user
    profile_update(profile=mentee.profile, data={"city_visibility": Visibility.PROGRAMS})
    MembershipFactory(program=program, user=mentee, role=Role.MENTEE)
    fellow = MembershipFactory(program=program, role=Role.MENTOR).user
    status, html = page(fellow, mentee.profile)
    assert status == 200
    assert "Kapuskasing" in html

    community = open_community()
    MembershipFactory(program=community, user=mentee, role=Role.MENTEE)
    everyone_else = MembershipFactory(program=community, role=Role.MENTOR).user
    assert page(everyone_else, mentee.profile)[0] == 404

"""Staff manage programs, coordinators and memberships in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_use_the_admin_for_programs_and_memberships(client, world):
    client.force_login(world.staff)
    program_page = client.get(reverse("admin:programs_program_change", args=[world.program.pk]))
    assert program_page.status_code == 200
    assert world.coordinator.name in program_page.content.decode()  # its coordinators
    assert client.get(reverse("admin:programs_program_changelist")).status_code == 200
    members = client.get(reverse("admin:programs_membership_changelist"), {"role": "mentor"})
    assert [m.user for m in members.context["cl"].result_list] == [world.mentor]


def test_people_who_are_not_staff_do_not(client, world):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302

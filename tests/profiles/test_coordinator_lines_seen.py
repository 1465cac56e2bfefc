"""A member sees that a program's coordinator added a reporting line or conflict about
them, and its kind, never who the other person is: on their list, in the API and in their
data export; and they cannot remove it."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from medmentor.accounts.export import personal_data_of
from medmentor.accounts.models import User
from medmentor.profiles.models import ReportingLine
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.services.lines import coordinator_line_add
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
ADDED = "Added by a coordinator of Ottawa Student Mentorship 2026-2027: Supervisor"


@pytest.fixture
def line(world) -> ReportingLine:
    world.mentee.name = "Amira Haddad"
    world.mentee.save()
    world.mentor.name = "Jean Tremblay"
    world.mentor.save()
    for user in (world.mentee, world.mentor):
        profile_get_or_create(user=user)
    return coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="supervisor",
        other=world.mentor,
    )


def page_of(world, persona) -> str:
    response = world.client_for(persona).get(reverse("profiles:reporting_lines"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("persona", "other"), [("mentee", "mentor"), ("mentor", "mentee")])
def test_either_side_sees_that_a_coordinator_added_it_and_not_who(world, line, persona, other):
    html = page_of(world, persona)
    assert ADDED in html
    hidden = getattr(world, other)
    assert hidden.name not in html
    assert hidden.email not in html
    assert world.coordinator.name not in html  # the program's, not one coordinator's
    # Nothing on the page removes it.
    assert reverse("profiles:reporting_line_delete", args=[line.uuid]) not in html


def test_the_member_cannot_remove_it(world, line):
    client = world.client_for("mentee")
    response = client.post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert response.status_code == 302
    assert ReportingLine.objects.filter(pk=line.pk).exists()
    api = client.delete(f"/api/profiles/me/reporting-lines/{line.uuid}")
    assert api.status_code == 422
    assert ReportingLine.objects.filter(pk=line.pk).exists()


def test_the_api_and_the_data_export_do_not_name_the_other_person(world, line):
    api = world.client_for("mentee").get("/api/profiles/me/reporting-lines").json()
    assert api[0]["other"] == "Added by a coordinator of Ottawa Student Mentorship 2026-2027"
    for persona, other in (("mentee", world.mentor), ("mentor", world.mentee)):
        data = personal_data_of(getattr(world, persona))
        lines = data["sections"]["profile"]["reporting_lines"]
        assert lines == [
            {
                "other": "",
                "kind": "supervisor",
                "source": "coordinator",
                "added_by": "Added by a coordinator of Ottawa Student Mentorship 2026-2027",
                "created_at": line.created_at.isoformat(),
            }
        ]
        text = json.dumps(data, default=str)
        assert other.name not in text
        assert other.email not in text


def test_a_members_own_declarations_still_show_whom_they_named(world, line):
    client = world.client_for("mentee")
    client.post(
        reverse("profiles:reporting_lines"), {"email": "chief@example.org", "kind": "supervisor"}
    )
    html = page_of(world, "mentee")
    row = html.split("chief@example.org")[1].split("</tr>")[0]
    assert "<td>You</td>" in row
    assert ADDED in html


def test_a_pending_line_applies_when_the_person_signs_up_and_verifies(world, client):
    coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="supervisor",
        email="dr.lee@hospital.example",
    )
    client.post(
        reverse("account_signup"),
        {
            "name": "Dr. Lee",
            "email": "dr.lee@hospital.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    lee = User.objects.get(email="dr.lee@hospital.example")
    client.post(LINK.search(mail.outbox[-1].body).group(1))
    assert lee.emailaddress_set.get().verified
    assert lee.pk in excluded_user_ids(world.mentee)
    assert world.mentee.pk in excluded_user_ids(lee)
    client.force_login(lee)
    html = client.get(reverse("profiles:reporting_lines")).content.decode()
    assert ADDED in html
    assert world.mentee.name not in html
    assert world.mentee.email not in html
    # Their profile, made on that first visit, linked the line to the account.
    assert ReportingLine.objects.get().other == lee

"""Deactivating a person (``active: false``) closes their account at once; reactivating
opens it again, and they lift their mentor pause themselves."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.institutions.models import InstitutionMember
from medmentor.mentorships.models import Mentorship
from medmentor.profiles.models import Profile
from tests.factories import PASSWORD, UserFactory, logged_in_client
from tests.institutions.conftest import entra_user
from tests.mentorships.factories import start_mentorship
from tests.profiles.factories import make_mentee, make_mentor

pytestmark = pytest.mark.django_db

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def active_patch(value: object) -> dict:
    """Entra's deactivation: a string "False" in a Replace."""
    return {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": value}]}


def listed_in_search(viewer: Client, mentor: User) -> bool:
    response = viewer.get(reverse("profiles:mentor_search"))
    assert response.status_code == 200
    return mentor.pk in {r.profile.user_id for r in response.context["page"].results}


def log_in(email: str) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    return client


@pytest.fixture
def provisioned_mentor(directory):
    """A mentor at uOttawa, taken in by its directory, logged in on a browser."""
    person = UserFactory(email="mentor@uottawa.ca", name="Dr. Mentor")
    make_mentor(user=person)
    created = directory.post("/Users", entra_user("mentor@uottawa.ca")).json()
    return person, created["id"]


def test_deactivation_closes_the_account(directory, provisioned_mentor):
    person, scim_id = provisioned_mentor
    browser = log_in(person.email)
    assert "_auth_user_id" in browser.session
    other_browser = logged_in_client(person)
    mentee = make_mentee()
    viewer = logged_in_client(mentee.user)
    partner = UserFactory()
    start_mentorship(mentor=person, mentee=partner, program=None)
    assert listed_in_search(viewer, person)
    bystander = logged_in_client(UserFactory())

    response = directory.patch(f"/Users/{scim_id}", active_patch("False"))

    assert response.status_code == 200
    assert response.json()["active"] is False
    person.refresh_from_db()
    assert not person.is_active
    member = InstitutionMember.objects.get(user=person)
    assert member.deactivated_at is not None
    # Every session of theirs is gone; others' are not.
    assert browser.get(reverse("profiles:mentor_search")).status_code == 302
    assert other_browser.get(reverse("profiles:mentor_search")).status_code == 302
    assert bystander.get(reverse("profiles:mentor_search")).status_code == 200
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all()
    )
    # The password no longer opens the account.
    again = log_in(person.email)
    assert "_auth_user_id" not in again.session
    # Paused as a mentor and out of the search; the mentorship stays.
    assert not Profile.objects.get(user=person).accepting_mentees
    assert not listed_in_search(viewer, person)
    assert Mentorship.objects.filter(mentor=person, mentee=partner).exists()


def test_reactivation_opens_the_account_but_leaves_the_pause(directory, provisioned_mentor):
    person, scim_id = provisioned_mentor
    directory.patch(f"/Users/{scim_id}", active_patch(False))

    # Okta reactivates with a PUT of the whole user.
    body = entra_user("mentor@uottawa.ca", active=True)
    response = directory.put(f"/Users/{scim_id}", body)

    assert response.status_code == 200
    assert response.json()["active"] is True
    person.refresh_from_db()
    assert person.is_active
    assert InstitutionMember.objects.get(user=person).deactivated_at is None
    assert "_auth_user_id" in log_in(person.email).session
    assert not Profile.objects.get(user=person).accepting_mentees  # they un-pause themselves


def test_okta_deactivates_with_a_pathless_replace(directory, provisioned_mentor):
    person, scim_id = provisioned_mentor
    response = directory.patch(
        f"/Users/{scim_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.is_active
    listed = directory.get('/Users?filter=userName eq "mentor@uottawa.ca"').json()
    assert listed["Resources"][0]["active"] is False


def test_a_user_created_inactive_cannot_log_in(directory):
    response = directory.post("/Users", entra_user("late@uottawa.ca", active=False))
    assert response.status_code == 201
    assert response.json()["active"] is False
    assert not User.objects.get(email="late@uottawa.ca").is_active

"""One name per person, shown everywhere; an address never stands in for it (issue 16)."""

from __future__ import annotations

import pytest

from medmentor.core.email import render_email
from medmentor.profiles.services import profile_get_or_create, profile_update
from tests.factories import UserFactory
from tests.mentorships.factories import start_mentorship

pytestmark = pytest.mark.django_db


def test_a_person_without_a_name_is_a_new_member_not_an_address():
    nameless = UserFactory(name="", email="nadia@example.org")
    assert str(nameless) == "New member"
    assert nameless.get_short_name() == "New member"


@pytest.mark.parametrize(
    ("name", "short"),
    [("Dr. Jean Tremblay", "Jean"), ("Dre Amira Haddad", "Amira"), ("Kwame", "Kwame")],
)
def test_the_short_name_is_a_name_not_a_title(name, short):
    assert UserFactory(name=name).get_short_name() == short


def test_a_french_e_mail_greets_the_mentor_by_name_with_the_title():
    mentor = UserFactory(name="Dr. Jean Tremblay", language="fr")
    mentorship = start_mentorship(mentor=mentor, mentee=UserFactory(), program=None)
    email = render_email(
        "mentorships/email/notice",
        {"kind": "mentorship_started", "mentorship": mentorship, "recipient": mentor},
        language="fr",
    )
    assert email.text.startswith("Bonjour Dr. Jean Tremblay,")


def test_the_display_name_is_the_name_everyone_sees():
    user = UserFactory(name="Jean Tremblay")
    profile = profile_get_or_create(user=user)
    profile_update(profile=profile, data={"display_name": " Dr.  Jean Tremblay "})
    user.refresh_from_db()
    assert str(user) == "Dr. Jean Tremblay"

"""``make demo``: the printed mentee and mentor have complete profiles and a few hundred
others to search through; the mentee finds the demo mentor."""

from __future__ import annotations

import pytest

from medmentor.accounts.models import User
from medmentor.dashboard.demo import DEMO_PEOPLE, demo_build
from medmentor.profiles.models import Profile
from medmentor.profiles.search import SearchFilters, search_mentors
from medmentor.profiles.selectors import profile_completeness

pytestmark = pytest.mark.django_db


def test_demo_logins_have_complete_profiles_and_people_to_find():
    demo_build()
    demo_build()  # a second run changes nothing
    mentee = User.objects.get(email="mentee@medmentor.demo")
    mentor = User.objects.get(email="mentor@medmentor.demo")
    assert profile_completeness(mentee.profile).complete
    assert profile_completeness(mentor.profile).complete
    assert mentor.profile.is_mentor
    assert mentee.profile.is_mentee
    assert Profile.objects.count() == DEMO_PEOPLE + 2  # the staff login has none
    page = search_mentors(mentee, SearchFilters())
    assert page.total > 100
    assert page.results[0].profile.user == mentor
    assert "Family Medicine" in page.results[0].why

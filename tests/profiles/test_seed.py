"""``medmentor seed-demo``: realistic, deterministic, idempotent, searchable people."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from medmentor.accounts.models import User
from medmentor.profiles.models import Profile
from medmentor.profiles.search import SearchFilters, search_mentors
from medmentor.profiles.seed import seed_people
from medmentor.profiles.selectors import profile_completeness
from tests.profiles.factories import make_mentee

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(
        Profile.objects.order_by("user__email").values_list(
            "user__email", "display_name", "career_stage__code", "specialty__code", "province__code"
        )
    )


def test_seed_demo_makes_realistic_complete_people(capsys):
    call_command("seed_demo", people=400, seed=7)
    assert "Added 400 people" in capsys.readouterr().out
    profiles = Profile.objects.select_related("career_stage", "province", "specialty")
    assert profiles.count() == 400
    stages = Counter(p.career_stage.code for p in profiles)
    provinces = Counter(p.province.code for p in profiles)
    assert len(stages) >= 8
    assert provinces.most_common(1)[0][0] == "ON"
    assert len(provinces) >= 8
    languages = Counter(p.user.language for p in profiles.select_related("user"))
    assert languages["fr"] >= 40
    assert languages["en"] >= 200
    assert Counter(p.is_mentor for p in profiles)[True] >= 150
    assert profiles.filter(specialty__code="family-medicine").count() >= 100
    for profile in profiles[:40]:
        assert profile_completeness(profile).complete, profile
    assert not any(u.has_usable_password() for u in User.objects.all()[:20])


def test_seed_is_deterministic_and_idempotent():
    seed_people(50, seed=3)
    first = snapshot()
    assert seed_people(50, seed=3) == 0
    assert seed_people(60, seed=3) == 10
    assert set(first) <= set(snapshot())
    Profile.objects.all().delete()
    User.objects.all().delete()
    seed_people(50, seed=3)
    assert snapshot() == first


def test_seeded_mentors_are_found_by_search():
    seed_people(300, seed=1)
    mentee = make_mentee()
    page = search_mentors(mentee.user, SearchFilters())
    assert page.total > 50
    assert page.ranked
    assert page.results[0].why
    quebec = search_mentors(mentee.user, SearchFilters(province="QC", language="fr"))
    assert quebec.total > 0

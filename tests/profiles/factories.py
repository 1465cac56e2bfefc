"""Factories for profiles: complete mentor and mentee profiles by default."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medmentor.accounts.models import User
from medmentor.profiles.models import Profile
from medmentor.profiles.services import profile_get_or_create, profile_update_by_codes
from tests.factories import UserFactory


def make_profile(
    user: User | None = None,
    *,
    mentor: bool = False,
    mentee: bool = False,
    stage: str = "mid-career",
    specialty: str = "family-medicine",
    province: str = "ON",
    languages: Iterable[str] = ("en",),
    interests: Iterable[str] = ("medical-education",),
    goals_sought: Iterable[str] = ("career-goals",),
    goals_offered: Iterable[str] = ("career-goals",),
    cadence: str = "monthly",
    modality: str = "virtual",
    time_zone: str = "America/Toronto",
    **fields: Any,
) -> Profile:
    """A complete profile through the same service the pages use."""
    user = user or UserFactory()
    data: dict[str, Any] = {
        "display_name": user.name or "Dr. Test",
        "career_stage": stage,
        "specialty": specialty or None,
        "institution": "University of Ottawa",
        "province": province,
        "languages": list(languages),
        "interests": list(interests),
        "bio": "Physician and teacher.",
        "is_mentee": mentee,
        "is_mentor": mentor,
        "goals_sought": list(goals_sought) if mentee else [],
        "goals_offered": list(goals_offered) if mentor else [],
        "cadence": cadence,
        "modality": modality,
        "time_zone": time_zone,
        **fields,
    }
    return profile_update_by_codes(profile=profile_get_or_create(user=user), data=data)


def make_mentor(**kwargs: Any) -> Profile:
    return make_profile(mentor=True, **kwargs)


def make_mentee(**kwargs: Any) -> Profile:
    kwargs.setdefault("stage", "resident-pgy2")
    return make_profile(mentee=True, **kwargs)

"""The evaluation dimensions: the benefits of mentoring for each side (DOMAIN.md)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MENTOR_DIMENSIONS: tuple[tuple[str, Promise], ...] = (
    ("leadership", _("Improved leadership skills")),
    ("professional_development", _("Professional development")),
    ("personal_development", _("Personal development, such as self-reflection")),
    ("future_generation", _("Investing in the future generation")),
    ("learning_from_mentee", _("Learning from the mentee")),
    ("new_perspectives", _("New perspectives")),
    ("renewed_appreciation", _("Renewed appreciation for medicine and career")),
    ("wellness", _("Improved physician wellness")),
)
MENTEE_DIMENSIONS: tuple[tuple[str, Promise], ...] = (
    ("life_professional_skills", _("Life and professional skills")),
    ("professional_development", _("Professional development")),
    ("personal_development", _("Personal development, such as confidence")),
    ("career_coaching", _("Career coaching")),
    ("guidance", _("Guidance")),
    ("renewed_interest", _("Sustained or renewed interest in medicine and career")),
    ("goal_setting", _("Goal setting")),
    ("wellness", _("Improved physician wellness")),
)


def dimensions_for(role: str) -> tuple[tuple[str, Promise], ...]:
    return MENTOR_DIMENSIONS if role == "mentor" else MENTEE_DIMENSIONS

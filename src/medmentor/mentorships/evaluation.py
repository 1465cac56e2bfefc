"""The evaluation dimensions: the benefits of mentoring for each side (DOMAIN.md).

Each side rates itself on its own dimensions twice, with the same words and scale: at the
start (the baseline) and at closure. What changed between the two is what reports show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from medmentor.accounts.models import User
    from medmentor.mentorships.models import Mentorship


@dataclass(frozen=True)
class Dimension:
    code: str
    benefit: StrPromise  # the benefit as DOMAIN.md names it: report headings
    statement: StrPromise  # what the person rates about themselves, 1 (very little) to 5 (a lot)


MENTOR_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("leadership", _("Improved leadership skills"), _("My leadership skills")),
    Dimension(
        "professional_development",
        _("Professional development"),
        _("My professional development"),
    ),
    Dimension(
        "personal_development",
        _("Personal development, such as self-reflection"),
        _("My personal development, such as self-reflection"),
    ),
    Dimension(
        "future_generation",
        _("Investing in the future generation"),
        _("What I invest in the next generation of physicians"),
    ),
    Dimension(
        "learning_from_mentee",
        _("Learning from the mentee"),
        _("What I learn from the people I mentor"),
    ),
    Dimension("new_perspectives", _("New perspectives"), _("New perspectives I gain")),
    Dimension(
        "renewed_appreciation",
        _("Renewed appreciation for medicine and career"),
        _("My appreciation for medicine and my career"),
    ),
    Dimension("wellness", _("Improved physician wellness"), _("My wellness as a physician")),
)
MENTEE_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "life_professional_skills",
        _("Life and professional skills"),
        _("My life and professional skills"),
    ),
    Dimension(
        "professional_development",
        _("Professional development"),
        _("My professional development"),
    ),
    Dimension(
        "personal_development",
        _("Personal development, such as confidence"),
        _("My personal development, such as confidence"),
    ),
    Dimension("career_coaching", _("Career coaching"), _("The career coaching I have")),
    Dimension("guidance", _("Guidance"), _("The guidance I have")),
    Dimension(
        "renewed_interest",
        _("Sustained or renewed interest in medicine and career"),
        _("My interest in medicine and my career"),
    ),
    Dimension("goal_setting", _("Goal setting"), _("How well I set my goals")),
    Dimension("wellness", _("Improved physician wellness"), _("My wellness")),
)


def dimensions_for(role: str) -> tuple[Dimension, ...]:
    return MENTOR_DIMENSIONS if role == "mentor" else MENTEE_DIMENSIONS


# Links other apps add to the closure-evaluation page: a program's own questions for the
# person about this mentorship (the surveys app registers its closure surveys), as
# (label, url). The mentorships app imports none of them.
EvaluationLinks = Callable[["Mentorship", "User"], list[tuple[str, str]]]
_evaluation_links: list[EvaluationLinks] = []


def register_evaluation_links(provider: EvaluationLinks) -> None:
    if provider not in _evaluation_links:
        _evaluation_links.append(provider)


def evaluation_links(mentorship: Mentorship, user: User) -> list[tuple[str, str]]:
    return [link for provider in _evaluation_links for link in provider(mentorship, user)]

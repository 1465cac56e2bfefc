"""Who may join a program in a role: the one place enrolment asks.

The career stage is the one the person states when they join, else their profile's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.institutions.selectors import signed_in_through
from medmentor.matching.inputs import Seniority
from medmentor.profiles.models import CareerStage, Profile
from medmentor.profiles.taxonomy import taxonomy, vocabulary_of
from medmentor.programs.codes import (
    career_stage_group,
    career_stage_label,
    validate_career_stage,
)
from medmentor.programs.models import PARTICIPANT_ROLES, Program, SeniorityRule


def profile_career_stage(user: User) -> str:
    """The taxonomy code of the career stage on ``user``'s profile, or ""."""
    code = (
        Profile.objects.filter(user=user, career_stage__isnull=False)
        .values_list("career_stage__code", flat=True)
        .first()
    )
    return code or ""


def stage_ordinal(user: User) -> int | None:
    """Where ``user``'s profile career stage stands among the taxonomy's (None: not
    stated): the order the seniority rule compares, as the matching engine does."""
    stage_id = Profile.objects.filter(user=user).values_list("career_stage_id", flat=True).first()
    stages = vocabulary_of(taxonomy(), CareerStage)
    term = stages.by_id.get(stage_id) if stage_id else None
    return term.ordinal if term is not None else None


def eligibility_check(program: Program, user: User, role: str, career_stage_code: str) -> str:
    """Raise a ValidationError naming the field when ``user`` may not join as ``role``.

    Returns the career stage that was checked (stated, else the profile's)."""
    if role not in PARTICIPANT_ROLES:
        raise ValidationError({"role": _("Choose mentor or mentee.")})
    institution = program.sso_institution
    if institution is not None and not signed_in_through(user, institution):
        raise ValidationError(
            _(
                "This program is for people of %(institution)s: log in with your "
                "%(institution)s account to join."
            )
            % {"institution": institution.name}
        )
    stages = program.stages_for(role)
    career_stage_code = career_stage_code or profile_career_stage(user)
    if career_stage_code:
        try:
            validate_career_stage(career_stage_code)
        except ValidationError as error:
            raise ValidationError({"career_stage": error.messages}) from error
    if not stages:
        return career_stage_code
    if not career_stage_code:
        raise ValidationError({"career_stage": _("Tell us your career stage.")})
    if career_stage_group(career_stage_code) not in stages:
        raise ValidationError(
            {
                "career_stage": _(
                    "This program takes %(role)s at these career stages only: %(stages)s."
                )
                % {
                    "role": _("mentors") if role == "mentor" else _("mentees"),
                    "stages": ", ".join(str(career_stage_label(code)) for code in stages),
                }
            }
        )
    return career_stage_code


# A program's seniority rule in the engine's terms.
ENGINE_SENIORITY: dict[str, Seniority] = {
    SeniorityRule.SENIOR: "strict",
    SeniorityRule.PEER: "peer",
    SeniorityRule.ANY: "any",
}


def seniority_allows(rule: str, *, mentor_stage: int | None, mentee_stage: int | None) -> bool:
    """Whether a program's seniority rule lets someone at ``mentor_stage`` mentor someone
    at ``mentee_stage`` (career-stage ordinals; a stage nobody stated allows anything)."""
    if mentor_stage is None or mentee_stage is None or rule == SeniorityRule.ANY:
        return True
    if rule == SeniorityRule.SENIOR:
        return mentor_stage > mentee_stage
    return mentor_stage >= mentee_stage

"""Who may join a program in a role: the one place enrolment asks.

Until profiles carry a career stage, the person states it when they join; part B of
programs reads it from the profile instead, here and nowhere else.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.programs.codes import career_stage_label, validate_career_stage
from medmentor.programs.models import PARTICIPANT_ROLES, Program


def eligibility_check(program: Program, user: User, role: str, career_stage_code: str) -> None:
    """Raise a ValidationError naming the field when ``user`` may not join as ``role``."""
    if role not in PARTICIPANT_ROLES:
        raise ValidationError({"role": _("Choose mentor or mentee.")})
    stages = program.stages_for(role)
    if career_stage_code:
        try:
            validate_career_stage(career_stage_code)
        except ValidationError as error:
            raise ValidationError({"career_stage": error.messages}) from error
    if not stages:
        return
    if not career_stage_code:
        raise ValidationError({"career_stage": _("Tell us your career stage.")})
    if career_stage_code not in stages:
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

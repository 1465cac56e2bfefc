"""The wellness safety net's resources: the program's own, else a general reminder."""

from __future__ import annotations

from django.utils.translation import gettext as _

from medmentor.programs.models import Program


def support_resources(program: Program | None) -> list[str]:
    """One resource a line, as the program's coordinators wrote them."""
    if program and program.support_resources.strip():
        return [line.strip() for line in program.support_resources.splitlines() if line.strip()]
    return [
        _(
            "Your province's or territory's physician health program (confidential support "
            "for physicians, residents and medical students)."
        ),
        _("Your faculty's or hospital's wellness office, or your own doctor."),
        _("In an emergency, call 911 or go to the nearest emergency department."),
    ]

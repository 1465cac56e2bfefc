"""The codes programs are configured with: regions and career-stage groups.

This is the single place where these codes are listed and validated. Programs choose
career-stage *groups* (no program enrols by postgraduate year); a person's career stage
is the profiles taxonomy's finer term (``resident-pgy2``), which :func:`career_stage_group`
maps to its group, so either kind of code is accepted wherever a stage is given.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medmentor.profiles.taxonomy import taxonomy

# Canadian provinces and territories by their ISO 3166-2:CA subdivision codes,
# then the two codes for programs that are not tied to one province.
REGIONS: list[tuple[str, str | Promise]] = [
    ("AB", _("Alberta")),
    ("BC", _("British Columbia")),
    ("MB", _("Manitoba")),
    ("NB", _("New Brunswick")),
    ("NL", _("Newfoundland and Labrador")),
    ("NS", _("Nova Scotia")),
    ("NT", _("Northwest Territories")),
    ("NU", _("Nunavut")),
    ("ON", _("Ontario")),
    ("PE", _("Prince Edward Island")),
    ("QC", _("Quebec")),
    ("SK", _("Saskatchewan")),
    ("YT", _("Yukon")),
    ("national", _("Canada-wide")),
    ("international", _("International")),
]

# Career-stage groups, from first to last.
CAREER_STAGES: list[tuple[str, str | Promise]] = [
    ("student", _("Medical student")),
    ("resident", _("Resident")),
    ("fellow", _("Fellow")),
    ("early_career", _("Physician, early career")),
    ("mid_career", _("Physician, mid career")),
    ("late_career", _("Physician, late career")),
    ("retired", _("Retired physician")),
]


def region_choices() -> list[tuple[str, str | Promise]]:
    return list(REGIONS)


def region_label(code: str) -> str | Promise:
    return dict(REGIONS).get(code, code)


def validate_region(code: str) -> None:
    if code not in dict(REGIONS):
        raise ValidationError(_("“%(code)s” is not a known region."), params={"code": code})


def career_stage_choices() -> list[tuple[str, str | Promise]]:
    return list(CAREER_STAGES)


# The taxonomy's career stages (profiles migration 0002) that are not a group's own code.
_TAXONOMY_GROUPS = {
    "medical-student": "student",
    "early-career": "early_career",
    "mid-career": "mid_career",
    "late-career": "late_career",
}


def career_stage_group(code: str) -> str:
    """The group of a group code or of a taxonomy career stage; "" when unknown."""
    if code in dict(CAREER_STAGES):
        return code
    if code.startswith("resident-pgy"):
        return "resident"
    return _TAXONOMY_GROUPS.get(code, "")


def career_stage_label(code: str) -> str | Promise:
    group_labels = dict(CAREER_STAGES)
    if code in group_labels:
        return group_labels[code]
    term = taxonomy()["career-stages"].by_code.get(code)
    return term.label if term is not None else code


def validate_career_stage(code: str) -> None:
    if not career_stage_group(code):
        raise ValidationError(_("“%(code)s” is not a known career stage."), params={"code": code})


def validate_career_stage_codes(codes: Iterable[str]) -> None:
    if isinstance(codes, str) or not isinstance(codes, list | tuple):
        raise ValidationError(_("Give a list of career stage codes."))
    for code in codes:
        validate_career_stage(code)

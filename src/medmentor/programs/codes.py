"""The codes programs are configured with: regions and career stages.

This is the single place where these codes are listed and validated. The profiles
taxonomy uses the same codes and will replace these constants: swap the two lists (or
make the functions below read the taxonomy) and every form, model and API follows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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

# Placeholders for the profiles taxonomy's career stages, from first to last.
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


def career_stage_label(code: str) -> str | Promise:
    return dict(CAREER_STAGES).get(code, code)


def validate_career_stage(code: str) -> None:
    if code not in dict(CAREER_STAGES):
        raise ValidationError(_("“%(code)s” is not a known career stage."), params={"code": code})


def validate_career_stage_codes(codes: Iterable[str]) -> None:
    if isinstance(codes, str) or not isinstance(codes, list | tuple):
        raise ValidationError(_("Give a list of career stage codes."))
    for code in codes:
        validate_career_stage(code)

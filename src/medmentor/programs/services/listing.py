"""Programs run on MedMentor appear in the public directory, with a "Join here" button."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from medmentor.directory.models import Audience as DirectoryAudience
from medmentor.directory.services import (
    listing_publish_platform_program,
    listing_withdraw_platform_program,
)
from medmentor.programs.models import Audience, Program

AUDIENCES = {
    Audience.STUDENTS: [DirectoryAudience.STUDENTS],
    Audience.RESIDENTS: [DirectoryAudience.RESIDENTS],
    Audience.PRACTICE: [DirectoryAudience.PHYSICIANS],
    Audience.MIXED: [
        DirectoryAudience.STUDENTS,
        DirectoryAudience.RESIDENTS,
        DirectoryAudience.PHYSICIANS,
    ],
}


# A listing for one career stage becomes a program for that audience.
LISTING_AUDIENCES = {
    str(codes[0]): audience for audience, codes in AUDIENCES.items() if len(codes) == 1
}


def listing_key(program: Program) -> str:
    return f"program:{program.uuid}"


def program_listing_sync(*, program: Program) -> None:
    """A listed program is in the directory with its current facts; an unlisted one is not."""
    if not program.is_listed:
        listing_withdraw_platform_program(key=listing_key(program))
        return
    listing_publish_platform_program(
        key=listing_key(program),
        name_en=program.name_en,
        name_fr=program.name_fr,
        description_en=program.description_en,
        description_fr=program.description_fr,
        audiences=[str(code) for code in AUDIENCES[Audience(program.audience)]],
        region=program.region,
        formats=["one-to-one"],
        cost="free",
        join_url=settings.SITE_URL + reverse("programs:detail", args=[program.uuid]),
    )

"""The program directory: public, read-only listings and search, and anonymous submissions.

Every route here is open to anonymous callers (``auth=None``). Submitting needs no CSRF
token because it publishes nothing: it is rate-limited per address and per IP and waits
for the submitter to confirm by e-mail and for a moderator to approve it.
"""

import uuid
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field, field_validator

from medmentor.api.base import BoundedPagination, InputSchema, api, responses, validated
from medmentor.directory import selectors, services
from medmentor.directory.forms import SubmissionForm
from medmentor.directory.models import (
    Audience,
    Cost,
    Format,
    Language,
    Listing,
    Region,
)
from medmentor.directory.selectors import ListingFilters
from medmentor.directory.views import client_ip
from medmentor.profiles.models import Specialty

router = Router(tags=["directory"], auth=None)


class ListingQuery(InputSchema):
    q: str = Field("", max_length=200, description="Free text: name, organisation, description")
    audience: Audience | None = None
    region: Region | None = Field(
        None, description="A province or territory includes national and international programs"
    )
    specialty: str | None = Field(
        None,
        max_length=64,
        description=(
            "A specialty code of the profiles' taxonomy: matches programs for it, for its "
            "discipline, for its subspecialties and for all specialties"
        ),
    )
    language: Language | None = None
    format: Format | None = None
    cost: Cost | None = None

    @field_validator("specialty")
    @classmethod
    def known_specialty(cls, code: str | None) -> str | None:
        if code and not Specialty.objects.filter(code=code).exists():
            raise ValueError("Not a specialty code of the taxonomy.")
        return code

    def filters(self) -> ListingFilters:
        return ListingFilters(
            q=self.q,
            **{
                name: str(getattr(self, name).value) if getattr(self, name) else ""
                for name in ("audience", "region", "language", "format", "cost")
            },
            specialty=self.specialty or "",
        )


class ListingOut(Schema):
    uuid: uuid.UUID
    url: str
    name: str
    name_en: str
    name_fr: str
    organisation: str
    organisation_en: str
    organisation_fr: str
    description_en: str
    description_fr: str
    audiences: list[str]
    specialties: list[str]
    region: str
    formats: list[str]
    languages: list[str]
    cost: str
    how_to_join_en: str
    how_to_join_fr: str
    website_url: str = Field(description="The program's official address")
    join_url: str
    contact_email: str
    source_url: str = Field(description="The page the facts come from")
    status: str
    source: str = Field(description="submitted, or medmentor for programs run on MedMentor")
    last_verified: date | None = Field(description="When the facts were last checked")
    unverified_since: date | None = Field(
        description="Set when the program did not confirm its listing when asked"
    )
    published_at: datetime | None

    @staticmethod
    def resolve_url(listing: Listing, context: dict[str, HttpRequest]) -> str:
        return context["request"].build_absolute_uri(listing.get_absolute_url())


class SubmissionIn(InputSchema):
    listing: uuid.UUID | None = Field(None, description="The listing a correction applies to")
    name_en: str = ""
    name_fr: str = ""
    organisation_en: str = ""
    organisation_fr: str = ""
    description_en: str = ""
    description_fr: str = ""
    audiences: list[str] = []
    specialties: list[str] = []
    region: str = ""
    formats: list[str] = []
    languages: list[str] = []
    cost: str = ""
    how_to_join_en: str = ""
    how_to_join_fr: str = ""
    website_url: str = ""
    join_url: str = ""
    contact_email: str = ""
    source_url: str = ""
    status: str = "active"
    submitter_email: str
    message: str = ""


class Accepted(Schema):
    detail: str


@router.get(
    "/listings", response=responses(list[ListingOut], 422), summary="Search the public listings"
)
@paginate(BoundedPagination)
def listing_list(request: HttpRequest, query: Query[ListingQuery]) -> QuerySet[Listing]:
    return selectors.listing_search(filters=query.filters())


@router.get(
    "/listings/{listing_uuid}",
    response=responses(ListingOut, 404, 422),
    summary="One public listing",
)
def listing_detail(request: HttpRequest, listing_uuid: uuid.UUID) -> Listing:
    return selectors.listing_get_public(listing_uuid=listing_uuid)


@router.post(
    "/submissions",
    response=responses({202: Accepted}, 404, 422, 429),
    summary="Propose a program or a correction (confirmed by e-mail, then moderated)",
)
def submission_create(request: HttpRequest, payload: SubmissionIn) -> HttpResponse:
    listing = (
        selectors.listing_get_correctable(listing_uuid=payload.listing) if payload.listing else None
    )
    form = SubmissionForm(data=payload.dict(exclude={"listing"}))
    content = validated(form)
    try:
        services.submission_create(
            content=content,
            language=get_language() or "en",
            ip_address=client_ip(request),
            listing=listing,
        )
    except services.Throttled as throttled:
        raise HttpError(429, str(throttled.message)) from None
    detail = _(
        "Check your e-mail: the submission waits for you to confirm it, then for a moderator."
    )
    return api.create_response(request, {"detail": detail}, status=202)


class GapRowOut(Schema):
    region: str
    label: str
    programs: dict[str, int] = Field(description="Active programs of the region, by career stage")


class GapsOut(Schema):
    stages: dict[str, str] = Field(description="Career stages: code and label, in practice first")
    provinces: list[GapRowOut] = Field(description="Each province's and territory's own programs")
    wide: list[GapRowOut] = Field(description="National and international programs")
    empty_cells: int = Field(description="Province-and-stage combinations with no program")


def _gap_rows(rows: list[selectors.GapRow], stages: list[str]) -> list[dict[str, object]]:
    return [
        {
            "region": row.region,
            "label": row.label,
            "programs": dict(zip(stages, row.counts, strict=True)),
        }
        for row in rows
    ]


@router.get(
    "/gaps",
    response=responses(GapsOut),
    summary="Programs by region and career stage: where none exists yet",
    url_name="directory_gaps",
)
def gaps(request: HttpRequest) -> dict[str, object]:
    found = selectors.directory_gaps()
    stages = [code for code, _label in found.stages]
    return {
        "stages": dict(found.stages),
        "provinces": _gap_rows(found.provinces, stages),
        "wide": _gap_rows(found.wide, stages),
        "empty_cells": found.empty_cells,
    }

"""Reads of the directory: what the public may see, and the moderators' queue."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils.translation import get_language

from medmentor.directory.models import (
    WIDE_REGIONS,
    Audience,
    Listing,
    Region,
    Source,
    Specialty,
    Status,
    Submission,
    SubmissionState,
    verify_cutoff,
)


@dataclass(frozen=True)
class ListingFilters:
    """What a visitor searches for; an empty value means "any"."""

    q: str = ""
    audience: str = ""
    region: str = ""
    specialty: str = ""
    language: str = ""
    format: str = ""


def _has_code(field: str, code: str) -> Q:
    # The lists hold our own ASCII codes, so the quoted code appears in the stored JSON text
    # exactly when it is an item of the list: the same test on SQLite and PostgreSQL.
    return Q(**{f"{field}__icontains": json.dumps(code)})


def regions_serving(region: str) -> list[str]:
    """A province or territory is also served by national and international programs."""
    if region == Region.INTERNATIONAL:
        return [region]
    if region == Region.NATIONAL:
        return [str(code) for code in WIDE_REGIONS]
    return [region, *(str(code) for code in WIDE_REGIONS)]


def _public() -> QuerySet[Listing]:
    return Listing.objects.filter(is_public=True)


def listing_search(*, filters: ListingFilters) -> QuerySet[Listing]:
    """Public listings matching every filter; active programs first, then by name."""
    listings = _public()
    for word in filters.q.split()[:10]:
        listings = listings.filter(
            Q(name_en__icontains=word)
            | Q(name_fr__icontains=word)
            | Q(organisation_en__icontains=word)
            | Q(organisation_fr__icontains=word)
            | Q(description_en__icontains=word)
            | Q(description_fr__icontains=word)
        )
    if filters.audience:
        listings = listings.filter(_has_code("audiences", filters.audience))
    if filters.region:
        listings = listings.filter(region__in=regions_serving(filters.region))
    if filters.specialty:
        listings = listings.filter(
            _has_code("specialties", filters.specialty) | _has_code("specialties", Specialty.ALL)
        )
    if filters.language:
        listings = listings.filter(_has_code("languages", filters.language))
    if filters.format:
        listings = listings.filter(_has_code("formats", filters.format))
    name = (
        Coalesce(NullIf(F("name_fr"), Value("")), F("name_en"))
        if (get_language() or "en").startswith("fr")
        else F("name_en")
    )
    active_first = Case(When(status=Status.ACTIVE, then=0), default=1, output_field=IntegerField())
    return listings.order_by(active_first, Lower(name), "pk")


def physicians_unserved(*, filters: ListingFilters) -> bool:
    """True when a visitor looks at a region (or at physicians in practice) and no active
    listing serves physicians in practice there: the page then asks them to tell us of one.
    For a province only programs of that province count: national ones (the open community
    among them) still show in the results, but a local program is what we ask about."""
    if not filters.region and filters.audience != Audience.PHYSICIANS:
        return False
    serving = _public().filter(_has_code("audiences", Audience.PHYSICIANS), status=Status.ACTIVE)
    if filters.region in WIDE_REGIONS:
        serving = serving.filter(region__in=regions_serving(filters.region))
    elif filters.region:
        serving = serving.filter(region=filters.region)
    return not serving.exists()


def listing_get_public(*, listing_uuid: uuid.UUID) -> Listing:
    """The one access helper for a listing: anyone sees a public one, nobody else exists."""
    try:
        return _public().get(uuid=listing_uuid)
    except Listing.DoesNotExist:
        raise Http404("No such listing") from None


def listing_get_correctable(*, listing_uuid: uuid.UUID) -> Listing:
    """A public listing a visitor may propose a correction to. Programs run on MedMentor
    are kept up to date by their coordinators, so they take no corrections here."""
    listing = listing_get_public(listing_uuid=listing_uuid)
    if listing.is_platform_program:
        raise Http404("Programs run on MedMentor are corrected by their coordinators")
    return listing


def listings_recently_published(*, limit: int = 30) -> QuerySet[Listing]:
    return _public().filter(published_at__isnull=False).order_by("-published_at", "-pk")[:limit]


def listings_needing_review() -> QuerySet[Listing]:
    """Public listings never verified, or not verified for a year, oldest first."""
    return (
        _public()
        .exclude(source=Source.MEDMENTOR)
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=verify_cutoff()))
        .order_by(F("last_verified").asc(nulls_first=True), "name_en")
    )


def submissions_awaiting_moderation() -> QuerySet[Submission]:
    return Submission.objects.filter(state=SubmissionState.PENDING).select_related("listing")


def submission_get_for_moderation(*, submission_uuid: uuid.UUID) -> Submission:
    try:
        return Submission.objects.select_related("listing").get(uuid=submission_uuid)
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None


def listing_get_for_moderation(*, listing_uuid: uuid.UUID) -> Listing:
    try:
        return Listing.objects.get(uuid=listing_uuid)
    except Listing.DoesNotExist:
        raise Http404("No such listing") from None

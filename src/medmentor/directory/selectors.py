"""Reads of the directory: what the public may see, and the moderators' queue."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.directory.models import (
    ALL_SPECIALTIES,
    VERIFY_EVERY,
    WIDE_REGIONS,
    Audience,
    Format,
    Language,
    Listing,
    ListingClaim,
    ListingReport,
    Region,
    Source,
    Status,
    Submission,
    SubmissionState,
    verify_cutoff,
)
from medmentor.profiles.models import Specialty

# A program asked to confirm its listing has this long to answer before it is unverified.
ANSWER_WITHIN = timedelta(days=30)


@dataclass(frozen=True)
class ListingFilters:
    """What a visitor searches for; an empty value means "any"."""

    q: str = ""
    audience: str = ""
    region: str = ""
    specialty: str = ""
    language: str = ""
    format: str = ""
    cost: str = ""


def _has_code(field: str, code: str) -> Q:
    # The lists hold our own ASCII codes, so the quoted code appears in the stored JSON text
    # exactly when it is an item of the list: the same test on SQLite and PostgreSQL.
    return Q(**{f"{field}__icontains": json.dumps(code)})


def specialty_family(code: str) -> list[str]:
    """The codes a specialty filter matches: the specialty, the discipline it belongs to,
    its subspecialties, and programs open to all specialties."""
    family = [ALL_SPECIALTIES, code]
    specialty = Specialty.objects.filter(code=code).select_related("parent").first()
    if specialty is not None:
        if specialty.parent is not None:
            family.append(specialty.parent.code)
        family.extend(specialty.children.values_list("code", flat=True))
    return family


def specialty_choices() -> list[tuple[str, object]]:
    """The specialties, each discipline with its subspecialties grouped under it, in the
    current language: what a visitor filters on and a submitter ticks."""
    specialties = list(Specialty.objects.active().select_related("parent"))
    children: dict[int, list[Specialty]] = {}
    for specialty in specialties:
        if specialty.parent_id is not None:
            children.setdefault(specialty.parent_id, []).append(specialty)
    choices: list[tuple[str, object]] = []
    tops = sorted((s for s in specialties if s.parent_id is None), key=lambda s: s.label.lower())
    for top in tops:
        subspecialties = sorted(children.get(top.pk, []), key=lambda s: s.label.lower())
        if subspecialties:
            choices.append(
                (top.label, [(top.code, top.label), *((s.code, s.label) for s in subspecialties)])
            )
        else:
            choices.append((top.code, top.label))
    return choices


def regions_serving(region: str) -> list[str]:
    """A province or territory is also served by national and international programs."""
    if region == Region.INTERNATIONAL:
        return [region]
    if region == Region.NATIONAL:
        return [str(code) for code in WIDE_REGIONS]
    return [region, *(str(code) for code in WIDE_REGIONS)]


def listings_public() -> QuerySet[Listing]:
    return Listing.objects.filter(is_public=True)


def listing_search(*, filters: ListingFilters) -> QuerySet[Listing]:
    """Public listings matching every filter, active and checked programs first."""
    listings = listings_public()
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
        matching = Q()
        for code in specialty_family(filters.specialty):
            matching |= _has_code("specialties", code)
        listings = listings.filter(matching)
    if filters.language:
        listings = listings.filter(_has_code("languages", filters.language))
    if filters.format:
        listings = listings.filter(_has_code("formats", filters.format))
    if filters.cost:
        listings = listings.filter(cost=filters.cost)
    return _ranked(listings)


def _ranked(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    """Active programs first, then the checked ones before the unverified, then by name."""
    name = (
        Coalesce(NullIf(F("name_fr"), Value("")), F("name_en"))
        if (get_language() or "en").startswith("fr")
        else F("name_en")
    )
    active_first = Case(When(status=Status.ACTIVE, then=0), default=1, output_field=IntegerField())
    checked_first = Case(
        When(unverified_since__isnull=True, then=0), default=1, output_field=IntegerField()
    )
    return listings.order_by(active_first, checked_first, Lower(name), "pk")


def physicians_unserved(*, filters: ListingFilters) -> bool:
    """True when a visitor looks at a region (or at physicians in practice) and no active
    listing serves physicians in practice there: the page then asks them to tell us of one.
    For a province only programs of that province count: national ones (the open community
    among them) still show in the results, but a local program is what we ask about."""
    if not filters.region and filters.audience != Audience.PHYSICIANS:
        return False
    serving = listings_public().filter(
        _has_code("audiences", Audience.PHYSICIANS), status=Status.ACTIVE
    )
    if filters.region in WIDE_REGIONS:
        serving = serving.filter(region__in=regions_serving(filters.region))
    elif filters.region:
        serving = serving.filter(region=filters.region)
    return not serving.exists()


def listing_get_public(*, listing_uuid: uuid.UUID) -> Listing:
    """The one access helper for a listing: anyone sees a public one, nobody else exists."""
    try:
        return listings_public().get(uuid=listing_uuid)
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
    return (
        listings_public()
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")[:limit]
    )


def _not_checked_for_a_year() -> Q:
    return Q(last_verified__isnull=True) | Q(last_verified__lt=verify_cutoff())


def listings_needing_review() -> QuerySet[Listing]:
    """Public listings for the moderators to check: not checked for a year, unverified (the
    program did not answer), or reported as outdated by a visitor; oldest check first."""
    return (
        listings_public()
        .exclude(source=Source.MEDMENTOR)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(
            _not_checked_for_a_year() | Q(unverified_since__isnull=False) | Q(open_reports__gt=0)
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ListingReport.objects.filter(resolved_at__isnull=True),
                to_attr="open_report_list",
            )
        )
        .order_by(F("last_verified").asc(nulls_first=True), "name_en")
    )


def listing_open_reports(*, listing: Listing) -> QuerySet[ListingReport]:
    return listing.reports.filter(resolved_at__isnull=True)


def listings_due_for_confirmation() -> QuerySet[Listing]:
    """Listings the yearly request goes to: listed by the directory, with a contact to ask,
    not checked for a year, and not asked in the past year."""
    return (
        listings_public()
        .filter(source=Source.SUBMITTED)
        .exclude(contact_email="")
        .exclude(status=Status.CLOSED)
        .filter(_not_checked_for_a_year())
        .filter(
            Q(confirmation_requested_at__isnull=True)
            | Q(confirmation_requested_at__lt=timezone.now() - VERIFY_EVERY)
        )
    )


def listings_unanswered() -> QuerySet[Listing]:
    """Listings whose program was asked more than ``ANSWER_WITHIN`` ago and has not
    confirmed since (nor been checked by a moderator): to be marked unverified."""
    return (
        listings_public()
        .filter(
            source=Source.SUBMITTED,
            unverified_since__isnull=True,
            confirmation_requested_at__lt=timezone.now() - ANSWER_WITHIN,
        )
        .filter(
            Q(last_verified__isnull=True)
            | Q(last_verified__lt=TruncDate("confirmation_requested_at"))
        )
    )


# --- Claims --------------------------------------------------------------------------

# Hosts shared by many organisations: an address there proves nothing about a program.
SHARED_DOMAINS = frozenset(
    {
        "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "yahoo.ca", "icloud.com",
        "live.com", "protonmail.com", "proton.me", "google.com", "sites.google.com",
        "facebook.com", "linkedin.com", "wixsite.com", "squarespace.com", "wordpress.com",
        "eventbrite.com", "eventbrite.ca", "github.io", "canva.site",
    }
)  # fmt: skip
# Second-level labels under which anybody may register (co.uk, on.ca): never a program's own.
OPEN_SECOND_LEVELS = frozenset(
    {"co", "ac", "gov", "gc", "org", "net", "com", "edu", "nhs", "ab", "bc", "mb", "nb", "nl",
     "ns", "nt", "nu", "on", "pe", "qc", "sk", "yk"}
)  # fmt: skip


def listing_domain(listing: Listing) -> str:
    """The domain of the program's official address, without a leading ``www.``."""
    host = (urlsplit(listing.website_url).hostname or "").lower()
    return host.removeprefix("www.")


def _organisation_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or domain in SHARED_DOMAINS:
        return False
    return not (len(labels) == 2 and labels[0] in OPEN_SECOND_LEVELS)


def address_proves_control(*, listing: Listing, email: str) -> bool:
    """An address proves someone runs the program when it is the listing's published
    contact, or is at the domain of the program's official address (or at a domain the
    address is under, or under it: med.uottawa.ca and uottawa.ca are one organisation),
    never at a shared host or webmail."""
    email = email.strip().lower()
    if listing.contact_email and email == listing.contact_email.lower():
        return True
    address_domain = email.rpartition("@")[2]
    program_domain = listing_domain(listing)
    if not (program_domain and _organisation_domain(address_domain)):
        return False
    if not _organisation_domain(program_domain):
        return False
    return (
        address_domain == program_domain
        or program_domain.endswith(f".{address_domain}")
        or address_domain.endswith(f".{program_domain}")
    )


def claim_get_confirmed(*, listing_uuid: uuid.UUID, user_id: int) -> ListingClaim:
    """The confirmed claim that lets ``user_id`` edit a listing; 404 for anyone else."""
    try:
        return ListingClaim.objects.select_related("listing").get(
            listing__uuid=listing_uuid,
            listing__is_public=True,
            user_id=user_id,
            confirmed_at__isnull=False,
        )
    except ListingClaim.DoesNotExist:
        raise Http404("No such claim") from None


def claims_export(user: User) -> dict[str, list[dict[str, object]]]:
    """The person's claims of directory listings, for their export of their own data."""
    claims = ListingClaim.objects.filter(user=user).select_related("listing")
    return {
        "listings_claimed": [
            {
                "listing": claim.listing.name,
                "address": claim.email,
                "claimed_at": claim.created_at,
                "confirmed_at": claim.confirmed_at,
            }
            for claim in claims
        ]
    }


# --- Which program fits me: three answers, a ranked and explained list ---------------


@dataclass(frozen=True)
class Fit:
    listing: Listing
    score: int
    reasons: list[str | Promise] = field(default_factory=list)


def listings_fitting(*, stage: str, region: str, format: str) -> list[Fit]:
    """Programs open to ``stage`` and serving ``region``, best fit first, each with the
    reasons it ranks where it does (the visitor's language counts as a fourth answer):
    a program of one's own province before a national one before an international one,
    the wished format, then active and checked before paused or unverified."""
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    candidates = (
        listings_public()
        .exclude(status=Status.CLOSED)
        .filter(_has_code("audiences", stage), region__in=regions_serving(region))
    )
    fits = [_fit(listing, stage, region, format, language) for listing in candidates]
    fits.sort(key=lambda fit: (-fit.score, fit.listing.name.lower(), fit.listing.pk))
    return fits


def _fit(listing: Listing, stage: str, region: str, format: str, language: str) -> Fit:
    score = 0
    reasons: list[str | Promise] = [
        _("Open to %(stage)s") % {"stage": Audience(stage).label.lower()}
    ]
    if listing.region == region and region not in WIDE_REGIONS:
        score += 30
        reasons.append(
            _("In your province or territory: %(region)s") % {"region": Region(region).label}
        )
    elif listing.region == Region.NATIONAL:
        score += 20
        reasons.append(_("Open to all of Canada"))
    elif listing.region == Region.INTERNATIONAL:
        score += 10
        reasons.append(_("International"))
    if format and format in listing.formats:
        score += 15
        reasons.append(_("The format you asked for: %(format)s") % {"format": Format(format).label})
    if language in listing.languages:
        score += 5
        reasons.append(_("In French") if language == Language.FRENCH else _("In English"))
    if listing.status != Status.ACTIVE:
        score -= 25
        reasons.append(_("Paused for now"))
    if listing.unverified_since:
        score -= 5
        reasons.append(_("Unverified: the program did not confirm its listing"))
    return Fit(listing=listing, score=score, reasons=reasons)


# --- Gaps: where programs are missing ------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    region: str
    label: str
    counts: list[int]  # active programs of this region, one per career stage


@dataclass(frozen=True)
class Gaps:
    stages: list[tuple[str, str]]  # (code, label), in practice first
    provinces: list[GapRow]
    wide: list[GapRow]  # national and international programs, open to every province

    @property
    def empty_cells(self) -> int:
        return sum(count == 0 for row in self.provinces for count in row.counts)


def directory_gaps() -> Gaps:
    """Active public programs by region and career stage: a province's own programs (a
    national one shows in its own row), so that the empty cells show where none exists."""
    counted: Counter[tuple[str, str]] = Counter()
    for region, audiences in (
        listings_public().filter(status=Status.ACTIVE).values_list("region", "audiences")
    ):
        for stage in audiences:
            counted[(region, stage)] += 1
    stages = [(str(code), str(label)) for code, label in Audience.choices]

    def row(region: Region) -> GapRow:
        return GapRow(
            str(region), str(region.label), [counted[(region, code)] for code, _label in stages]
        )

    provinces = [row(region) for region in Region if region not in WIDE_REGIONS]
    return Gaps(stages=stages, provinces=provinces, wide=[row(region) for region in WIDE_REGIONS])


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

"""schema.org JSON-LD for a listing page.

The type is ``Service``, provided by an ``Organization``. A mentorship program is a service
an organisation offers to people (it pairs them and supports the pairs); it awards no
credential, so ``EducationalOccupationalProgram`` (a course of study towards a degree or
certificate) would mislead, and it lacks the properties a seeker filters on. ``Service``
has each of them: ``provider``, ``audience``, ``areaServed``, ``availableLanguage``,
``serviceType`` and ``offers`` (the cost).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from medmentor.directory.models import Cost, Listing, Region

# Inside <script>, "</script>" or "<!--" in a value would end or corrupt the block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

CANADA = {"@type": "Country", "name": "Canada"}


def listing_data(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    page = request.build_absolute_uri(listing.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": page,
        "serviceType": "Mentorship program",
        "name": listing.name,
        "provider": {"@type": "Organization", "name": listing.organisation},
        "url": listing.website_url or listing.join_url or page,
    }
    if listing.last_verified:
        data["dateModified"] = listing.last_verified.isoformat()
    if listing.description:
        data["description"] = listing.description
    if listing.audiences:
        data["audience"] = [
            {"@type": "Audience", "audienceType": label} for label in listing.audience_labels
        ]
    if listing.region == Region.NATIONAL:
        data["areaServed"] = CANADA
    elif listing.region and listing.region != Region.INTERNATIONAL:
        data["areaServed"] = {
            "@type": "AdministrativeArea",
            "name": listing.get_region_display(),
            "containedInPlace": CANADA,
        }
    if listing.languages:
        data["availableLanguage"] = list(listing.languages)
    if listing.specialties:
        data["category"] = listing.specialty_labels
    if listing.cost == Cost.FREE:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "CAD"}
    if listing.contact_email:
        data["provider"]["email"] = listing.contact_email
    return data


def listing_json_ld(request: HttpRequest, listing: Listing) -> SafeString:
    """The JSON text, safe to place between <script type="application/ld+json"> tags."""
    text = json.dumps(listing_data(request, listing), ensure_ascii=False, indent=2)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # escaped just above


def listing_summary(listing: Listing) -> str:
    """One line for search results and link cards: the description's start, or the facts."""
    if listing.description:
        return str(truncatechars(" ".join(listing.description.split()), 200))
    audiences = ", ".join(label.lower() for label in listing.audience_labels)
    facts = {"organisation": listing.organisation, "audiences": audiences}
    if listing.audiences:
        return _("A mentorship program of %(organisation)s, for %(audiences)s.") % facts
    return _("A mentorship program of %(organisation)s.") % facts

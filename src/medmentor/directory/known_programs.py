"""The programs MedMentor lists itself: real programs found and checked on their
organisations' own pages (``data/programs.json``, one entry per program, each with the
page its facts come from and the day they were checked).

Loaded by a data migration and again by ``manage.py directory_load_programs`` after a
re-check: an entry updates its listing (found by a UUID derived from its stable ``key``)
and never adds a second one. A listing checked more recently than the entry (its contact
confirmed it, a moderator corrected it) keeps what it says now.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

DATA = Path(__file__).parent / "data" / "programs.json"

# Derives each entry's listing UUID from its key: stable across databases and re-runs.
NAMESPACE = uuid.UUID("6f1d0b9e-3f55-4d5e-9a0c-2b8e1c7a4d10")

# Kept in the file for the people who check the entries; never stored.
NOT_STORED = frozenset({"key", "uuid", "checked_on", "notes"})


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    kept: int  # checked more recently on the site than in the file


def known_programs(path: Path = DATA) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as data:
        entries: list[dict[str, Any]] = json.load(data)
    return entries


def listing_uuid(entry: dict[str, Any]) -> uuid.UUID:
    if entry.get("uuid"):
        return uuid.UUID(entry["uuid"])
    return uuid.uuid5(NAMESPACE, entry["key"])


def load_known_programs(listing_model: Any, entries: list[dict[str, Any]]) -> LoadResult:
    """Creates or updates one listing per entry, public when it gives a way to reach the
    program. ``listing_model`` is the Listing model, or its historical version in a
    migration: only the fields it has are set."""
    fields = {field.name for field in listing_model._meta.get_fields()}
    now = timezone.now()
    created = updated = kept = 0
    for entry in entries:
        checked_on = date.fromisoformat(entry["checked_on"])
        facts = {
            name: value
            for name, value in entry.items()
            if name not in NOT_STORED and name in fields
        }
        listing = listing_model._default_manager.filter(uuid=listing_uuid(entry)).first()
        if listing is None:
            listing = listing_model(uuid=listing_uuid(entry), published_at=now)
            created += 1
        elif listing.last_verified and listing.last_verified > checked_on:
            kept += 1
            continue
        else:
            updated += 1
        for name, value in facts.items():
            setattr(listing, name, value)
        listing.source = "submitted"
        # A program nobody could find a page or an address for waits, unlisted.
        listing.is_public = bool(entry.get("website_url") or entry.get("contact_email"))
        listing.published_at = listing.published_at or now
        listing.last_verified = checked_on
        if "unverified_since" in fields:
            listing.unverified_since = None
        listing.save()
    return LoadResult(created=created, updated=updated, kept=kept)

"""The programs MedMentor lists itself: real programs, each reachable, each with the page
its facts come from and the day they were checked, loaded again without duplicates."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from medmentor.directory.known_programs import DATA, known_programs, listing_uuid
from medmentor.directory.models import Listing

pytestmark = pytest.mark.django_db

ENTRIES = known_programs()
PUBLIC_ENTRIES = [entry for entry in ENTRIES if entry["website_url"] or entry["contact_email"]]


def public_known() -> list[Listing]:
    return list(Listing.objects.filter(is_public=True, source="submitted"))


def test_the_directory_holds_forty_programs_fifteen_of_them_for_physicians_in_practice():
    listings = public_known()
    assert len(listings) >= 40
    in_practice = [listing for listing in listings if "physicians" in listing.audiences]
    assert len(in_practice) >= 15
    canadian = [listing for listing in listings if listing.region != "international"]
    assert len(canadian) > len(listings) / 2  # mostly Canadian, some international models


def test_every_listing_is_reachable_sourced_checked_and_valid():
    for listing in public_known():
        listing.full_clean()  # the model's own rules: choice codes, a way to reach it
        assert listing.website_url.startswith(("https://", "http://")), listing
        assert listing.source_url.startswith(("https://", "http://")), listing
        assert listing.last_verified is not None, listing
        assert all((listing.name_en, listing.organisation_en, listing.description_en)), listing
        assert all((listing.audiences, listing.region)), listing


def test_each_entry_of_the_file_has_a_source_and_a_checked_date():
    keys = [entry["key"] for entry in ENTRIES]
    assert len(keys) == len(set(keys))
    for entry in PUBLIC_ENTRIES:
        assert entry["source_url"], entry["key"]
        # A day of the checker's clock (UTC), never a day still to come.
        assert date.fromisoformat(entry["checked_on"]) <= datetime.now(UTC).date(), entry["key"]
    # A program nobody found a page or an address for stays unlisted, never shown bare.
    for entry in ENTRIES:
        listing = Listing.objects.get(uuid=listing_uuid(entry))
        assert listing.is_public == (entry in PUBLIC_ENTRIES)


def test_loading_again_updates_and_never_duplicates(tmp_path):
    before = Listing.objects.count()
    changed = [dict(entry) for entry in ENTRIES]
    changed[3]["description_en"] = "Checked again: the program now meets monthly."
    later = date.fromisoformat(changed[3]["checked_on"]) + timedelta(days=1)
    changed[3]["checked_on"] = later.isoformat()
    data = tmp_path / "programs.json"
    data.write_text(json.dumps(changed), encoding="utf-8")

    call_command("directory_load_programs", file=data, stdout=StringIO())
    call_command("directory_load_programs", file=DATA, stdout=StringIO())

    assert Listing.objects.count() == before
    listing = Listing.objects.get(uuid=listing_uuid(changed[3]))
    # The later check stays: the shipped file's own check is older.
    assert listing.description_en == "Checked again: the program now meets monthly."
    assert listing.last_verified == later


def test_a_program_checked_on_the_site_since_keeps_what_it_says(tmp_path):
    entry = PUBLIC_ENTRIES[0]
    listing = Listing.objects.get(uuid=listing_uuid(entry))
    Listing.objects.filter(pk=listing.pk).update(
        description_en="Confirmed by the program.", last_verified=date(2099, 1, 1)
    )
    call_command("directory_load_programs", stdout=StringIO())
    listing.refresh_from_db()
    assert listing.description_en == "Confirmed by the program."


def test_a_known_program_page_shows_its_source_and_the_day_it_was_checked(client):
    entry = PUBLIC_ENTRIES[0]
    listing = Listing.objects.get(uuid=listing_uuid(entry))
    html = client.get(reverse("directory:detail", args=[listing.uuid])).content.decode()
    assert f'href="{entry["website_url"]}"' in html
    assert f'href="{entry["source_url"]}"' in html
    assert "Last checked" in html
    assert f'datetime="{entry["checked_on"]}"' in html

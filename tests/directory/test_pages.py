"""A listing's page (with schema.org JSON-LD), the Atom feed, the CSV export, the seeded
programs and the escaping of whatever a submitter typed."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from medmentor.directory.models import Listing
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT = "<script>alert('x')</script>"


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_listing_page_shows_the_facts_and_valid_json_ld(client):
    listing = ListingFactory(
        name_en="Alberta Women in Medicine Mentoring",
        organisation_en="Alberta Medical Association",
        description_en="One-to-one mentoring.",
        audiences=["residents", "physicians"],
        specialties=["general-surgery"],
        region="AB",
        languages=["en"],
        cost="free",
        contact_email="mentoring@example.org",
    )
    response = client.get(listing.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Alberta Women in Medicine Mentoring",
        "Alberta Medical Association",
        "Residents, Physicians in practice",
        "General Surgery",
        "Free",
    ):
        assert text in html
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Service"
    assert data["serviceType"] == "Mentorship program"
    assert data["name"] == "Alberta Women in Medicine Mentoring"
    assert data["provider"] == {
        "@type": "Organization",
        "name": "Alberta Medical Association",
        "email": "mentoring@example.org",
    }
    assert data["areaServed"]["name"] == "Alberta"
    assert data["areaServed"]["containedInPlace"] == {"@type": "Country", "name": "Canada"}
    assert [item["audienceType"] for item in data["audience"]] == [
        "Residents",
        "Physicians in practice",
    ]
    assert data["availableLanguage"] == ["en"]
    assert data["offers"]["price"] == "0"
    assert data["url"] == "https://example.org/mentoring"  # the official address
    assert data["@id"] == "http://testserver" + listing.get_absolute_url()


def test_unknown_facts_are_left_out_never_printed_as_unknown(client):
    listing = ListingFactory(
        audiences=[],
        region="",
        specialties=[],
        formats=[],
        languages=[],
        cost="",
        status="",
        contact_email="",
        last_verified=None,
        description_en="",
    )
    for language in ("en", "fr"):
        client.cookies.load({"django_language": language})
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "unknown" not in html.lower()
        assert "inconnu" not in html.lower()
        facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
        assert "<dt>" not in facts
        assert 'href="https://example.org/mentoring"' in html  # the way to reach it


def test_a_listing_that_is_not_public_does_not_exist(client):
    hidden = ListingFactory(is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:detail", args=[uuid.uuid4()])).status_code == 404


def test_script_in_any_field_is_shown_as_text_never_run(client):
    listing = ListingFactory(
        description_en=f"Great program {SCRIPT} </script><script>alert(2)</script>",
        join_url="https://example.org/?q=<b>",
    )
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    data = json_ld(html)  # the JSON-LD block is not broken out of
    assert SCRIPT in data["description"]
    index = client.get(reverse("directory:index")).content.decode()
    assert "<script>alert" not in index


def test_the_feed_is_valid_atom_newest_first_and_escaped(client):
    Listing.objects.all().delete()
    older = ListingFactory(name_en="Older", published_at=timezone.now() - timedelta(days=3))
    newer = ListingFactory(name_en="Newer", description_en=SCRIPT)
    ListingFactory(name_en="Hidden", is_public=False)
    response = client.get(reverse("directory:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "MedMentor: new mentorship programs"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Newer", "Older"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://testserver" + newer.get_absolute_url()
    assert first.find(f"{ATOM}id").text
    assert first.find(f"{ATOM}updated").text
    # The summary is HTML for feed readers: the script arrives escaped, as text.
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "&lt;script&gt;" in summary.text
    assert older.get_absolute_url() in response.content.decode()


def test_the_feed_follows_the_language(client):
    ListingFactory(name_en="English name", name_fr="Nom français")
    client.cookies.load({"django_language": "fr"})
    feed = ElementTree.fromstring(client.get(reverse("directory:feed")).content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert "Nom français" in titles
    assert feed.find(f"{ATOM}title").text == "MedMentor : nouveaux programmes de mentorat"


def test_csv_export_has_both_languages_and_neutralises_formulas(client):
    Listing.objects.all().delete()
    ListingFactory(
        name_en='=HYPERLINK("http://evil")',
        name_fr="Nom",
        audiences=["students", "residents"],
    )
    ListingFactory(name_en="Quebec one", region="QC")
    ListingFactory(name_en="Hidden", is_public=False)
    response = client.get(reverse("directory:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [row["name_en"] for row in rows] == ['\'=HYPERLINK("http://evil")', "Quebec one"]
    assert rows[0]["name_fr"] == "Nom"
    assert rows[0]["audiences"] == "students residents"
    assert rows[0]["url"].startswith("http://testserver/directory/")
    # The export follows the search.
    filtered = client.get(reverse("directory:export"), {"region": "QC"}).getvalue().decode()
    assert [row["name_en"] for row in csv.DictReader(io.StringIO(filtered))] == ["Quebec one"]

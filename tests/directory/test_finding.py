"""Finding the right program: filters (career stage with in practice first, format,
language, region, cost), the three-question fit path and its ranking, each listing's page
indexable (Open Graph, canonical address, sitemap) and the gaps page and its API."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from medmentor.directory.forms import SearchForm
from medmentor.directory.models import Listing
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def only_these():
    Listing.objects.all().delete()


def names(response) -> list[str]:
    return re.findall(
        r'<h3><a href="/directory/[^"]+/">([^<]+)</a></h3>', response.content.decode()
    )


def test_career_stage_lists_physicians_in_practice_first():
    stages = [code for code, _label in SearchForm().fields["audience"].choices]
    assert stages == ["", "physicians", "residents", "students"]


def test_filters_by_cost_format_and_language(client, only_these):
    ListingFactory(name_en="Free peer", cost="free", formats=["peer"], languages=["fr"])
    ListingFactory(name_en="Member group", cost="membership", formats=["group"])
    assert names(client.get(reverse("directory:index"), {"cost": "free"})) == ["Free peer"]
    assert names(client.get(reverse("directory:index"), {"format": "group"})) == ["Member group"]
    assert names(client.get(reverse("directory:index"), {"language": "fr"})) == ["Free peer"]
    bad = client.get(reverse("directory:index"), {"cost": "gratis"})
    assert bad.status_code == 200
    assert "cost" in bad.context["form"].errors


def test_the_fit_path_ranks_own_province_then_canada_then_the_world_and_explains(
    client, only_these
):
    ListingFactory(name_en="Ontario peers", audiences=["physicians"], region="ON", formats=["peer"])
    ListingFactory(
        name_en="Canada one-to-one",
        audiences=["physicians"],
        region="national",
        formats=["one-to-one"],
        languages=["en", "fr"],
    )
    ListingFactory(name_en="World peers", audiences=["physicians"], region="international")
    ListingFactory(name_en="Quebec peers", audiences=["physicians"], region="QC")
    ListingFactory(name_en="Ontario students", audiences=["students"], region="ON")
    ListingFactory(name_en="Ontario paused", audiences=["physicians"], region="ON", status="paused")
    ListingFactory(
        name_en="Ontario unverified",
        audiences=["physicians"],
        region="ON",
        unverified_since=timezone.localdate(),
    )
    ListingFactory(name_en="Ontario closed", audiences=["physicians"], region="ON", status="closed")

    response = client.get(
        reverse("directory:fit"), {"stage": "physicians", "region": "ON", "format": "peer"}
    )
    assert response.status_code == 200
    assert names(response) == [
        "Ontario peers",  # own province, and the format asked for
        "Ontario unverified",  # own province, but unconfirmed
        "Canada one-to-one",  # open to all of Canada
        "World peers",
        "Ontario paused",
    ]
    html = response.content.decode()
    for reason in (
        "Open to physicians in practice",
        "In your province or territory: Ontario",
        "Open to all of Canada",
        "The format you asked for: Peer",
    ):
        assert reason in html
    assert "Unverified: the program did not confirm its listing" in html
    assert "Paused for now" in html


def test_the_fit_path_in_french_counts_the_language(client, only_these):
    ListingFactory(name_en="English", audiences=["residents"], region="national", languages=["en"])
    ListingFactory(
        name_en="Bilingual",
        name_fr="Bilingue",
        audiences=["residents"],
        region="national",
        languages=["en", "fr"],
    )
    client.cookies.load({"django_language": "fr"})
    response = client.get(reverse("directory:fit"), {"stage": "residents", "region": "NB"})
    assert names(response)[0] == "Bilingue"
    assert "En français" in response.content.decode()


def test_the_fit_path_asks_again_on_bad_answers(client):
    response = client.get(reverse("directory:fit"), {"stage": "astronaut", "region": "Mars"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"stage", "region"}
    assert response.context["fits"] is None


def test_a_listing_page_has_an_open_graph_card_and_a_canonical_address(client):
    listing = ListingFactory(
        name_en="Peer Support for Physicians",
        description_en="Trained physician peers offer confidential support.",
    )
    html = client.get(listing.get_absolute_url()).content.decode()
    page = "http://testserver" + listing.get_absolute_url()
    meta = dict(re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)">', html))
    assert meta["og:title"] == "Peer Support for Physicians"
    assert meta["og:description"] == "Trained physician peers offer confidential support."
    assert meta["og:url"] == page
    assert meta["og:type"] == "website"
    assert meta["og:locale"] == "en_CA"
    assert meta["og:image"].endswith(".png")
    assert f'<link rel="canonical" href="{page}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="description" content="Trained physician peers' in html
    assert client.get(meta["og:image"].removeprefix("http://testserver")).status_code == 200


def test_the_sitemap_lists_public_listings_and_pages_on_the_site_address(
    client, settings, only_these
):
    settings.SITE_URL = "https://medmentor.example.ca"
    public = ListingFactory(name_en="Public")
    hidden = ListingFactory(name_en="Hidden", is_public=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert f"https://medmentor.example.ca{public.get_absolute_url()}" in locations
    assert f"https://medmentor.example.ca{hidden.get_absolute_url()}" not in locations
    for page in ("/directory/", "/directory/gaps/", "/directory/fit/"):
        assert f"https://medmentor.example.ca{page}" in locations
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://medmentor.example.ca/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


@pytest.mark.parametrize(
    ("language", "title", "stage", "add"),
    [
        ("en", "Where mentorship programs are missing", "Physicians in practice", "Add one"),
        ("fr", "Où manquent les programmes de mentorat", "Médecins en exercice", "En ajouter un"),
    ],
)
def test_the_gaps_page_counts_programs_by_region_and_stage(
    client, only_these, language, title, stage, add
):
    ListingFactory(audiences=["physicians", "residents"], region="NS")
    ListingFactory(audiences=["physicians"], region="NS")
    ListingFactory(audiences=["students"], region="national")
    ListingFactory(audiences=["physicians"], region="NS", status="closed")
    client.cookies.load({"django_language": language})
    response = client.get(reverse("directory:gaps"))
    html = response.content.decode()
    assert title in html
    assert stage in html
    nova_scotia = "Nouvelle-Écosse" if language == "fr" else "Nova Scotia"
    row = re.search(rf'<th scope="row">{nova_scotia}</th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(\d+)", row)
    assert cells == ["2", "1", "0"]  # in practice, residents, students
    assert add in html
    assert 'href="/directory/submit/?audience=students&amp;region=NS"' in html


def test_the_gaps_api_gives_the_same_counts(client, only_these):
    ListingFactory(audiences=["physicians", "residents"], region="NS")
    ListingFactory(audiences=["students"], region="national")
    response = client.get("/api/directory/gaps")
    assert response.status_code == 200
    data = response.json()
    assert list(data["stages"]) == ["physicians", "residents", "students"]
    nova_scotia = next(row for row in data["provinces"] if row["region"] == "NS")
    assert nova_scotia["programs"] == {"physicians": 1, "residents": 1, "students": 0}
    national = next(row for row in data["wide"] if row["region"] == "national")
    assert national["programs"]["students"] == 1
    assert data["empty_cells"] == 13 * 3 - 2
    assert json.loads(client.get("/api/openapi.json").content)["paths"]["/api/directory/gaps"]


def test_a_submission_can_start_from_an_empty_cell(client):
    response = client.get(reverse("directory:submit"), {"audience": "students", "region": "NU"})
    form = response.context["form"]
    assert form.initial == {"audiences": ["students"], "region": "NU"}

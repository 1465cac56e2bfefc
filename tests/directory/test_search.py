"""Anonymous search and filters on the public directory."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.directory.models import Listing
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("directory:index")


def names(response) -> list[str]:
    return [listing.name_en for listing in response.context["page"].object_list]


@pytest.fixture
def listings():
    Listing.objects.all().delete()  # the seeded programs are tested on their own below
    return {
        "ns_physicians": ListingFactory(
            name_en="Nova Scotia Physician Circles",
            audiences=["physicians"],
            region="NS",
            formats=["group"],
            languages=["en"],
            specialties=["family-medicine"],
        ),
        "qc_residents": ListingFactory(
            name_en="Mentorat des résidents du Québec",
            description_en="Pairs residents in Montreal with attending psychiatrists.",
            audiences=["residents"],
            region="QC",
            formats=["one-to-one"],
            languages=["fr"],
            specialties=["psychiatry"],
        ),
        "national_all": ListingFactory(
            name_en="Canada-wide Speed Mentoring",
            audiences=["students", "residents", "physicians"],
            region="national",
            formats=["speed"],
            languages=["en", "fr"],
            specialties=["all"],
        ),
        "hidden": ListingFactory(name_en="Not Yet Approved", is_public=False, region="NS"),
    }


def test_anonymous_visitor_sees_public_listings_only(client, listings):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(
        [
            "Nova Scotia Physician Circles",
            "Mentorat des résidents du Québec",
            "Canada-wide Speed Mentoring",
        ]
    )
    assert "Not Yet Approved" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"audience": "physicians"},
            ["Canada-wide Speed Mentoring", "Nova Scotia Physician Circles"],
        ),
        (
            {"audience": "residents"},
            ["Canada-wide Speed Mentoring", "Mentorat des résidents du Québec"],
        ),
        # A province includes programs open to all of Canada.
        ({"region": "NS"}, ["Canada-wide Speed Mentoring", "Nova Scotia Physician Circles"]),
        ({"region": "national"}, ["Canada-wide Speed Mentoring"]),
        (
            {"specialty": "psychiatry"},
            ["Canada-wide Speed Mentoring", "Mentorat des résidents du Québec"],
        ),
        (
            {"specialty": "family-medicine"},
            ["Canada-wide Speed Mentoring", "Nova Scotia Physician Circles"],
        ),
        ({"language": "fr"}, ["Canada-wide Speed Mentoring", "Mentorat des résidents du Québec"]),
        ({"format": "group"}, ["Nova Scotia Physician Circles"]),
        ({"q": "montreal psychiatrists"}, ["Mentorat des résidents du Québec"]),
        ({"q": "speed"}, ["Canada-wide Speed Mentoring"]),
        (
            {"audience": "physicians", "region": "QC", "format": "speed"},
            ["Canada-wide Speed Mentoring"],
        ),
        ({"q": "nothing-like-this"}, []),
    ],
)
def test_filters_narrow_the_list(client, listings, query, expected):
    response = client.get(INDEX, query)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


def test_a_tampered_filter_is_reported_and_ignored(client, listings):
    response = client.get(INDEX, {"region": "Atlantis"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(names(response)) == 3


def test_pagination_keeps_the_filters(client, listings):
    for number in range(45):
        ListingFactory(name_en=f"Ontario Program {number:02}", region="ON", audiences=["students"])
    first = client.get(INDEX, {"region": "ON"})
    assert len(names(first)) == 20
    html = first.content.decode()
    assert "Page 1 of 3" in html
    assert "?region=ON&amp;page=2" in html
    third = client.get(INDEX, {"region": "ON", "page": 3})
    assert len(names(third)) == 6  # 45 in Ontario + the national one = 46
    assert client.get(INDEX, {"region": "ON", "page": 99}).status_code == 200


def test_htmx_gets_only_the_results(client, listings):
    response = client.get(INDEX, {"format": "group"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Nova Scotia Physician Circles" in html
    assert "<footer" not in html


def test_callout_when_nothing_serves_physicians_in_practice_in_a_region(client, listings):
    ListingFactory(name_en="Ontario students", region="ON", audiences=["students"])
    listings["national_all"].delete()
    response = client.get(INDEX, {"region": "ON"})
    html = response.content.decode()
    assert "No program for physicians in practice listed here yet." in html
    assert "Know one?" in html
    assert f'href="{reverse("directory:submit")}">Tell us' in html
    # Nova Scotia has one: no call-out there.
    assert (
        "No program for physicians in practice"
        not in client.get(INDEX, {"region": "NS"}).content.decode()
    )


def test_a_national_program_shows_in_every_province_but_a_local_one_is_asked_for(client, listings):
    # National programs (the open community among them) serve every province, so they
    # are listed; the call-out still asks for a program of the province itself.
    html = client.get(INDEX, {"region": "YT"}).content.decode()
    assert "Canada-wide Speed Mentoring" in html
    assert "No program for physicians in practice" in html
    national = client.get(INDEX, {"region": "national", "audience": "physicians"})
    assert "No program for physicians in practice" not in national.content.decode()


def test_callout_in_french(client, listings):
    listings["national_all"].delete()
    client.cookies.load({"django_language": "fr"})
    html = client.get(INDEX, {"region": "PE", "audience": "physicians"}).content.decode()
    assert "Aucun programme pour les médecins en exercice n’est encore répertorié ici." in html  # noqa: RUF001
    assert "Vous en connaissez un ?" in html


def test_french_names_are_searched_and_shown(client, listings):
    client.cookies.load({"django_language": "fr"})
    listing = listings["ns_physicians"]
    listing.name_fr = "Cercles de médecins de la Nouvelle-Écosse"
    listing.save()
    response = client.get(INDEX, {"q": "cercles"})
    assert names(response) == ["Nova Scotia Physician Circles"]
    assert "Cercles de médecins de la Nouvelle-Écosse" in response.content.decode()


def test_the_csv_link_follows_the_search(client, listings):
    html = client.get(INDEX, {"region": "QC"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="{reverse("directory:export")}?region=QC"' in html


def test_a_specialty_filter_matches_its_discipline_and_subspecialties(client):
    Listing.objects.all().delete()
    ListingFactory(name_en="Internal medicine mentoring", specialties=["internal-medicine"])
    ListingFactory(name_en="Cardiology mentoring", specialties=["cardiology"])
    ListingFactory(name_en="Open to all", specialties=["all"])
    ListingFactory(name_en="Psychiatry mentoring", specialties=["psychiatry"])
    cardiology = names(client.get(INDEX, {"specialty": "cardiology"}))
    assert sorted(cardiology) == [
        "Cardiology mentoring",
        "Internal medicine mentoring",
        "Open to all",
    ]
    internal = names(client.get(INDEX, {"specialty": "internal-medicine"}))
    assert sorted(internal) == [
        "Cardiology mentoring",
        "Internal medicine mentoring",
        "Open to all",
    ]


def test_the_specialties_are_the_profiles_list_grouped_by_discipline(client):
    html = client.get(INDEX).content.decode()
    assert '<optgroup label="Internal Medicine">' in html
    assert '<option value="cardiology">Cardiology</option>' in html
    assert '<option value="family-medicine">Family Medicine</option>' in html
    client.cookies.load({"django_language": "fr"})
    html = client.get(INDEX).content.decode()
    assert '<optgroup label="Médecine interne">' in html
    assert '<option value="cardiology">Cardiologie</option>' in html
    listing = ListingFactory(specialties=["cardiology", "all"])
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "Cardiologie, Toutes les spécialités" in page


def test_a_submission_names_specialties_of_the_profiles_list_only(client, program_form):
    response = client.post(
        reverse("directory:submit"), {**program_form, "specialties": ["surgery"]}
    )
    assert response.status_code == 200
    assert "specialties" in response.context["form"].errors

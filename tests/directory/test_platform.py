"""Programs run on MedMentor list themselves, with a "Join here" button (the service the
programs app calls)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.directory.models import Listing
from medmentor.directory.services import (
    listing_publish_platform_program,
    listing_withdraw_platform_program,
)

pytestmark = pytest.mark.django_db


def publish(**changes: object) -> Listing:
    facts = {
        "key": "program:7f1c",
        "name_en": "Halifax Physician Wellness Mentoring",
        "name_fr": "Mentorat bien-être des médecins d'Halifax",
        "organisation_en": "Nova Scotia Health",
        "join_url": "https://medmentor.example.org/programs/7f1c/join/",
        "audiences": ["physicians"],
        "region": "NS",
        "formats": ["one-to-one"],
        "languages": ["en"],
    }
    return listing_publish_platform_program(**{**facts, **changes})


def test_a_program_on_medmentor_appears_with_a_join_here_button(client):
    listing = publish()
    assert (listing.source, listing.is_public, listing.needs_review) == ("medmentor", True, False)
    html = client.get(listing.get_absolute_url()).content.decode()
    assert 'href="https://medmentor.example.org/programs/7f1c/join/">Join here</a>' in html
    assert "This program runs on MedMentor." in html
    search = client.get(reverse("directory:index"), {"region": "NS", "audience": "physicians"})
    assert "Halifax Physician Wellness Mentoring" in search.content.decode()
    assert "No program for physicians in practice" not in search.content.decode()
    client.cookies.load({"django_language": "fr"})
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "Mentorat bien-être des médecins d&#x27;Halifax" in html
    assert ">Rejoindre ici</a>" in html


def test_publishing_again_updates_the_one_listing():
    first = publish()
    second = publish(name_en="Halifax Physician Mentoring", formats=["group"])
    assert first.pk == second.pk
    assert Listing.objects.filter(platform_key="program:7f1c").count() == 1
    second.refresh_from_db()
    assert (second.name_en, second.formats) == ("Halifax Physician Mentoring", ["group"])
    assert second.published_at == first.published_at  # still "new" only once, in the feed


def test_withdrawing_hides_it_and_is_idempotent(client):
    listing = publish()
    listing_withdraw_platform_program(key="program:7f1c")
    listing_withdraw_platform_program(key="program:7f1c")
    listing_withdraw_platform_program(key="never-listed")
    assert client.get(listing.get_absolute_url()).status_code == 404
    assert publish().pk == listing.pk  # reopening brings the same listing back
    assert client.get(listing.get_absolute_url()).status_code == 200


def test_withdrawing_never_touches_a_submitted_listing():
    publish()
    Listing.objects.filter(platform_key="program:7f1c").update(source="submitted")
    listing_withdraw_platform_program(key="program:7f1c")
    assert Listing.objects.get(platform_key="program:7f1c").is_public


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audiences": ["martians"]}, "audiences"),
        ({"region": "Atlantis"}, "region"),
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"name_en": "<b>Bold</b>"}, "name_en"),
    ],
)
def test_bad_facts_from_the_programs_app_are_refused(changes, field):
    with pytest.raises(ValidationError) as error:
        publish(**changes)
    assert field in error.value.message_dict
    assert not Listing.objects.filter(platform_key="program:7f1c").exists()


def test_a_program_on_medmentor_takes_no_corrections_from_visitors(client):
    listing = publish()
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "Suggest a correction" not in html
    assert client.get(reverse("directory:correct", args=[listing.uuid])).status_code == 404
    response = client.post(
        "/api/directory/submissions",
        {
            "listing": str(listing.uuid),
            "name_en": "Hijack",
            "organisation_en": "Someone",
            "contact_email": "a@example.org",
            "submitter_email": "b@example.org",
        },
        content_type="application/json",
    )
    assert response.status_code == 404

"""Programs run on MedMentor appear in the public directory, with a "Join here" button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.directory.models import Listing
from medmentor.programs.selectors import open_community
from medmentor.programs.services.listing import listing_key
from medmentor.programs.services.programs import program_update
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_open_community_is_in_the_directory_with_a_join_button(client):
    community = open_community()
    listing = Listing.objects.get(platform_key=listing_key(community))
    page = client.get(reverse("directory:detail", args=[listing.uuid])).content.decode()
    assert "MedMentor Open Community" in page
    assert "Join here" in page
    assert f"/programs/{community.uuid}/" in page


def test_a_listed_program_follows_its_changes_and_leaves_when_unlisted(client):
    program = ProgramFactory(is_listed=True)
    program_update(program=program, name_en="Ottawa Residents Mentoring")
    listing = Listing.objects.get(platform_key=listing_key(program))
    assert listing.is_public
    assert listing.name_en == "Ottawa Residents Mentoring"
    assert listing.audiences == ["students"]
    index = client.get(reverse("directory:index"), {"q": "Ottawa Residents"}).content.decode()
    assert "Ottawa Residents Mentoring" in index

    program_update(program=program, is_listed=False)
    listing.refresh_from_db()
    assert not listing.is_public
    index = client.get(reverse("directory:index"), {"q": "Ottawa Residents"}).content.decode()
    assert "Ottawa Residents Mentoring" not in index
    assert Listing.objects.filter(platform_key=listing_key(program)).count() == 1

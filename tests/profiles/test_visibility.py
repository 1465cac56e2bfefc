"""Personal fields (gender, pronouns, city, photo, self-identification) are private by
default: absent from the page, the API and the search for anyone not allowed, and never
usable as a search filter."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from medmentor.profiles import visibility
from medmentor.profiles.models import Identity, Visibility
from medmentor.profiles.services import profile_set_photo, profile_update
from medmentor.profiles.visibility import can_see_field, register_relation, visible_fields
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor

pytestmark = pytest.mark.django_db

SECRETS = {"gender": "non-binary", "pronouns": "they/them", "city": "Kapuskasing"}


def jpeg(size=(40, 40), color="red") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, color).save(data, format="JPEG")
    return SimpleUploadedFile("me.jpg", data.getvalue(), content_type="image/jpeg")


@pytest.fixture
def mentor():
    profile = make_mentor(display_name="Dr. Private Person", **SECRETS)
    profile.identities.set(Identity.objects.filter(code="metis"))
    profile_set_photo(profile=profile, upload=jpeg())
    return profile


@pytest.fixture
def viewer_client(client):
    mentee = make_mentee()
    client.force_login(mentee.user)
    client.viewer = mentee.user
    return client


def test_private_by_default(mentor):
    for field in ("gender", "pronouns", "city", "photo", "identities"):
        assert mentor.visibility_of(field) == Visibility.PRIVATE
    other = UserFactory()
    assert visible_fields(other, [mentor])[mentor.pk] == frozenset()
    assert visible_fields(mentor.user, [mentor])[mentor.pk] == {
        "gender", "pronouns", "city", "photo", "identities",
    }  # fmt: skip
    assert can_see_field(other, mentor, "specialty")


def test_private_fields_are_absent_from_the_page(viewer_client, mentor):
    page = viewer_client.get(reverse("profiles:detail", args=[mentor.uuid])).content.decode()
    assert "Dr. Private Person" in page
    for secret in (*SECRETS.values(), "Non-binary", "Métis"):
        assert secret not in page
    assert reverse("profiles:photo", args=[mentor.uuid]) not in page
    assert viewer_client.get(reverse("profiles:photo", args=[mentor.uuid])).status_code == 404


def test_private_fields_are_absent_from_the_api(viewer_client, mentor):
    person = viewer_client.get(f"/api/profiles/people/{mentor.uuid}").json()
    assert person["personal"] == {}
    body = viewer_client.get("/api/profiles/mentors").content.decode()
    assert str(mentor.uuid) in body
    for secret in SECRETS.values():
        assert secret not in body
    assert "/photo" not in body


def test_private_fields_are_absent_from_search_results(viewer_client, mentor):
    page = viewer_client.get(reverse("profiles:mentor_search")).content.decode()
    assert "Dr. Private Person" in page
    for secret in SECRETS.values():
        assert secret not in page
    assert reverse("profiles:photo", args=[mentor.uuid]) not in page


def test_private_fields_cannot_be_searched_or_filtered(viewer_client, mentor):
    by_city = viewer_client.get(reverse("profiles:mentor_search"), {"q": "Kapuskasing"})
    assert by_city.context["page"].total == 0
    by_pronouns = viewer_client.get("/api/profiles/mentors", {"q": "they them"}).json()
    assert by_pronouns["total"] == 0
    # No such filters exist: they are ignored, not applied.
    ignored = viewer_client.get("/api/profiles/mentors", {"gender": "woman", "city": "x"}).json()
    assert ignored["total"] == 1


def test_everyone_signed_in_level_shows_the_field(viewer_client, mentor):
    profile_update(
        profile=mentor,
        data={"city_visibility": Visibility.MEMBERS, "photo_visibility": Visibility.MEMBERS},
    )
    page = viewer_client.get(reverse("profiles:detail", args=[mentor.uuid])).content.decode()
    assert "Kapuskasing" in page
    assert "non-binary" not in page.lower()
    photo = viewer_client.get(reverse("profiles:photo", args=[mentor.uuid]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    api = viewer_client.get(f"/api/profiles/people/{mentor.uuid}").json()
    assert api["personal"]["city"] == "Kapuskasing"
    assert "gender" not in api["personal"]
    results = viewer_client.get("/api/profiles/mentors").json()["results"]
    assert results[0]["personal"]["city"] == "Kapuskasing"


def test_anonymous_sees_nothing(client, mentor):
    assert client.get(reverse("profiles:detail", args=[mentor.uuid])).status_code == 302
    assert client.get(reverse("profiles:photo", args=[mentor.uuid])).status_code == 302
    assert client.get(f"/api/profiles/people/{mentor.uuid}").status_code == 401


def test_matched_level_waits_for_a_registered_relationship(viewer_client, mentor, monkeypatch):
    profile_update(profile=mentor, data={"gender_visibility": Visibility.MATCHED})
    viewer = viewer_client.viewer
    assert not can_see_field(viewer, mentor, "gender")

    monkeypatch.setitem(visibility._relations, Visibility.MATCHED, [])
    register_relation(
        Visibility.MATCHED, lambda v, owners: set(owners) if v == viewer.pk else set()
    )
    assert can_see_field(viewer, mentor, "gender")
    assert not can_see_field(UserFactory(), mentor, "gender")
    page = viewer_client.get(reverse("profiles:detail", args=[mentor.uuid])).content.decode()
    assert "Non-binary" in page


def test_a_mentee_only_profile_is_not_public(viewer_client):
    other = make_mentee()
    assert viewer_client.get(reverse("profiles:detail", args=[other.uuid])).status_code == 404
    own = viewer_client.viewer.profile
    assert viewer_client.get(reverse("profiles:detail", args=[own.uuid])).status_code == 200


def test_gender_is_used_for_ranking_only_when_the_searcher_may_see_it(viewer_client, mentor):
    mentee = viewer_client.viewer.profile
    profile_update(profile=mentee, data={"gender": "non-binary", "prefers_same_gender": 5})
    result = viewer_client.get("/api/profiles/mentors").json()["results"][0]
    assert not result["eligible"]  # a hidden gender cannot satisfy a "must"
    assert "gender" in result["why"]
    profile_update(profile=mentor, data={"gender_visibility": Visibility.MEMBERS})
    result = viewer_client.get("/api/profiles/mentors").json()["results"][0]
    assert result["eligible"]

"""A new person walks the onboarding steps to a complete profile, in English or French,
with htmx or without JavaScript; bad input is refused field by field and saves nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from medmentor.profiles.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEP_DATA = {
    "about": {
        "display_name": "Dr. Amira Haddad",
        "pronouns": "she/her",
        "career_stage": "resident-pgy2",
        "specialty": "family-medicine",
        "institution": "University of Ottawa",
        "department": "Family Medicine",
        "practice_setting": "academic",
        "province": "ON",
        "city": "Ottawa",
        "languages": ["en", "fr"],
    },
    "roles": {
        "is_mentee": "on",
        "goals_sought": ["career-goals", "work-life-balance"],
        "seeking": "Choosing between rural and urban practice.",
        "mentor_capacity": "1",
        "accepting_mentees": "on",
    },
    "interests": {
        "interests": ["sexual-health", "public-health"],
        "bio": "Second-year family medicine resident.",
    },
    "availability": {
        "cadence": "monthly",
        "modality": "virtual",
        "time_zone": "America/Toronto",
        "prefers_same_language": "1",
        "prefers_other_institution": "5",
        "prefers_same_specialty": "0",
    },
    "privacy": {
        "gender": "woman",
        "prefers_same_gender": "3",
        "gender_visibility": "private",
        "pronouns_visibility": "members",
        "city_visibility": "private",
        "photo_visibility": "private",
        "identities_visibility": "private",
    },
}


def test_onboarding_walks_every_step_to_a_complete_profile(signed_in):
    start = signed_in.get(reverse("profiles:onboarding"))
    assert start.status_code == 302
    assert start["Location"] == reverse("profiles:edit", args=["about"])

    page = signed_in.get(start["Location"])
    assert page.status_code == 200
    assert "Step 1 of 6" in page.content.decode()

    expected_next = [
        reverse("profiles:edit", args=["roles"]),
        reverse("profiles:edit", args=["interests"]),
        reverse("profiles:edit", args=["availability"]),
        reverse("profiles:edit", args=["privacy"]),
        reverse("profiles:reporting_lines"),
    ]
    for (step, data), next_url in zip(STEP_DATA.items(), expected_next, strict=True):
        response = signed_in.post(reverse("profiles:edit", args=[step]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == next_url

    profile = Profile.objects.get(user__email=signed_in.user_email)
    assert profile.is_complete
    assert profile.career_stage.code == "resident-pgy2"
    assert sorted(profile.languages.values_list("code", flat=True)) == ["en", "fr"]
    assert profile.prefers_other_institution == 5
    me = signed_in.get(reverse("profiles:me")).content.decode()
    assert "100% complete" in me


def test_the_meter_lists_what_is_missing(signed_in):
    page = signed_in.get(reverse("profiles:me")).content.decode()
    assert "Your career stage" in page
    assert "complete" in page
    signed_in.post(reverse("profiles:edit", args=["about"]), STEP_DATA["about"])
    page = signed_in.get(reverse("profiles:me")).content.decode()
    assert "Your career stage" not in page
    assert "Whether you seek a mentor, offer to mentor, or both" in page


def test_htmx_step_redirects_the_page_and_errors_come_back_as_a_fragment(signed_in):
    url = reverse("profiles:edit", args=["about"])
    ok = signed_in.post(url, STEP_DATA["about"], HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    assert ok["HX-Redirect"] == reverse("profiles:edit", args=["roles"])

    bad = signed_in.post(
        reverse("profiles:edit", args=["roles"]),
        {**STEP_DATA["roles"], "mentor_capacity": "11", "is_mentor": "on"},
        HTTP_HX_REQUEST="true",
    )
    body = bad.content.decode()
    assert bad.status_code == 422
    assert "<html" not in body  # only the step's fragment
    assert 'id="step"' in body
    assert "less than or equal to 10" in body


@pytest.mark.parametrize(
    ("step", "change", "field"),
    [
        ("roles", {"mentor_capacity": "0", "is_mentor": "on"}, "mentor_capacity"),
        ("roles", {"mentor_capacity": "11", "is_mentor": "on"}, "mentor_capacity"),
        ("about", {"specialty": "astrology"}, "specialty"),
        ("about", {"languages": ["en", "klingon"]}, "languages"),
        ("availability", {"cadence": "hourly"}, "cadence"),
        ("availability", {"time_zone": "Mars/Olympus"}, "time_zone"),
        ("roles", {"is_mentee": "", "is_mentor": ""}, None),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(signed_in, step, change, field):
    signed_in.get(reverse("profiles:me"))
    before = Profile.objects.get(user__email=signed_in.user_email)
    data = {**STEP_DATA[step], **change}
    data = {k: v for k, v in data.items() if v != ""}
    response = signed_in.post(reverse("profiles:edit", args=[step]), data)
    assert response.status_code == 422
    form = response.context["form"]
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    after = Profile.objects.get(pk=before.pk)
    assert after.updated_at == before.updated_at
    assert after.specialty_id is None
    assert after.mentor_capacity == 1
    assert list(after.languages.values_list("code", flat=True)) == ["en"]


def test_onboarding_in_french(signed_in):
    signed_in.cookies.load({"django_language": "fr"})
    page = signed_in.get(reverse("profiles:edit", args=["about"])).content.decode()
    assert "Étape 1 sur 6" in page
    assert "Médecine familiale" in page
    assert "Résident(e) R2 (PGY-2)" in page


def test_a_mentor_can_pause_without_leaving(signed_in):
    signed_in.post(reverse("profiles:become_mentor"))
    profile = Profile.objects.get(user__email=signed_in.user_email)
    assert profile.is_mentor
    data = {**STEP_DATA["roles"], "is_mentor": "on", "goals_offered": ["teaching"]}
    data.pop("accepting_mentees")
    signed_in.post(reverse("profiles:edit", args=["roles"]), data)
    profile.refresh_from_db()
    assert profile.is_mentor
    assert not profile.accepting_mentees
    assert profile.places_left == 0


def test_pages_need_a_login(client):
    for name in ("profiles:me", "profiles:onboarding", "profiles:mentor_search"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_privacy_step_stores_a_photo_only_its_owner_sees(signed_in):
    data = io.BytesIO()
    Image.new("RGB", (900, 700), "green").save(data, format="PNG")
    upload = SimpleUploadedFile("me.png", data.getvalue(), content_type="image/png")
    response = signed_in.post(
        reverse("profiles:edit", args=["privacy"]), {**STEP_DATA["privacy"], "photo": upload}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__email=signed_in.user_email)
    with Image.open(profile.photo.open("rb")) as stored:
        assert max(stored.size) == 600  # resized, re-encoded
    photo_url = reverse("profiles:photo", args=[profile.uuid])
    assert signed_in.get(photo_url).status_code == 200
    other = Client()
    other.force_login(UserFactory())
    assert other.get(photo_url).status_code == 404


def test_become_a_mentor_page(signed_in):
    page = signed_in.get(reverse("profiles:become_mentor")).content.decode()
    assert "Offer to mentor" in page
    signed_in.post(reverse("profiles:become_mentor"))
    assert (
        "You already offer to mentor."
        in signed_in.get(reverse("profiles:become_mentor")).content.decode()
    )

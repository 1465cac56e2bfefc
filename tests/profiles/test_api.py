"""The profiles API: my profile read/update, taxonomy, photo, export; every bad input is
a 422 naming the field and saves nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from medmentor.profiles.forms import PHOTO_MAX_BYTES
from medmentor.profiles.models import Profile
from tests.profiles.factories import make_mentor

pytestmark = pytest.mark.django_db


def patch(client, data):
    return client.patch("/api/profiles/me", data, content_type="application/json")


def snapshot(email: str) -> tuple:
    profile = Profile.objects.get(user__email=email)
    return (
        profile.updated_at,
        profile.mentor_capacity,
        profile.specialty_id,
        profile.is_mentor,
        sorted(profile.languages.values_list("code", flat=True)),
        profile.photo.name,
    )


def image_bytes(fmt="PNG", size=(30, 30)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "blue").save(data, format=fmt)
    return data.getvalue()


def test_anonymous_gets_401(client):
    assert client.get("/api/profiles/me").status_code == 401
    assert client.get("/api/profiles/mentors").status_code == 401


def test_read_and_update_my_profile(signed_in):
    me = signed_in.get("/api/profiles/me").json()
    assert me["completeness"]["percent"] < 100
    assert {m["field"] for m in me["completeness"]["missing"]} >= {"career_stage", "specialty"}

    response = patch(
        signed_in,
        {
            "career_stage": "early-career",
            "specialty": "pediatrics",
            "languages": ["en", "fr"],
            "is_mentor": True,
            "mentor_capacity": 4,
            "goals_offered": ["teaching", "leadership"],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()["profile"]
    assert body["specialty"] == "pediatrics"
    assert body["mentor_capacity"] == 4
    assert body["goals_offered"] == ["leadership", "teaching"]
    # Fields not sent are kept.
    assert body["display_name"] == "Dr. Amira Haddad"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"mentor_capacity": 0, "is_mentor": True}, "mentor_capacity"),
        ({"mentor_capacity": 11, "is_mentor": True}, "mentor_capacity"),
        ({"mentor_capacity": "many"}, "mentor_capacity"),
        ({"specialty": "astrology", "is_mentor": True}, "specialty"),
        ({"languages": ["en", "xx"], "is_mentor": True}, "languages"),
        ({"goals_offered": ["world-peace"], "is_mentor": True}, "goals_offered"),
        ({"province": "ZZ", "is_mentor": True}, "province"),
        ({"gender_visibility": "everyone-on-earth", "is_mentor": True}, "gender_visibility"),
        ({"prefers_same_gender": 9, "is_mentor": True}, "prefers_same_gender"),
        ({"is_mentee": False, "is_mentor": False}, "__all__"),
    ],
)
def test_bad_updates_name_the_field_and_save_nothing(signed_in, payload, field):
    signed_in.get("/api/profiles/me")
    before = snapshot(signed_in.user_email)
    response = patch(signed_in, payload)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert snapshot(signed_in.user_email) == before


def test_photo_upload_and_bad_photos(signed_in):
    signed_in.get("/api/profiles/me")
    good = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")
    response = signed_in.post("/api/profiles/me/photo", {"photo": good})
    assert response.status_code == 200, response.content
    assert response.json()["profile"]["has_photo"]
    stored = Profile.objects.get(user__email=signed_in.user_email).photo
    with Image.open(stored.open("rb")) as image:
        assert image.format == "JPEG"  # re-encoded, metadata dropped

    before = snapshot(signed_in.user_email)
    bad_files = [
        SimpleUploadedFile("cv.pdf", b"%PDF-1.4 not an image", content_type="application/pdf"),
        SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (PHOTO_MAX_BYTES + 1)),
        SimpleUploadedFile("anim.gif", image_bytes("GIF"), content_type="image/gif"),
    ]
    for bad in bad_files:
        response = signed_in.post("/api/profiles/me/photo", {"photo": bad})
        assert response.status_code == 422, bad.name
        assert response.json()["errors"][0]["field"] == "photo"
    assert snapshot(signed_in.user_email) == before


def test_photo_in_the_privacy_step_is_validated_too(signed_in):
    signed_in.get("/api/profiles/me")
    before = snapshot(signed_in.user_email)
    big = SimpleUploadedFile("big.jpg", b"x" * (PHOTO_MAX_BYTES + 10), content_type="image/jpeg")
    response = signed_in.post(
        "/profile/edit/privacy/",
        {"photo": big, "gender_visibility": "private", "pronouns_visibility": "private",
         "city_visibility": "private", "photo_visibility": "private",
         "identities_visibility": "private"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "photo" in response.context["photo_form"].errors
    assert snapshot(signed_in.user_email) == before


def test_remove_photo(signed_in):
    signed_in.get("/api/profiles/me")
    signed_in.post(
        "/api/profiles/me/photo",
        {"photo": SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")},
    )
    response = signed_in.delete("/api/profiles/me/photo")
    assert response.json()["profile"]["has_photo"] is False


def test_taxonomy_lists_with_both_labels(signed_in):
    everything = signed_in.get("/api/profiles/taxonomy").json()
    assert set(everything) >= {"career-stages", "specialties", "goals", "provinces", "languages"}
    specialties = {t["code"]: t for t in everything["specialties"]}
    assert 65 <= len(specialties) <= 80
    assert specialties["cardiology"]["parent"] == "internal-medicine"
    assert specialties["family-medicine"]["label_fr"] == "Médecine familiale"
    stages = signed_in.get("/api/profiles/taxonomy/career-stages").json()
    assert [s["ordinal"] for s in stages] == sorted(s["ordinal"] for s in stages)
    signed_in.cookies.load({"django_language": "fr"})
    provinces = signed_in.get("/api/profiles/taxonomy/provinces").json()
    assert {p["code"]: p["label"] for p in provinces}["BC"] == "Colombie-Britannique"
    assert signed_in.get("/api/profiles/taxonomy/horoscopes").status_code == 404


def test_reporting_lines_through_the_api(signed_in):
    mentor = make_mentor()
    created = signed_in.post(
        "/api/profiles/me/reporting-lines",
        {"person": str(mentor.uuid), "kind": "supervisor"},
        content_type="application/json",
    )
    assert created.status_code == 201
    listed = signed_in.get("/api/profiles/me/reporting-lines").json()
    assert listed[0]["other"] == mentor.name  # the person picked, never their e-mail
    assert signed_in.get("/api/profiles/mentors").json()["total"] == 0
    bad_kind = signed_in.post(
        "/api/profiles/me/reporting-lines",
        {"email": "x@example.org", "kind": "friend"},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"][0]["field"] == "kind"
    deleted = signed_in.delete(f"/api/profiles/me/reporting-lines/{listed[0]['uuid']}")
    assert deleted.status_code == 204
    assert signed_in.get("/api/profiles/mentors").json()["total"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "x@example.org", "note": "n" * 201}, "note"),
        ({"email": "x" * 250 + "@example.org"}, "email"),
        ({"email": "x@example.org", "note": "a\x00b"}, "note"),
    ],
)
def test_reporting_line_the_database_cannot_hold_is_a_422(signed_in, payload, field):
    # Found by fuzzing on PostgreSQL: an over-long note or address was a 500 there.
    response = signed_in.post(
        "/api/profiles/me/reporting-lines",
        {"kind": "supervisor", **payload},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert signed_in.get("/api/profiles/me/reporting-lines").json() == []


def test_a_person_is_shown_without_their_e_mail_as_the_schema_says(signed_in):
    mentor = make_mentor()
    shown = signed_in.get(f"/api/profiles/people/{mentor.uuid}").json()
    assert "email" not in shown
    schema = signed_in.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/profiles/people/{profile_uuid}"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    person = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "email" not in person["properties"]
    assert set(person["required"]) <= set(shown)


def test_block_through_the_api(signed_in):
    mentor = make_mentor()
    assert signed_in.post(f"/api/profiles/people/{mentor.uuid}/block").status_code == 204
    assert signed_in.get("/api/profiles/mentors").json()["total"] == 0
    assert signed_in.delete(f"/api/profiles/people/{mentor.uuid}/block").status_code == 204
    assert signed_in.get("/api/profiles/mentors").json()["total"] == 1


def test_export_my_profile(signed_in):
    signed_in.get("/api/profiles/me")  # the person has a profile
    mentor = make_mentor()
    signed_in.post(
        "/api/profiles/me/reporting-lines",
        {"person": str(mentor.uuid), "kind": "evaluator"},
        content_type="application/json",
    )
    data = signed_in.get("/api/profiles/me/export").json()["sections"]["profile"]
    assert data["email"] == signed_in.user_email
    assert data["reporting_lines"][0]["other"] == mentor.name
    assert data["visibility"]["gender"] == "private"

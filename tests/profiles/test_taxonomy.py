"""The taxonomy is data: loaded by a migration, English and French labels, stable codes,
editable in the admin (which refreshes every cached copy)."""

from __future__ import annotations

import pytest
from django.utils import translation

from medmentor.profiles.models import (
    TAXONOMIES,
    CareerStage,
    Goal,
    InterestArea,
    Province,
    Specialty,
)
from medmentor.profiles.taxonomy import taxonomy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_vocabulary_is_loaded_with_both_labels():
    for name, model in TAXONOMIES.items():
        terms = list(model.objects.all())
        assert terms, name
        for term in terms:
            assert term.label_en.strip(), term.code
            assert term.label_fr.strip(), term.code


def test_specialties_follow_the_royal_college_and_cfpc():
    assert 65 <= Specialty.objects.count() <= 80
    cardiology = Specialty.objects.get(code="cardiology")
    assert cardiology.kind == "subspecialty"
    assert cardiology.parent.code == "internal-medicine"
    assert Specialty.objects.get(code="fm-care-of-the-elderly").parent.code == "family-medicine"
    assert not Specialty.objects.filter(kind="subspecialty", parent=None).exists()
    assert Specialty.objects.filter(kind="specialty", parent__isnull=False).count() == 0


def test_career_stages_are_ordered_for_the_seniority_rule():
    codes = list(CareerStage.objects.order_by("ordinal").values_list("code", flat=True))
    assert codes[0] == "medical-student"
    assert codes[1:8] == [f"resident-pgy{k}" for k in range(1, 8)]
    assert codes[-4:] == ["early-career", "mid-career", "late-career", "retired"]


def test_provinces_and_territories():
    assert Province.objects.count() == 13
    assert Province.objects.get(code="NL").time_zone == "America/St_Johns"


def test_french_labels_follow_the_active_language():
    family = Specialty.objects.get(code="family-medicine")
    wellness = Goal.objects.get(code="work-life-balance")
    with translation.override("fr"):
        assert family.label == "Médecine familiale"
        assert wellness.label == "Conciliation travail-vie personnelle"
        assert str(Province.objects.get(code="QC")) == "Québec"
    with translation.override("en"):
        assert family.label == "Family Medicine"
        assert str(InterestArea.objects.get(code="indigenous-health")) == "Indigenous health"


def test_codes_mean_one_thing_across_vocabularies():
    """The engine's labels map codes to words: a code must not name two different things."""
    seen: dict[str, str] = {}
    for vocabulary in taxonomy().values():
        for term in vocabulary.by_id.values():
            if term.code in seen:
                assert seen[term.code] == term.label_en, term.code
            seen[term.code] = term.label_en


def test_admin_edits_a_label_and_every_page_sees_it(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    goal = Goal.objects.get(code="teaching")
    assert taxonomy()["goals"].by_code["teaching"].label_en == "Teaching"
    assert ">Teaching</option>" in client.get("/mentors/").content.decode()
    response = client.post(
        f"/admin/profiles/goal/{goal.pk}/change/",
        {"label_en": "Teaching and supervision", "label_fr": "Enseignement", "position": 7,
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert taxonomy()["goals"].by_code["teaching"].label_en == "Teaching and supervision"
    # The search page's cached filter form follows the change at once.
    assert ">Teaching and supervision</option>" in client.get("/mentors/").content.decode()
    goal.refresh_from_db()
    assert goal.code == "teaching"  # the code is read-only once created


def test_retired_terms_are_no_longer_offered(client):
    Goal.objects.filter(code="teaching").update(active=False)
    user = UserFactory()
    client.force_login(user)
    page = client.get("/profile/edit/roles/").content.decode()
    assert 'value="teaching"' not in page
    assert 'value="research"' in page

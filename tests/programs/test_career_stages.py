"""Programs choose career-stage groups; a person's stage comes from their profile."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from medmentor.programs.codes import CAREER_STAGES, career_stage_group, career_stage_label
from medmentor.programs.models import Membership, Role, Status
from tests.factories import logged_in_client
from tests.profiles.factories import make_mentee
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("medical-student", "student"),
        ("resident-pgy1", "resident"),
        ("resident-pgy7", "resident"),
        ("fellow", "fellow"),
        ("early-career", "early_career"),
        ("late-career", "late_career"),
        ("retired", "retired"),
        ("resident", "resident"),
        ("astronaut", ""),
    ],
)
def test_every_taxonomy_stage_falls_in_one_group(code, group):
    assert career_stage_group(code) == group


def test_a_taxonomy_stage_is_labelled_with_the_taxonomy_term():
    assert career_stage_label("resident-pgy2") == "Resident, PGY-2"
    assert career_stage_label("resident") == "Resident"


def test_the_join_form_starts_from_the_profiles_stage_and_keeps_it():
    program = ProgramFactory(mentee_stages=["resident"])
    profile = make_mentee(stage="resident-pgy2")
    client = logged_in_client(profile.user)
    url = reverse("programs:join", args=[program.uuid, Role.MENTEE])

    form_page = client.get(url).content.decode()
    assert '<option value="resident" selected>' in form_page

    response = client.post(url, {"career_stage": "resident"})
    assert response.status_code == 302
    membership = Membership.objects.get(program=program, user=profile.user)
    assert membership.career_stage == "resident"


def test_a_profile_outside_the_programs_groups_is_refused_with_the_groups_named():
    program = ProgramFactory(mentee_stages=["resident"])
    profile = make_mentee(stage="medical-student")
    response = logged_in_client(profile.user).post(
        reverse("programs:join", args=[program.uuid, Role.MENTEE]), {"career_stage": "student"}
    )
    assert response.status_code == 422
    assert "This program takes mentees at these career stages only: Resident" in (
        response.content.decode()
    )
    assert not Membership.objects.filter(program=program).exists()


def test_every_career_stage_group_has_its_french_name():
    for code, label in CAREER_STAGES:
        with translation.override("en"):
            english = str(label)
        with translation.override("fr"):
            assert str(label) != english, code  # "Fellow" stayed English


def test_a_membership_status_in_french_names_the_enrolment_not_a_masculine_person():
    with translation.override("fr"):
        labels = [str(s.label) for s in (Status.ACTIVE, Status.WITHDRAWN, Status.DECLINED)]
    assert labels == ["Inscription active", "Inscription retirée", "Inscription refusée"]
    with translation.override("en"):
        assert str(Status.WITHDRAWN.label) == "Withdrawn"

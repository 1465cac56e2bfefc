"""A name is plain text wherever it comes in: the profile's page and API, a program's
settings, a CSV import (``tests/imports/test_imports.py``), the directory."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from medmentor.profiles.models import Profile
from medmentor.programs.models import Program
from tests.factories import UserFactory, logged_in_client
from tests.profiles.factories import make_mentee
from tests.programs.factories import MembershipFactory, ProgramFactory

MARKUP = "<img src=x onerror=alert(1)>Dr. X"


@pytest.fixture
def member(db):
    user = UserFactory(name="Dr. Plain")
    make_mentee(user=user, display_name="Dr. Plain")
    return user


def test_the_profile_api_refuses_markup_in_a_name(member):
    client = logged_in_client(member)
    for field in ("display_name", "institution", "city", "pronouns"):
        response = client.patch(
            "/api/profiles/me", json.dumps({field: MARKUP}), content_type="application/json"
        )
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field
    profile = Profile.objects.get(user=member)
    assert MARKUP not in (profile.display_name, profile.institution, profile.city)


def test_the_model_refuses_markup_however_it_is_saved(member):
    profile = Profile.objects.get(user=member)
    profile.display_name = MARKUP
    with pytest.raises(Exception, match="without < or >"):
        profile.full_clean()
    member.name = MARKUP
    with pytest.raises(Exception, match="without < or >"):
        member.full_clean()
    program = Program(name_en=MARKUP, audience="students", region="ON")
    with pytest.raises(Exception, match="without < or >"):
        program.full_clean()


def test_a_program_page_refuses_markup_in_its_name(db):
    program = ProgramFactory()
    coordinator = MembershipFactory(program=program, role="coordinator").user
    page = logged_in_client(coordinator).get(reverse("programs:settings", args=[program.uuid]))
    form = page.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    data.update(name_en=MARKUP)
    response = logged_in_client(coordinator).post(
        reverse("programs:settings", args=[program.uuid]), data
    )
    assert response.status_code == 422
    assert response.context["form"].errors["name_en"]
    program.refresh_from_db()
    assert program.name_en != MARKUP

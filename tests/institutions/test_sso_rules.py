"""What an institution's sign-in decides: who may join its SSO-only programs, and who may
not use a password at all."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.programs.models import Membership
from tests.factories import UserFactory
from tests.institutions.oidc import oidc_institution
from tests.institutions.oidc_flow import sign_in
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/oidc/uottawa/login/callback/"


@pytest.fixture
def uottawa(oidc_provider_for):
    return oidc_institution(oidc_provider_for([CALLBACK]).issuer)


def join(client: Client, program) -> object:
    return client.post(reverse("programs:join", args=[program.uuid, "mentee"]))


def test_an_sso_only_program_takes_people_who_signed_in_through_its_institution(uottawa):
    program = ProgramFactory(sso_institution=uottawa, enrolment_mode="open")
    client = Client()
    sign_in(client, "amira.haddad@uottawa.ca")

    answer = join(client, program)

    assert answer.status_code == 302
    assert Membership.objects.filter(program=program, user__email="amira.haddad@uottawa.ca")


def test_people_of_another_institution_or_with_a_password_cannot_join(uottawa):
    program = ProgramFactory(sso_institution=uottawa, enrolment_mode="open")
    for email in ("ben.roy@mcgill.ca", "chloe.lee@uottawa.ca"):  # a password account each
        client = Client()
        client.force_login(UserFactory(email=email))
        answer = join(client, program)
        assert answer.status_code == 422
        assert "log in with your University of Ottawa account to join" in answer.content.decode()
    assert not Membership.objects.filter(program=program).exists()


def test_a_deactivated_member_no_longer_counts_as_the_institutions(uottawa):
    program = ProgramFactory(sso_institution=uottawa, enrolment_mode="open")
    client = Client()
    sign_in(client, "amira.haddad@uottawa.ca")
    uottawa.members.update(deactivated_at="2026-12-01T00:00:00Z")

    assert join(client, program).status_code == 422


def test_an_institution_that_enforces_sso_refuses_passwords_for_its_domains(uottawa):
    uottawa.enforce_sso = True
    uottawa.save()
    person = User.objects.create_user("chloe.lee@med.uottawa.ca", "a-long-password-1")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client = Client()

    logged = client.post(
        reverse("account_login"), {"login": person.email, "password": "a-long-password-1"}
    )
    assert logged.status_code == 200
    assert "People of University of Ottawa log in with their University of Ottawa account" in (
        logged.content.decode()
    )
    assert "_auth_user_id" not in client.session

    signed_up = client.post(
        reverse("account_signup"),
        {
            "name": "Dan Wu",
            "email": "dan.wu@uottawa.ca",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert signed_up.status_code == 200
    assert not User.objects.filter(email="dan.wu@uottawa.ca").exists()

    # Other domains keep their passwords.
    other = User.objects.create_user("eve@example.org", "a-long-password-1")
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    assert (
        client.post(
            reverse("account_login"), {"login": other.email, "password": "a-long-password-1"}
        ).status_code
        == 302
    )


def test_the_program_page_shows_the_way_in_instead_of_a_join_button(uottawa, client):
    program = ProgramFactory(sso_institution=uottawa, enrolment_mode="open")
    client.force_login(UserFactory(email="ben.roy@mcgill.ca"))
    page = client.get(reverse("programs:detail", args=[program.uuid])).content.decode()
    assert "This program is for people of University of Ottawa" in page
    assert reverse("programs:join", args=[program.uuid, "mentee"]) not in page
    assert f"/accounts/institution/?next=/programs/{program.uuid}/" in page


def test_a_coordinator_chooses_among_institutions_that_sign_people_in(uottawa, client):
    from medmentor.institutions.models import Institution
    from medmentor.programs.forms import ProgramForm

    Institution.objects.create(name="SCIM only", slug="scim-only")
    choices = [label for _value, label in ProgramForm().fields["sso_institution"].choices]
    assert choices == ["Anyone (no institutional sign-in needed)", "University of Ottawa"]

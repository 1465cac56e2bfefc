"""Signing in through an institution's OpenID Connect provider (a real one, on loopback)."""

from __future__ import annotations

import logging

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client

from medmentor.accounts.models import User
from medmentor.institutions.models import Institution, InstitutionDomain, InstitutionMember
from tests.institutions.oidc import CLIENT_ID, CLIENT_SECRET, oidc_institution
from tests.institutions.oidc_flow import sign_in, sign_in_at

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/oidc/{slug}/login/callback/"


@pytest.fixture
def uottawa(oidc_provider_for):
    provider = oidc_provider_for([CALLBACK.format(slug="uottawa")])
    return oidc_institution(provider.issuer)


def test_a_new_person_signs_in_and_lands_on_onboarding_with_the_verified_address(uottawa):
    client = Client()
    answer = sign_in(client, "amira.haddad@uottawa.ca")

    assert answer.status_code == 302
    assert answer["Location"] == "/profile/start/"  # onboarding
    user = User.objects.get(email="amira.haddad@uottawa.ca")
    assert user.name == "Amira Haddad"
    assert not user.has_usable_password()  # they log in through the institution
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
    assert SocialAccount.objects.filter(user=user, provider="uottawa").exists()
    assert InstitutionMember.objects.filter(institution=uottawa, user=user).exists()
    assert client.get("/profile/start/")["Location"] == "/profile/edit/about/"  # signed in


def test_signing_in_again_finds_the_same_account(uottawa):
    sign_in(Client(), "amira.haddad@uottawa.ca")
    again = sign_in(Client(), "amira.haddad@uottawa.ca")
    assert again.status_code == 302
    assert User.objects.filter(email="amira.haddad@uottawa.ca").count() == 1


def test_an_existing_account_is_not_taken_over_by_the_institutions_word(uottawa):
    owner = User.objects.create_user("ben.roy@uottawa.ca", "a-long-password-1")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)

    client = Client()
    answer = sign_in(client, "ben.roy@uottawa.ca")

    # Not signed in as the owner, not linked: allauth answers as for any sign-up (it does
    # not reveal that the account exists) and e-mails the owner; the owner links the
    # institution's sign-in after logging in to their account.
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert User.objects.filter(email="ben.roy@uottawa.ca").count() == 1


def test_an_address_at_another_institutions_domain_is_not_vouched_for(uottawa):
    mcgill = Institution.objects.create(name="McGill University", slug="mcgill")
    InstitutionDomain.objects.create(institution=mcgill, domain="mcgill.ca")

    answer = sign_in(Client(), "anyone@uottawa.ca", login="someone@mcgill.ca")

    # uOttawa's provider says "verified"; MedMentor does not believe it for McGill's domain.
    user = User.objects.get(email="someone@mcgill.ca")
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    assert answer["Location"] == "/accounts/confirm-email/"


def test_an_app_that_belongs_to_no_institution_signs_nobody_in(oidc_provider_for, caplog):
    provider = oidc_provider_for([CALLBACK.format(slug="stray")])
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="stray",
        name="Stray",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": provider.issuer},
    )

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = sign_in_at(Client(), "/accounts/oidc/stray/login/", "x@stray.example")

    assert answer.status_code == 403
    assert "This sign-in is not set up" in answer.content.decode()
    assert not User.objects.filter(email="x@stray.example").exists()
    assert "app 'stray' belongs to no institution" in caplog.text


def test_the_address_chooses_the_institution(uottawa):
    client = Client()
    page = client.post("/accounts/institution/", {"email": "amira@med.uottawa.ca"})
    assert "Log in with University of Ottawa" in page.content.decode()
    unknown = client.post("/accounts/institution/", {"email": "amira@example.org"})
    assert unknown.status_code == 200
    assert "No institution signs in people with this address" in unknown.content.decode()


def test_a_refused_sign_in_is_logged(uottawa, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = client.get("/accounts/oidc/uottawa/login/callback/?code=forged&state=forged")
    assert answer.status_code == 401
    assert "forged" not in caplog.text
    assert "SSO sign-in refused: app 'uottawa'" in caplog.text
    assert User.objects.count() == 0

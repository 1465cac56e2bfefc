"""SSO_REQUIRED_FOR_STAFF: the admin opens to staff who signed in through an institution."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from medmentor.accounts.models import User
from tests.institutions.oidc import oidc_institution
from tests.institutions.oidc_flow import sign_in

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/oidc/uottawa/login/callback/"


@pytest.fixture
def staff():
    person = User.objects.create_user(
        "it.lead@uottawa.ca", "a-long-password-1", is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def test_a_password_session_does_not_open_the_admin_when_staff_must_use_sso(staff, settings):
    settings.SSO_REQUIRED_FOR_STAFF = True
    client = Client()
    client.force_login(staff)

    answer = client.get("/admin/")

    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/institution/?next=%2Fadmin%2F"


def test_without_the_setting_a_password_session_opens_the_admin(staff, settings):
    settings.SSO_REQUIRED_FOR_STAFF = False
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_staff_who_signed_in_through_their_institution_open_the_admin(
    staff, settings, oidc_provider_for
):
    settings.SSO_REQUIRED_FOR_STAFF = True
    oidc_institution(oidc_provider_for([CALLBACK]).issuer)
    # Linked earlier, after signing in with the password (allauth's "connect").
    SocialAccount.objects.create(user=staff, provider="uottawa", uid=staff.email)
    client = Client()

    signed = sign_in(client, staff.email)

    assert signed.status_code == 302
    assert client.get("/admin/").status_code == 200

"""Signing in through an institution's SAML 2.0 identity provider: a real one (pysaml2,
signing with xmlsec1) answering the site's real AuthnRequest, and the site's real checks
(allauth's ACS view, python3-saml and xmlsec). Every refusal: nobody signed in, nothing
created, an error page, and a line on "medmentor.sso" naming the app and the reason (never
what the assertion said)."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client

from medmentor.accounts.models import User
from medmentor.env import sso_providers_from_env
from medmentor.institutions.models import InstitutionMember
from tests.institutions.saml_idp import (
    HOST,
    IdentityProvider,
    SigningKey,
    acs_url,
    browser,
    make_signing_key,
    metadata_url,
    post_to_acs,
    requires_xmlsec1,
    saml_app,
    saml_institution,
    sp_metadata,
    start_sign_in,
)

pytestmark = [pytest.mark.django_db, requires_xmlsec1]

SLUG = "umontreal"
PROVIDER_ID = "saml-umontreal"
EMAIL = "amira.haddad@umontreal.ca"


@pytest.fixture(autouse=True)
def _site_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


@pytest.fixture(scope="module")
def idp_key() -> SigningKey:
    return make_signing_key()


@pytest.fixture
def umontreal(idp_key):
    return saml_institution(idp_key, slug=SLUG, provider_id=PROVIDER_ID)


@pytest.fixture
def idp(idp_key, umontreal, tmp_path) -> IdentityProvider:
    return IdentityProvider(idp_key, tmp_path / "idp", [sp_metadata(browser(), SLUG)])


def answer_for(client: Client, idp: IdentityProvider, *, slug: str = SLUG, **respond):
    """Start the sign-in at ``slug`` and have the IdP answer the request it was sent; the
    Response (XML) and the RelayState to post back."""
    location, relay_state = start_sign_in(client, slug)
    request = idp.read_request(location)
    arguments = {
        "in_response_to": request.id,
        "destination": acs_url(slug),
        "audience": metadata_url(slug),
        "email": EMAIL,
        **respond,
    }
    return idp.respond(**arguments), relay_state


def sign_in(client: Client, idp: IdentityProvider, **respond):
    xml, relay_state = answer_for(client, idp, **respond)
    return post_to_acs(client, SLUG, xml, relay_state)


def sso_log(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == "medmentor.sso")


def assert_refused(client: Client, answer, caplog, reason: str, *, users: int = 0) -> None:
    assert answer.status_code in (401, 403), answer.status_code
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users
    assert SocialAccount.objects.count() == users
    assert InstitutionMember.objects.count() == users
    logged = sso_log(caplog)
    assert f"SSO sign-in refused: app {PROVIDER_ID!r}" in logged
    assert reason in logged
    assert "amira" not in logged.lower()  # nothing of what the assertion said


# Signing in.


def test_a_new_person_signs_in_and_lands_on_onboarding_with_the_verified_address(umontreal, idp):
    client = browser()
    answer = sign_in(client, idp)

    assert answer.status_code == 302, answer.content
    assert answer["Location"] == "/profile/start/"  # onboarding
    user = User.objects.get(email=EMAIL)
    assert user.name == "Amira Haddad"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email=EMAIL, verified=True).exists()
    account = SocialAccount.objects.get(user=user)
    assert account.provider == PROVIDER_ID
    assert account.uid == EMAIL  # the NameID
    assert InstitutionMember.objects.filter(institution=umontreal, user=user).exists()
    assert client.get("/profile/start/")["Location"] == "/profile/edit/about/"  # signed in


def test_signing_in_again_finds_the_same_account(idp):
    sign_in(browser(), idp)
    client = browser()
    again = sign_in(client, idp)
    assert again.status_code == 302
    assert again["Location"] != "/profile/start/"  # not a new member any more
    assert User.objects.filter(email=EMAIL).count() == 1
    assert client.session["_auth_user_id"] == str(User.objects.get(email=EMAIL).pk)


def test_the_next_address_survives_the_round_trip(idp):
    client = browser()
    sign_in(client, idp)
    client.logout()
    location, relay_state = start_sign_in(client, SLUG, next_url="/programs/")
    request = idp.read_request(location)
    xml = idp.respond(
        in_response_to=request.id,
        destination=acs_url(SLUG),
        audience=metadata_url(SLUG),
        email=EMAIL,
    )
    assert post_to_acs(client, SLUG, xml, relay_state)["Location"] == "/programs/"


def test_an_address_at_another_institutions_domain_is_not_vouched_for(idp, idp_key):
    saml_institution(idp_key, name="McGill", slug="mcgill", domains=("mcgill.ca",), with_app=False)
    answer = sign_in(browser(), idp, email="someone@mcgill.ca")

    user = User.objects.get(email="someone@mcgill.ca")
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    assert answer["Location"] == "/accounts/confirm-email/"


# Refusals.


def test_a_tampered_assertion_is_refused(idp, caplog):
    client = browser()
    xml, relay_state = answer_for(client, idp)
    forged = xml.replace(EMAIL, "dean@umontreal.ca")  # NameID and e-mail, after signing
    assert forged != xml

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, forged, relay_state)

    assert_refused(client, answer, caplog, "Signature validation failed")
    assert "dean" not in sso_log(caplog)


def test_an_answer_signed_by_another_key_is_refused(umontreal, tmp_path, caplog):
    impostor = IdentityProvider(
        make_signing_key(), tmp_path / "impostor", [sp_metadata(browser(), SLUG)]
    )
    client = browser()
    xml, relay_state = answer_for(client, impostor)

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, xml, relay_state)

    assert_refused(client, answer, caplog, "Signature validation failed")


@pytest.mark.parametrize(
    ("sign_response", "sign_assertion", "reason"),
    [
        (False, False, "is not signed"),
        (True, False, "The Assertion of the Response is not signed"),
        (False, True, "The Message of the Response is not signed"),
    ],
    ids=["nothing-signed", "assertion-unsigned", "message-unsigned"],
)
def test_an_unsigned_answer_is_refused(idp, caplog, sign_response, sign_assertion, reason):
    client = browser()
    xml, relay_state = answer_for(
        client, idp, sign_response=sign_response, sign_assertion=sign_assertion
    )

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, xml, relay_state)

    assert_refused(client, answer, caplog, reason)


def test_an_expired_answer_is_refused(idp, caplog):
    client = browser()
    xml, relay_state = answer_for(client, idp)  # valid for 5 minutes

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=20)
    with caplog.at_level(logging.WARNING, logger="medmentor.sso"), time_machine.travel(later):
        answer = post_to_acs(client, SLUG, xml, relay_state)

    assert_refused(client, answer, caplog, "expired")


def test_an_answer_made_in_the_past_is_refused(idp, caplog):
    client = browser()
    location, relay_state = start_sign_in(client, SLUG)
    request = idp.read_request(location)
    earlier = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=20)
    with time_machine.travel(earlier):
        xml = idp.respond(
            in_response_to=request.id,
            destination=acs_url(SLUG),
            audience=metadata_url(SLUG),
            email=EMAIL,
        )

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, xml, relay_state)

    assert_refused(client, answer, caplog, "expired")


@pytest.mark.parametrize(
    ("meant_for", "reason"),
    [
        ({"audience": metadata_url("chu")}, "audience"),
        ({"destination": acs_url("chu")}, "The response was received at"),
    ],
    ids=["audience", "destination"],
)
def test_an_answer_meant_for_another_service_is_refused(
    umontreal, idp_key, tmp_path, caplog, meant_for, reason
):
    # The same IdP signs people in to another service (a hospital's own SAML app here).
    saml_institution(idp_key, name="CHU", slug="chu", provider_id="saml-chu", domains=("chu.ca",))
    idp = IdentityProvider(
        idp_key, tmp_path / "idp", [sp_metadata(browser(), SLUG), sp_metadata(browser(), "chu")]
    )
    client = browser()
    xml, relay_state = answer_for(client, idp, **meant_for)

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, xml, relay_state)

    assert_refused(client, answer, caplog, reason)


def test_a_replayed_answer_is_refused(idp, caplog):
    client = browser()
    xml, relay_state = answer_for(client, idp)
    assert post_to_acs(client, SLUG, xml, relay_state).status_code == 302
    assert User.objects.count() == 1
    client.logout()

    for replayer in (client, browser()):  # the same browser, or whoever copied the answer
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
            answer = post_to_acs(replayer, SLUG, xml, relay_state)
        assert_refused(replayer, answer, caplog, "no sign-in request", users=1)


def test_an_unknown_institution_has_no_acs(umontreal, idp):
    client = browser()
    xml, relay_state = answer_for(client, idp)
    answer = post_to_acs(client, "nowhere", xml, relay_state)
    assert answer.status_code == 404
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 0
    assert browser().get("/accounts/saml/nowhere/metadata/").status_code == 404


def test_an_idp_initiated_answer_is_refused(idp, caplog):
    xml = idp.respond(
        in_response_to=None,
        destination=acs_url(SLUG),
        audience=metadata_url(SLUG),
        email=EMAIL,
    )
    client = browser()
    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = post_to_acs(client, SLUG, xml, "/programs/")

    assert_refused(client, answer, caplog, "no sign-in request")


def test_an_app_that_belongs_to_no_institution_signs_nobody_in(idp_key, tmp_path, caplog):
    SocialApp.objects.create(
        provider="saml", name="Stray", **saml_app(idp_key, slug=SLUG, provider_id=PROVIDER_ID)
    )
    idp = IdentityProvider(idp_key, tmp_path / "idp", [sp_metadata(browser(), SLUG)])
    client = browser()

    with caplog.at_level(logging.WARNING, logger="medmentor.sso"):
        answer = sign_in(client, idp)

    assert answer.status_code == 403
    assert "This sign-in is not set up" in answer.content.decode()
    assert_refused(client, answer, caplog, "belongs to no institution")


# Configured in the environment (SSO_PROVIDERS) rather than in the admin.


def test_an_app_from_sso_providers_signs_in_like_an_admin_configured_one(
    idp_key, tmp_path, settings, monkeypatch
):
    app = saml_app(idp_key, slug=SLUG, provider_id=PROVIDER_ID)
    monkeypatch.setenv(
        "SSO_PROVIDERS",
        json.dumps(
            [
                {
                    "protocol": "saml",
                    "provider_id": app["provider_id"],
                    "name": "Université de Montréal",
                    "client_id": app["client_id"],
                    **app["settings"],
                }
            ]
        ),
    )
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers_from_env("SSO_PROVIDERS")
    institution = saml_institution(idp_key, slug=SLUG, provider_id=PROVIDER_ID, with_app=False)
    assert not SocialApp.objects.exists()
    idp = IdentityProvider(idp_key, tmp_path / "idp", [sp_metadata(browser(), SLUG)])

    client = browser()
    answer = sign_in(client, idp)

    assert answer["Location"] == "/profile/start/"
    user = User.objects.get(email=EMAIL)
    assert SocialAccount.objects.get(user=user).provider == PROVIDER_ID
    assert InstitutionMember.objects.filter(institution=institution, user=user).exists()
    assert EmailAddress.objects.filter(user=user, email=EMAIL, verified=True).exists()

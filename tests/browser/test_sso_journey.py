"""Signing in with one's institution in a real browser, through a real OpenID Connect
provider (node's oidc-provider on loopback): a new person lands on onboarding with their
verified address and joins their institution's SSO-only program; a person of another
institution cannot."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from medmentor.programs.models import Membership
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in
from tests.factories import UserFactory
from tests.institutions.oidc import oidc_institution, oidc_provider_for
from tests.programs.factories import ProgramFactory

__all__ = ["oidc_provider_for"]  # the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_new_resident_signs_in_with_their_university_and_joins_its_program(
    live_server, page, second_page, oidc_provider_for
):
    base = live_server.url
    provider = oidc_provider_for([f"{base}/accounts/oidc/uottawa/login/callback/"])
    uottawa = oidc_institution(provider.issuer)
    program = ProgramFactory(
        name_en="uOttawa Resident Mentorship", sso_institution=uottawa, enrolment_mode="open"
    )

    # From the log-in page, the address at the university names the university.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Your address at your institution").fill("amira.haddad@uottawa.ca")
    page.get_by_role("button", name="Log in with your institution").click()
    assert_accessible(page)
    page.get_by_role("button", name="Log in with University of Ottawa").click()

    # The university's own sign-in page (the provider's), then its consent screen.
    page.wait_for_url(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"))
    page.locator("input[name=login]").fill("amira.haddad@uottawa.ca")
    page.locator("input[name=password]").fill("her university password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()

    # Back on MedMentor, signed in, starting the profile, with the address verified.
    page.wait_for_url(re.compile(r"/profile/edit/about/"))
    assert EmailAddress.objects.get(email="amira.haddad@uottawa.ca").verified

    page.goto(f"{base}/programs/{program.uuid}/")
    page.get_by_role("link", name="Join · As a mentee").click()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are in.").first).to_be_visible()
    assert Membership.objects.filter(program=program, user__email="amira.haddad@uottawa.ca")

    # A physician of another institution sees how one joins, and no Join button.
    other = UserFactory(email="ben.roy@mcgill.ca", name="Dr. Ben Roy")
    log_in(second_page, base, other.email)
    second_page.goto(f"{base}/programs/{program.uuid}/")
    expect(
        second_page.get_by_text("This program is for people of University of Ottawa")
    ).to_be_visible()
    expect(second_page.get_by_role("link", name="Join · As a mentee")).to_have_count(0)
    assert not Membership.objects.filter(program=program, user=other).exists()

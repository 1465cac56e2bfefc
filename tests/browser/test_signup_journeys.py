"""A newcomer's whole first visit in a real browser, in English and in French, on a laptop
and on a phone: sign up and confirm the e-mail address, fill the profile, find a mentor in
the search, join the program the mentor takes part in, and ask for mentorship. Every page
on the way passes axe-core's checks (tests/browser/accessibility.py)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from medmentor.programs.models import Membership, Role
from medmentor.requests.models import Request, RequestStatus
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import open_menu
from tests.factories import PASSWORD, UserFactory
from tests.profiles.factories import make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAM_EN = "Ottawa Residents Mentorship"
PROGRAM_FR = "Mentorat des résidents de l'Outaouais"
MENTOR = "Dr. Jean Tremblay"

# What a French-speaking newcomer reads, written out here (not looked up in the catalogue)
# so that an English string left on the way fails the journey.
FRENCH = {
    "Sign up": "S’inscrire",  # noqa: RUF001 (French typography)
    "Save and continue": "Enregistrer et continuer",
    "Ask for mentorship": "Demander un mentorat",
    "Send my request": "Envoyer ma demande",
    "Why:": "Pourquoi :",
    "Please correct the fields marked below.": "Veuillez corriger les champs indiqués ci-dessous.",
    "As a mentee": "Comme personne mentorée",
}


@pytest.mark.parametrize(
    ("language", "viewport"),
    # On a phone in French only: the longer words are the harder fit.
    [("en", "desktop"), ("fr", "desktop"), ("fr", "phone")],
    indirect=["viewport"],
)
def test_a_newcomer_signs_up_fills_the_profile_finds_a_mentor_and_asks(live_server, page, language):
    base = live_server.url

    def t(text: str) -> str:
        with translation.override(language):
            return str(translation.gettext(text))

    if language == "fr":
        for english, french in FRENCH.items():
            assert t(english) == french, english

    program = ProgramFactory(
        name_en=PROGRAM_EN,
        name_fr=PROGRAM_FR,
        audience="residents",
        matching_mode="requests",
        enrolment_mode="open",
    )
    mentor = UserFactory(email="jean@example.org", name=MENTOR)
    make_mentor(
        user=mentor,
        specialty="family-medicine",
        interests=["sexual-health"],
        languages=["en", "fr"],
        mentor_capacity=2,
    )
    MembershipFactory(program=program, user=mentor, role=Role.MENTOR)

    # The language first, with the switcher at the foot of every page.
    page.goto(base + "/")
    if language == "fr":
        page.select_option("#language-select", "fr")
        page.locator(".language-switcher button").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Trouver un mentor. Devenir mentor."
        )
    assert_accessible(page)

    # Sign up; the address is confirmed by e-mail.
    open_menu(page)
    page.locator("header").get_by_role("link", name=t("Sign up")).click()
    expect(page.get_by_role("heading", name=t("Sign up"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(t("Your name, as others will see it")).fill("Dr. Amira Haddad")
    page.get_by_label(t("E-mail address")).fill("amira@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=t("Sign up")).click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    page.goto(base + link)
    assert_accessible(page)
    page.get_by_role("button", name=t("Confirm")).click()

    # The profile, in five short steps.
    page.wait_for_url(re.compile(r"/profile/edit/about/$"))
    assert_accessible(page)
    page.get_by_label(t("Career stage")).select_option("resident-pgy2")
    page.get_by_label(re.compile("^" + re.escape(t("Specialty")))).select_option("family-medicine")
    page.get_by_label(t("Institution")).fill("University of Ottawa")
    page.get_by_label(t("Province or territory")).select_option("ON")
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_url(re.compile(r"/profile/edit/roles/$"))
    assert_accessible(page)
    page.get_by_label(t("I am looking for a mentor")).check()
    # Ticking the role shows its questions on the same page.
    page.locator("#id_goals_sought input[value=career-goals]").check()
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_url(re.compile(r"/profile/edit/interests/$"))
    assert_accessible(page)
    page.locator("#id_interests input[value=sexual-health]").check()
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_url(re.compile(r"/profile/edit/availability/$"))
    assert_accessible(page)
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_url(re.compile(r"/profile/edit/privacy/$"))
    assert_accessible(page)
    page.get_by_role("button", name=t("Save and continue")).click()
    page.wait_for_url(re.compile(r"/profile/reporting-lines/$"))
    assert_accessible(page)

    # The search finds the mentor, with the reason; to ask, the newcomer joins the program
    # the mentor takes part in.
    page.goto(base + "/mentors/")
    result = page.locator(".result", has_text=MENTOR)
    expect(result).to_contain_text(t("Why:"))
    assert_accessible(page)
    page.goto(base + "/programs/")
    assert_accessible(page)
    page.get_by_role(
        "link", name=PROGRAM_FR if language == "fr" else PROGRAM_EN, exact=True
    ).click()
    page.wait_for_url(re.compile(rf"/programs/{program.uuid}/$"))
    assert_accessible(page)
    page.get_by_role("link", name=f"{t('Join')} · {t('As a mentee')}").click()
    assert_accessible(page)
    page.locator("main form").get_by_role("button", name=t("Join"), exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    assert_accessible(page)
    assert Membership.objects.filter(user__email="amira@example.org", role=Role.MENTEE).exists()

    page.goto(base + "/mentors/")
    result.get_by_role("link", name=MENTOR, exact=True).click()
    expect(page.get_by_role("heading", name=MENTOR)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=t("Ask for mentorship")).click()
    expect(page.get_by_role("button", name=t("Send my request"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(t("Your message")).fill("I would value your advice on rural practice.")
    # The profile's goal comes ticked; with none, the form says so and keeps the message.
    goal = page.locator("input[name=goals][value=career-goals]")
    expect(goal).to_be_checked()
    goal.uncheck()
    page.get_by_role("button", name=t("Send my request")).click()
    expect(page.get_by_text(t("Please correct the fields marked below."))).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=goals][value=career-goals]").check()
    page.get_by_role("button", name=t("Send my request")).click()
    page.wait_for_url(re.compile(r"/programs/requests/$"))
    expect(page.locator(".messages")).to_contain_text(MENTOR)
    assert_accessible(page)

    request = Request.objects.get()
    assert (request.mentee.email, request.mentor.email) == ("amira@example.org", mentor.email)
    assert request.status == RequestStatus.PENDING
    if language == "fr":
        assert request.mentee.language == "fr"

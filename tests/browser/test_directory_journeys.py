"""The directory's main journey in a real browser: a visitor finds nothing for physicians
in practice in New Brunswick, tells us of a program, confirms by e-mail, a moderator
approves it, and the next visitor finds it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils.text import capfirst
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in, open_menu, translator, use_language
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAM = "Moncton Physician Peer Circles"
# A national program the directory lists from the start (its migration), shown for every
# province; it has no French name, so French shows its own.
LISTED = {"en": "GOC Mentorship Program", "fr": "GOC Mentorship Program"}

# What a French-speaking visitor and moderator read, written out here (not looked up in
# the catalogue) so that an English string left on the way fails the journey.
FRENCH = {
    "Directory of mentorship programs": "Répertoire des programmes de mentorat",
    "Tell us": "Dites-le-nous",
    "Check your e-mail": "Consultez vos courriels",
    "Thank you: your submission is confirmed and waits for a moderator.": (
        "Merci : votre proposition est confirmée et attend l’équipe de modération."  # noqa: RUF001
    ),
    "Approve and publish": "Approuver et publier",
}


@pytest.mark.parametrize(
    ("language", "viewport"),
    # In French at a laptop's width only: the phone's width runs in English.
    [("en", "desktop"), ("en", "phone"), ("fr", "desktop")],
    indirect=["viewport"],
)
def test_tell_us_confirm_moderate_find(live_server, page, language):
    t = translator(language)
    if language == "fr":
        for english, french in FRENCH.items():
            assert t(english) == french, english

    staff = UserFactory(email="moderator@example.org", is_staff=True)
    use_language(page, live_server.url, language)
    page.goto(live_server.url + "/directory/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.get_by_role("heading", name=t("Directory of mentorship programs")).is_visible()
    assert_accessible(page)

    # Filtering updates the results in place (htmx) and keeps the address shareable.
    page.get_by_label(t("Region")).select_option("NB")
    page.wait_for_url(re.compile(r"region=NB"))
    results = page.locator("#results")
    results.get_by_text(LISTED[language]).wait_for()
    assert results.get_by_text(
        t("No program for physicians in practice listed here yet.")
    ).is_visible()
    assert_accessible(page)

    results.get_by_role("link", name=t("Tell us")).click()
    page.get_by_label(capfirst(t("name (English)"))).wait_for()
    assert_accessible(page)
    page.get_by_label(capfirst(t("name (English)"))).fill(PROGRAM)
    page.get_by_label(capfirst(t("organisation (English)"))).fill("Moncton Physicians Network")
    page.get_by_label(t("Physicians in practice")).check()
    page.get_by_label(t("Region")).select_option("NB")
    page.get_by_label(t("Peer")).check()
    page.get_by_label(t("Official address")).fill("not a link")
    page.get_by_label(capfirst(t("your e-mail"))).fill("visitor@example.org")
    page.get_by_role("button", name=t("Send")).click()
    assert page.get_by_text(t("Enter a valid URL.")).is_visible()
    assert_accessible(page)

    page.get_by_label(t("Official address")).fill("https://example.org/peer-circles")
    page.get_by_role("button", name=t("Send")).click()
    assert page.get_by_role("heading", name=t("Check your e-mail")).is_visible()
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/directory/confirm/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_role("button", name=t("Confirm")).click()
    assert page.get_by_text(
        t("Thank you: your submission is confirmed and waits for a moderator.")
    ).is_visible()
    assert_accessible(page)

    log_in(page, live_server.url, staff.email)
    page.goto(live_server.url + "/directory/moderation/")
    assert_accessible(page)
    page.get_by_role("link", name=PROGRAM).click()
    page.get_by_role("button", name=t("Approve and publish")).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=t("Approve and publish")).click()
    assert page.get_by_role("heading", name=PROGRAM).is_visible()
    assert_accessible(page)
    # The submitter is told in the language they wrote in.
    assert t("Your submission is published in the program directory") in mail.outbox[-1].subject

    open_menu(page)
    page.get_by_role("button", name=t("Log out")).click()
    page.goto(live_server.url + "/directory/?region=NB&audience=physicians")
    assert page.locator("#results").get_by_role("link", name=PROGRAM).is_visible()
    assert_accessible(page)
    assert (
        page.get_by_text(t("No program for physicians in practice listed here yet.")).count() == 0
    )

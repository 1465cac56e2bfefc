"""The directory's main journey in a real browser: a visitor finds nothing for physicians
in practice in Saskatchewan, tells us of a program, confirms by e-mail, a moderator
approves it, and the next visitor finds it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser.accessibility import assert_accessible, both_widths
from tests.browser.journeys import log_in, open_menu
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAM = "Saskatoon Physician Peer Circles"


@both_widths
def test_tell_us_confirm_moderate_find(live_server, page):
    staff = UserFactory(email="moderator@example.org", is_staff=True)
    page.goto(live_server.url + "/directory/")
    assert page.get_by_role("heading", name="Directory of mentorship programs").is_visible()
    assert_accessible(page)

    # Filtering updates the results in place (htmx) and keeps the address shareable.
    page.get_by_label("Region").select_option("SK")
    page.wait_for_url(re.compile(r"region=SK"))
    results = page.locator("#results")
    results.get_by_text("Student-Physician Synergy Mentoring Program").wait_for()
    assert results.get_by_text(
        "No program for physicians in practice listed here yet."
    ).is_visible()
    assert_accessible(page)

    results.get_by_role("link", name="Tell us").click()
    page.get_by_label("Name (English)").wait_for()
    assert_accessible(page)
    page.get_by_label("Name (English)").fill(PROGRAM)
    page.get_by_label("Organisation (English)").fill("Saskatoon Physicians Network")
    page.get_by_label("Physicians in practice").check()
    page.get_by_label("Region").select_option("SK")
    page.get_by_label("Peer").check()
    page.get_by_label("Link to join").fill("not a link")
    page.get_by_label("Your e-mail").fill("visitor@example.org")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Enter a valid URL.").is_visible()
    assert_accessible(page)

    page.get_by_label("Link to join").fill("https://example.org/peer-circles")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/directory/confirm/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text("your submission is confirmed").is_visible()
    assert_accessible(page)

    log_in(page, live_server.url, staff.email)
    page.goto(live_server.url + "/directory/moderation/")
    assert_accessible(page)
    page.get_by_role("link", name=PROGRAM).click()
    page.get_by_role("button", name="Approve and publish").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    assert page.get_by_role("heading", name=PROGRAM).is_visible()
    assert_accessible(page)
    assert "published" in mail.outbox[-1].subject

    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/directory/?region=SK&audience=physicians")
    assert page.locator("#results").get_by_role("link", name=PROGRAM).is_visible()
    assert_accessible(page)
    assert page.get_by_text("No program for physicians in practice").count() == 0

"""Journeys through the site's shell in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, LOG_IN_BUTTON
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_keyboard_user_skips_to_content_and_sees_focus(live_server, page):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_home_fits_a_phone_screen(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    assert phone.get_by_role("heading", name="Find a mentor. Be a mentor.").is_visible()
    assert_accessible(phone)  # no sideways scrolling at 360 px
    context.close()


def test_switch_to_french_and_log_in(live_server, page):
    UserFactory(email="resident@example.org")
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Trouver un mentor. Devenir mentor.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Se connecter").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    assert_accessible(page)
    page.get_by_label(re.compile("courriel", re.I)).fill("resident@example.org")
    page.get_by_label(re.compile("mot de passe", re.I)).fill(PASSWORD)
    page.locator(LOG_IN_BUTTON).click()
    page.wait_for_url(live_server.url + DASHBOARD)
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert_accessible(page)

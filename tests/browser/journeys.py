"""Steps every browser journey shares."""

from __future__ import annotations

from tests.factories import PASSWORD

DASHBOARD = "/dashboard/"
# The password form's button (the log-in page also has "Sign in with your institution").
LOG_IN_BUTTON = "main form[action='/accounts/login/'] button[type=submit]"


def log_in(page, base_url: str, email: str) -> None:
    """Log in through the real form; the site lands on the person's dashboard."""
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator(LOG_IN_BUTTON).click()
    page.wait_for_url(base_url + DASHBOARD)


def open_menu(page) -> None:
    """On a phone the header's links fold behind its Menu button: open it if they do."""
    menu = page.locator("header button[aria-controls=site-nav]")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()


def translator(language: str):
    """``t(text)``: an interface string as the site shows it in ``language``, through
    Django's catalogue (the English itself for "en")."""
    from django.utils import translation

    def t(text: str) -> str:
        with translation.override(language):
            return str(translation.gettext(text))

    return t


def use_language(page, base_url: str, language: str) -> None:
    """The person's browser asks for ``language``: the cookie the switcher at the foot of
    every page sets (set again after clearing the cookies). English is the default."""
    if language != "en":
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])

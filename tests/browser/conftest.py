"""A real Chromium (Debian's, never a downloaded build) driven by Playwright."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make browsers installs Debian's)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread; the ORM calls made by
        # the test itself are synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


# The widths every journey is checked at (tests/browser/accessibility.py): a laptop, and
# a phone. A journey runs at both with @both_widths; otherwise at the laptop's.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def viewport(request) -> str:
    """ "desktop" unless a journey is parametrized (indirectly) with "phone"."""
    return getattr(request, "param", "desktop")


def _pages(browser, locale: str, viewport: str = "desktop"):
    """A person's own browser (a context), closed at teardown even when the journey
    fails, so that no request outlives the test database."""
    context = browser.new_context(locale=locale, **VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(browser, viewport):
    yield from _pages(browser, "en-CA", viewport)


@pytest.fixture
def second_page(browser, viewport):
    """Another person's browser, for journeys with two people."""
    yield from _pages(browser, "en-CA", viewport)


@pytest.fixture
def french_page(browser, viewport):
    yield from _pages(browser, "fr-CA", viewport)

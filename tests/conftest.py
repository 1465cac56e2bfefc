"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

# The persona worlds (world, rworld, program_creator) of programs and the apps lifted
# out of it.
pytest_plugins = ["tests.programs.worlds"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test inherits another's attempts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request in French (the locale
    middleware activates the reader's language in the thread) must not leave the next test,
    run in the same worker, reading French."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()

"""The taxonomy is looked up once per request, not once per read, and an edit made in
another process is seen from the next request on."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from medmentor.profiles.models import Goal
from medmentor.profiles.taxonomy import VERSION_KEY, taxonomy, taxonomy_changed
from tests.profiles.factories import make_mentee, make_mentor

pytestmark = pytest.mark.django_db

LOOKUPS: list[str] = []


class CountingCache(LocMemCache):
    """A memory cache that notes every key it is asked for."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        LOOKUPS.append(key)
        return super().get(key, default, version)


@pytest.fixture
def counted():
    settings = {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "counted"}
    with override_settings(CACHES={"default": settings}):
        LOOKUPS.clear()
        yield LOOKUPS


def test_a_search_page_looks_the_taxonomy_version_up_once(client, counted):
    mentee = make_mentee()
    for k in range(5):
        make_mentor(bio=f"mentor {k}")
    client.force_login(mentee.user)
    assert client.get("/mentors/?language=en").status_code == 200
    counted.clear()
    assert client.get("/mentors/").status_code == 200
    # Some fifteen reads of the taxonomy (filters, features, labels, the engine's labels).
    assert counted.count(VERSION_KEY) == 1


def test_an_edit_in_another_process_is_seen_on_the_next_request(client):
    mentee = make_mentee()
    client.force_login(mentee.user)
    assert ">Teaching</option>" in client.get("/mentors/").content.decode()
    # What the admin does in another process: the row, then a new version in the cache.
    Goal.objects.filter(code="teaching").update(label_en="Teaching and supervision")
    taxonomy_changed()
    page = client.get("/mentors/").content.decode()
    assert ">Teaching and supervision</option>" in page
    assert ">Teaching</option>" not in page


def test_outside_requests_every_read_looks_the_version_up(counted):
    """A task worker never serves a request: it must see an edit at its next read."""
    assert taxonomy()["goals"].by_code["teaching"].label_en == "Teaching"
    Goal.objects.filter(code="teaching").update(label_en="Teaching and supervision")
    taxonomy_changed()
    assert taxonomy()["goals"].by_code["teaching"].label_en == "Teaching and supervision"
    assert counted.count(VERSION_KEY) == 2

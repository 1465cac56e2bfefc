"""Fixtures for the profiles tests: people, a signed-in client, media in a temporary folder."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return UserFactory(name="Dr. Amira Haddad")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    client.user_email = user.email
    return client

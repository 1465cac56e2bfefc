"""An institution with its domains and a directory's token, and a SCIM client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from medmentor.institutions.models import Institution, InstitutionDomain, ScimToken
from medmentor.institutions.services import scim_token_create
from tests.institutions.oidc import oidc_provider_for

__all__ = ["oidc_provider_for"]  # the OpenID Connect provider's fixture, for every test here

BASE = "/scim/v2"
SCIM_JSON = "application/scim+json"


@dataclass
class Directory:
    """What an institution's directory (Entra ID, Okta) holds: its token, and a client."""

    institution: Institution
    token: ScimToken
    plaintext: str

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = None):
        client = Client()
        headers = {"Authorization": f"Bearer {self.plaintext if token is None else token}"}
        data = json.dumps(body) if body is not None else ""
        return client.generic(
            method, f"{BASE}{path}", data, content_type=SCIM_JSON, headers=headers
        )

    def get(self, path: str, **kwargs: Any):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any):
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any):
        return self.call("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any, **kwargs: Any):
        return self.call("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.call("DELETE", path, **kwargs)


def make_directory(slug: str, domain: str) -> Directory:
    institution = Institution.objects.create(name=slug.title(), slug=slug)
    InstitutionDomain.objects.create(institution=institution, domain=domain)
    token, plaintext = scim_token_create(institution=institution, by=None)
    return Directory(institution, token, plaintext)


@pytest.fixture
def directory(db) -> Directory:
    return make_directory("uottawa", "uottawa.ca")


@pytest.fixture
def other_directory(db) -> Directory:
    return make_directory("mcgill", "mcgill.ca")


def entra_user(user_name: str, **more: Any) -> dict[str, Any]:
    """A user as Microsoft Entra ID's provisioning sends it (POST /Users)."""
    return {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "externalId": more.pop("externalId", "jtremblay"),
        "userName": user_name,
        "active": True,
        "displayName": more.pop("displayName", "Jean Tremblay"),
        "emails": [{"primary": True, "type": "work", "value": more.pop("email", user_name)}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Jean Tremblay", "familyName": "Tremblay", "givenName": "Jean"},
        "title": "Resident",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Medicine"},
        **more,
    }


def okta_user(user_name: str, **more: Any) -> dict[str, Any]:
    """A user as Okta sends it (POST /Users): no displayName, a password we ignore."""
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": "Amira", "familyName": "Haddad"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": "Amira Haddad",
        "locale": "en-US",
        "externalId": "00u1abcd",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **more,
    }

"""SSO_PROVIDERS: sign-in apps from the environment, refused with the variable named."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from medmentor.env import sso_providers_from_env


def test_apps_from_the_environment_become_allauths_providers(monkeypatch):
    monkeypatch.setenv(
        "SSO_PROVIDERS",
        json.dumps(
            [
                {
                    "protocol": "openid_connect",
                    "provider_id": "uottawa",
                    "name": "University of Ottawa",
                    "client_id": "abc",
                    "secret": "s3cret",
                    "server_url": "https://login.example.org/v2.0",
                },
                {
                    "protocol": "saml",
                    "provider_id": "chu",
                    "client_id": "chu",
                    "idp": {"entity_id": "urn:chu", "sso_url": "https://idp/sso", "x509cert": "X"},
                },
            ]
        ),
    )
    providers = sso_providers_from_env("SSO_PROVIDERS")
    oidc = providers["openid_connect"]["APPS"][0]
    assert oidc == {
        "provider_id": "uottawa",
        "name": "University of Ottawa",
        "client_id": "abc",
        "secret": "s3cret",
        "settings": {"server_url": "https://login.example.org/v2.0"},
    }
    assert providers["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    saml = providers["saml"]["APPS"][0]
    assert saml["client_id"] == "chu"
    assert saml["settings"]["idp"]["sso_url"] == "https://idp/sso"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "SSO_PROVIDERS must be a JSON list of sign-in apps"),
        ('{"protocol": "saml"}', "SSO_PROVIDERS must be a JSON list of sign-in apps"),
        ('[{"protocol": "ldap"}]', "SSO_PROVIDERS: app 1 needs a protocol"),
        (
            '[{"protocol": "openid_connect", "provider_id": "x", "client_id": "y"}]',
            "SSO_PROVIDERS: app 1 lacks server_url",
        ),
    ],
)
def test_a_malformed_list_stops_start_up_naming_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("SSO_PROVIDERS", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        sso_providers_from_env("SSO_PROVIDERS")


def test_no_variable_means_no_app(monkeypatch):
    monkeypatch.delenv("SSO_PROVIDERS", raising=False)
    providers = sso_providers_from_env("SSO_PROVIDERS")
    assert providers["openid_connect"]["APPS"] == providers["saml"]["APPS"] == []

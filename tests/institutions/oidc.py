"""An institution that signs its people in through a real OpenID Connect provider
(tests/institutions/oidc_provider.mjs, node's oidc-provider on loopback)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp

from medmentor.institutions.models import Institution, InstitutionDomain, SsoProtocol

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "medmentor-tests"
CLIENT_SECRET = "a-client-secret-for-tests-only"


@dataclass(frozen=True)
class OidcProvider:
    issuer: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_oidc_provider(redirect_uris: list[str]) -> tuple[subprocess.Popen[str], OidcProvider]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("node and node_modules/oidc-provider are needed (make install)")
    port = free_port()
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT)],
        cwd=ROOT,
        env={
            **os.environ,
            "OIDC_PORT": str(port),
            "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        raise RuntimeError(f"the OpenID Connect provider did not start: {line!r}")
    return process, OidcProvider(issuer=line.split()[1])


@pytest.fixture
def oidc_provider_for() -> Iterator[Callable[[list[str]], OidcProvider]]:
    """Starts the provider for the given redirect addresses; stops it after the test."""
    processes: list[subprocess.Popen[str]] = []

    def start(redirect_uris: list[str]) -> OidcProvider:
        process, provider = start_oidc_provider(redirect_uris)
        processes.append(process)
        return provider

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def oidc_institution(
    issuer: str,
    *,
    name: str = "University of Ottawa",
    slug: str = "uottawa",
    domains: tuple[str, ...] = ("uottawa.ca",),
    enforce_sso: bool = False,
) -> Institution:
    """An institution set up as staff do in the admin: its OpenID Connect app (Social
    applications) and the institution with its domains."""
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id=slug,
        name=name,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": issuer},
    )
    institution = Institution.objects.create(
        name=name,
        slug=slug,
        sso_protocol=SsoProtocol.OIDC,
        sso_provider_id=slug,
        enforce_sso=enforce_sso,
    )
    for domain in domains:
        InstitutionDomain.objects.create(institution=institution, domain=domain)
    return institution

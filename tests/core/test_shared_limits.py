"""Rate limits hold for the whole site: every gunicorn worker counts in one cache (the
database's when there is no Redis), and behind our proxies each client has its own count
while a client cannot make up an address to get a fresh one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

EMAIL = "staff.limits@example.org"


ATTEMPT = """
from django.test import Client
response = Client().post("/accounts/login/", {{"login": "{email}", "password": "{password}"}})
print("STATUS", response.status_code, "Too many failed" in response.content.decode())
"""


def _medmentor(var: Path, *args: str) -> str:
    """``medmentor ARGS`` in a process of its own, as a web worker is, without Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(VAR_DIR=str(var), ALLOWED_HOSTS="testserver", PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-m", "medmentor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout


def test_separate_processes_count_the_same_failed_log_ins(tmp_path):
    """Without Redis: five wrong passwords tried in five processes (five gunicorn workers,
    say), and the right one in a sixth is refused too: the limit for one address is five
    failures in five minutes, site-wide."""
    _medmentor(tmp_path, "migrate", "--no-input", "-v", "0")
    _medmentor(
        tmp_path,
        "shell",
        "-c",
        "from medmentor.accounts.models import User; "
        f"User.objects.create_superuser('{EMAIL}', '{PASSWORD}', name='Staff')",
    )
    for _ in range(5):
        out = _medmentor(
            tmp_path, "shell", "-c", ATTEMPT.format(email=EMAIL, password="not-the-password")
        )
        assert "STATUS 200 False" in out
    out = _medmentor(tmp_path, "shell", "-c", ATTEMPT.format(email=EMAIL, password=PASSWORD))
    assert "STATUS 200 True" in out  # refused: the form says there were too many


def login_from(client, forwarded_for: str, password: str = "wrong-password"):
    return client.post(
        reverse("account_login"),
        {"login": "someone@example.org", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.1",  # the load balancer
    )


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login": "3/m/ip", "login_failed": False})
def test_behind_one_proxy_each_client_counts_apart(client):
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        for _ in range(3):
            assert login_from(client, "203.0.113.7").status_code == 200
        assert login_from(client, "203.0.113.7").status_code == 429
        # Another person behind the same load balancer is not locked out by the first.
        assert login_from(client, "198.51.100.4").status_code == 200
        # Nor can the first make up an address: the proxy appends the one it saw.
        assert login_from(client, "192.0.2.1, 203.0.113.7").status_code == 429


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login": "3/m/ip", "login_failed": False})
def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(client):
    UserFactory(email="someone@example.org")
    for n in range(3):
        assert login_from(client, f"203.0.113.{n}").status_code == 200
    assert login_from(client, "203.0.113.99").status_code == 429

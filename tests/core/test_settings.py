"""Settings come from the environment; bad values stop start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "medmentor.example.org",
    "DATABASE_URL": "sqlite:////tmp/medmentor-check-deploy.sqlite3",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
    "NOTES_ENCRYPTION_KEY": "V-skPJpe0qVWkbKljtj0Vw6x_UNw8zsEESLnNOQu_gI=",
}


def medmentor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {*PRODUCTION, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "-m", "medmentor.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = medmentor("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_names_the_variable():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = medmentor("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_notes_encryption_key_is_required_in_production_and_must_be_a_fernet_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "NOTES_ENCRYPTION_KEY"}
    result = medmentor("check", **env)
    assert result.returncode != 0
    assert "NOTES_ENCRYPTION_KEY must be set when DEBUG is false" in result.stderr
    result = medmentor("check", **{**PRODUCTION, "NOTES_ENCRYPTION_KEY": "too-short"})
    assert result.returncode != 0
    assert "NOTES_ENCRYPTION_KEY must be comma-separated Fernet keys" in result.stderr


def test_unknown_database_scheme_names_the_variable():
    result = medmentor("check", **{**PRODUCTION, "DATABASE_URL": "mongodb://localhost/db"})
    assert result.returncode != 0
    assert "DATABASE_URL has an unknown scheme 'mongodb'" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'"),
        ("EMAIL_URL", "pigeon://coop", "EMAIL_URL has an unknown scheme 'pigeon'"),
        ("TASKS_BACKEND", "celery", "TASKS_BACKEND must be one of db, immediate, rq"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be a whole number"),
    ],
)
def test_malformed_values_are_refused(name, value, message):
    result = medmentor("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("y" * 80 + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = medmentor(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        **env,
        SECRET_KEY_FILE=str(secret_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "y" * 80


def test_postgres_urls_are_understood():
    result = medmentor(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['USER'])",
        **{**PRODUCTION, "DATABASE_URL": "postgres://med:pw@db.internal:6432/medmentor"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "6432",
        "medmentor",
        "med",
    ]


def test_trusted_proxies_and_the_shared_cache_come_from_the_environment():
    show = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, "
        "settings.CACHES['default']['BACKEND'])"
    )
    result = medmentor("shell", "-c", show, TRUSTED_PROXY_COUNT="2")
    assert result.stdout.split()[-3:] == [
        "2",
        "None",
        "django.core.cache.backends.db.DatabaseCache",
    ]
    result = medmentor(
        "shell",
        "-c",
        show,
        TRUSTED_CLIENT_IP_HEADER="X-Real-IP",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.split()[-3:] == [
        "0",
        "X-Real-IP",
        "django.core.cache.backends.redis.RedisCache",
    ]
    bad = medmentor("check", TRUSTED_PROXY_COUNT="one")
    assert bad.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in bad.stderr

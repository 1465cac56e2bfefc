"""Strict readers for settings that come from the environment.

A setting that is present but malformed stops start-up with one line that names the
variable (``ImproperlyConfigured``), instead of silently falling back to a default.
Secrets may also be given as ``NAME_FILE`` (a path whose content is the value), the
convention of Docker and systemd credentials.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path!r} ({exc})") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SUPPORTED_DATABASES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_from_url(url: str) -> dict[str, object]:
    """``sqlite:////absolute/path.sqlite3`` or ``postgres://user:password@host:port/name``."""
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASES:
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unknown scheme {scheme!r} "
            f"(use one of: {', '.join(SUPPORTED_DATABASES)})"
        )
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if scheme == "sqlite":
        # Several processes (server, worker) share the file. Write-ahead logging lets
        # readers go on while one writes; a writer waits up to 20 s for the lock. A
        # transaction takes the write lock when it begins (IMMEDIATE): begun as a reader
        # (DEFERRED), it could not wait for the lock when it first writes, since the
        # other writer may be waiting for it, and would fail with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    else:
        # PostgreSQL's JIT compiles a query whose estimated cost is high before running
        # it: ~0.9 s for a report's grouped counts that then run in 10 ms. A web
        # application's short queries never repay that, so it is off for our sessions.
        options = dict(config.get("OPTIONS") or {})
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
        config["OPTIONS"] = options
    return dict(config)


def email_from_url(url: str) -> dict[str, object]:
    """Django e-mail settings from ``EMAIL_URL``.

    ``console:``, ``file:///absolute/folder`` (one .log file a message), ``memory:``,
    ``smtp://user:password@host:587`` (STARTTLS), ``smtps://...:465`` (implicit TLS),
    ``smtp+plain://host:25`` (no TLS, for a local relay).
    """
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        path = unquote(parts.path)
        if not path.startswith("/") or path == "/":
            raise ImproperlyConfigured("EMAIL_URL file: needs an absolute folder, file:///path")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": path,
        }
    if scheme in ("smtp", "smtps", "smtp+plain"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp",
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL has an unknown scheme {scheme!r} "
        "(use console:, file:///path, smtp://, smtps:// or smtp+plain://)"
    )


SSO_PROTOCOLS = ("openid_connect", "saml")
SSO_REQUIRED_KEYS = {
    "openid_connect": ("provider_id", "client_id", "server_url"),
    "saml": ("provider_id", "client_id", "idp"),
}


def sso_providers_from_env(name: str) -> dict[str, dict[str, object]]:
    """allauth's SOCIALACCOUNT_PROVIDERS from a JSON list of sign-in apps, one per
    institution, so that a single-institution deployment keeps the client secret in its
    environment rather than in the database:

        [{"protocol": "openid_connect", "provider_id": "uottawa", "name": "uOttawa",
          "client_id": "...", "secret": "...", "server_url": "https://.../v2.0"},
         {"protocol": "saml", "provider_id": "chu", "name": "CHU", "client_id": "chu",
          "idp": {"entity_id": "...", "sso_url": "...", "x509cert": "..."}}]

    ``client_id`` of a SAML app is the short name in its addresses (/accounts/saml/chu/acs/).
    """
    raw = env_str(name)
    providers: dict[str, dict[str, object]] = {
        # PKCE on every OpenID Connect sign-in: Entra ID and Google accept it, and a
        # provider that requires it (oidc-provider does by default) then works too.
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []},
        "saml": {"APPS": []},
    }
    if not raw.strip():
        return providers
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON list of sign-in apps ({exc})") from exc
    if not isinstance(entries, list):
        raise ImproperlyConfigured(f"{name} must be a JSON list of sign-in apps")
    for position, entry in enumerate(entries, start=1):
        protocol = entry.get("protocol") if isinstance(entry, dict) else None
        if protocol not in SSO_PROTOCOLS:
            raise ImproperlyConfigured(
                f"{name}: app {position} needs a protocol, one of {', '.join(SSO_PROTOCOLS)}"
            )
        missing = [key for key in SSO_REQUIRED_KEYS[protocol] if not entry.get(key)]
        if missing:
            raise ImproperlyConfigured(f"{name}: app {position} lacks {', '.join(missing)}")
        app_settings = {
            key: value
            for key, value in entry.items()
            if key not in ("protocol", "provider_id", "name", "client_id", "secret")
        }
        app = {
            "provider_id": entry["provider_id"],
            "name": entry.get("name", entry["provider_id"]),
            "client_id": entry["client_id"],
            "secret": entry.get("secret", ""),
            "settings": app_settings,
        }
        apps = providers[protocol]["APPS"]
        assert isinstance(apps, list)
        apps.append(app)
    return providers

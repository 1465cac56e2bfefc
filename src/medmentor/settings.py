"""MedMentor settings: one module, configured by environment variables only.

Development needs nothing set: SQLite and e-mails as files under ``var/``, a secret key
generated once into ``var/secret_key``. Production sets ``DEBUG=false``, which then
requires ``SECRET_KEY`` and turns on HTTPS-only cookies, HSTS and SSL redirects. Every
variable is listed in the README's configuration table.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import django_stubs_ext
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from medmentor.env import (
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    sso_providers_from_env,
)

# Django's generic classes are subscripted at run time too, as class bases
# (``forms.ModelForm[Profile]``, ``admin.ModelAdmin[Listing]``): this makes them
# subscriptable before any app is loaded, whatever the order of INSTALLED_APPS.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("MEDMENTOR_HOME", str(PACKAGE_DIR.parent.parent))).resolve()
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    # Development: generate once and keep it, so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()


def _notes_encryption_keys() -> list[str]:
    """Fernet keys for notes and messages: the first encrypts, all decrypt (rotation)."""
    keys = [key.strip() for key in env_str("NOTES_ENCRYPTION_KEY").split(",") if key.strip()]
    if not keys:
        if not DEBUG:
            raise ImproperlyConfigured("NOTES_ENCRYPTION_KEY must be set when DEBUG is false")
        key_file = VAR_DIR / "notes_encryption_key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(Fernet.generate_key().decode("ascii"), encoding="utf-8")
            key_file.chmod(0o600)
        keys = [key_file.read_text(encoding="utf-8").strip()]
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ImproperlyConfigured(
                "NOTES_ENCRYPTION_KEY must be comma-separated Fernet keys (32 url-safe "
                "base64-encoded bytes each)"
            ) from None
    return keys


NOTES_ENCRYPTION_KEYS = _notes_encryption_keys()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Set, SITE_URL rules; unset (development only), the demo and runserver commands point it
# at the address they serve (medmentor.core.site).
SITE_URL_FROM_ENV = bool(env_str("SITE_URL")) or not DEBUG

INSTALLED_APPS = [
    "medmentor.accounts",
    "medmentor.core",
    "medmentor.notifications",
    "medmentor.directory",
    "medmentor.institutions",
    "medmentor.programs",
    "medmentor.mentorships",
    "medmentor.requests",
    "medmentor.concerns",
    "medmentor.matchrounds",
    "medmentor.imports",
    "medmentor.segments",
    "medmentor.surveys",
    "medmentor.announcements",
    "medmentor.exports",
    "medmentor.events",
    "medmentor.profiles",
    "medmentor.reports",
    "medmentor.dashboard",
    "medmentor.officehours",
    "medmentor.calendars",
    "medmentor.apitokens",
    "medmentor.webhooks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_htmx",
    "template_partials",
    "ninja",  # the API docs from our own static files, never a CDN
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "medmentor.institutions.middleware.StaffSignInMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "medmentor.urls"
WSGI_APPLICATION = "medmentor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "medmentor.dashboard.navigation.navigation",
            ],
        },
    },
    {
        # Plain-text e-mails and subjects: the same templates, without HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'medmentor.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits count here) -------------------------------------------
# One cache every web worker shares, so that a limit of five guesses is five, not five per
# worker: Redis when REDIS_URL is set, else a table of the database (core migration 0001).
REDIS_URL = env_str("REDIS_URL")
CACHE_TABLE = "medmentor_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# --- Client addresses behind proxies (rate limits are counted per address) -----------------
# How many proxies of ours (load balancer, reverse proxy) stand in front of the site: the
# client is the address the farthest of them saw, read from X-Forwarded-For. 0 believes no
# forwarded header (a client could write its own). Or the one header a proxy of ours sets
# with the client's address (e.g. X-Real-IP, CF-Connecting-IP), which then wins.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None

# --- Background tasks -----------------------------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set when TASKS_BACKEND is rq")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# rq: a job whose worker dies (killed, out of memory, machine lost) is run again by another
# worker, as is a job that raised, up to TASKS_RETRIES times (our tasks are safe to run
# twice). A busy worker reports every TASKS_HEARTBEAT_SECONDS; silent for three of them,
# its job counts as abandoned (medmentor.core.redis_queue).
TASKS_RETRIES = env_int("TASKS_RETRIES", 3)
TASKS_HEARTBEAT_SECONDS = env_int("TASKS_HEARTBEAT_SECONDS", 30, minimum=1)
# The longest a job may run (rq stops it then); a match round still "running" after it was
# lost and is marked failed, so that its program may run another.
TASKS_TIMEOUT_SECONDS = env_int("TASKS_TIMEOUT_SECONDS", 30 * 60, minimum=60)
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "QUEUE_CLASS": "medmentor.core.redis_queue.RetryingQueue",
            "DEFAULT_TIMEOUT": TASKS_TIMEOUT_SECONDS,
        }
    }

# --- Periodic jobs --------------------------------------------------------------------
# `medmentor worker` runs them itself, so a deployment needs no cron: each period of each
# job is claimed by one worker only (a unique row, medmentor.core.scheduler), however many
# workers run. SCHEDULER=false leaves them to an outside cron (`medmentor remind`).
SCHEDULER = env_bool("SCHEDULER", True)
SCHEDULER_REMIND_SECONDS = env_int("SCHEDULER_REMIND_SECONDS", 15 * 60, minimum=1)
SCHEDULER_PURGE_SECONDS = env_int("SCHEDULER_PURGE_SECONDS", 24 * 60 * 60, minimum=1)
SCHEDULER_WEBHOOKS_SECONDS = env_int("SCHEDULER_WEBHOOKS_SECONDS", 5 * 60, minimum=1)
# Each job: its name, the dotted path of a function taking no argument, its period (s).
PERIODIC_JOBS = {
    "remind": (
        "medmentor.dashboard.services.remind_due",
        SCHEDULER_REMIND_SECONDS,
    ),
    "directory_purge": (
        "medmentor.directory.services.submissions_purge_unconfirmed",
        SCHEDULER_PURGE_SECONDS,
    ),
    "directory_upkeep": (
        "medmentor.directory.services.listings_request_confirmation",
        SCHEDULER_PURGE_SECONDS,
    ),
    "webhooks": (
        "medmentor.webhooks.services.deliveries_retry_due",
        SCHEDULER_WEBHOOKS_SECONDS,
    ),
    "tasks_prune": ("medmentor.core.tasks.task_results_prune", SCHEDULER_PURGE_SECONDS),
}

# --- Webhooks -------------------------------------------------------------------------
# Each delivery is tried up to WEBHOOKS_MAX_ATTEMPTS times, waiting the delays of
# WEBHOOKS_RETRY_DELAYS (seconds, comma-separated, the last repeated) between attempts,
# each POST given WEBHOOKS_TIMEOUT_SECONDS. An endpoint whose deliveries fail for good
# WEBHOOKS_DISABLE_AFTER_FAILURES times in a row is turned off (0: never). Endpoints on
# loopback or private networks, and plain http:// outside DEBUG, are refused unless
# WEBHOOKS_ALLOW_PRIVATE_HOSTS (a receiver on the site's own network; tests).
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10, minimum=1)
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 5)
WEBHOOKS_ALLOW_PRIVATE_HOSTS = env_bool("WEBHOOKS_ALLOW_PRIVATE_HOSTS", False)


def _retry_delays() -> list[int]:
    raw = env_list("WEBHOOKS_RETRY_DELAYS", ["60", "300", "1800", "7200", "43200"])
    try:
        delays = [int(item) for item in raw]
    except ValueError:
        delays = []
    if not delays or min(delays) < 1:
        raise ImproperlyConfigured(
            "WEBHOOKS_RETRY_DELAYS must be positive whole seconds, comma-separated"
        )
    return delays


WEBHOOKS_RETRY_DELAYS = _retry_delays()

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:dashboard"
ACCOUNT_SIGNUP_REDIRECT_URL = "profiles:onboarding"  # a new member starts with their profile

ACCOUNT_ADAPTER = "medmentor.accounts.adapter.AccountAdapter"
# allauth's forms, labelled in MedMentor's words.
ACCOUNT_FORMS = {
    name: f"medmentor.accounts.forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "reset_password": "ResetPasswordForm",
    }.items()
}
# Logging in and signing up with a password check the institution's rule first.
ACCOUNT_FORMS["login"] = "medmentor.institutions.forms.LoginForm"
ACCOUNT_FORMS["signup"] = "medmentor.institutions.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are visible and reviewed.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MedMentor] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Institutional sign-in (allauth social accounts, decision 0041): an institution's OpenID
# Connect or SAML app, in the admin (Social applications) or in SSO_PROVIDERS.
SOCIALACCOUNT_PROVIDERS = sso_providers_from_env("SSO_PROVIDERS")
SOCIALACCOUNT_ADAPTER = "medmentor.institutions.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # a new person signs in once and lands on onboarding
# An existing account is never taken over by an institution saying it has the address: its
# owner signs in first (password, MFA), then links the institution's sign-in.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False  # we read who signed in, never the provider's data later
SOCIALACCOUNT_FORMS = {"signup": "medmentor.institutions.forms.SsoSignupForm"}
# Staff and superusers must have signed in through an institution to use the admin.
SSO_REQUIRED_FOR_STAFF = env_bool("SSO_REQUIRED_FOR_STAFF", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MedMentor"

# --- E-mail ---------------------------------------------------------------------------
_email = email_from_url(
    env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}" if DEBUG else "smtp+plain://localhost:25")
)
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MedMentor <no-reply@medmentor.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Administrators", address) for address in env_list("ADMINS", [])]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The largest participant CSV a coordinator may upload, in bytes; a bigger upload is
# refused from its Content-Length, before its body is read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
# How long a person's prepared export of their data can be downloaded.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7, minimum=1)


# --- API tokens -----------------------------------------------------------------------
def _rate(name: str, default: str) -> tuple[int, int]:
    """``<count>/<s|m|h|d>``: so many requests per second, minute, hour or day."""
    raw = env_str(name, default).strip()
    count, _slash, unit = raw.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit.strip().lower())
    if not count.strip().isdigit() or int(count) < 1 or seconds is None:
        raise ImproperlyConfigured(
            f"{name} must read <count>/<s|m|h|d>, such as 600/h, not {raw!r}"
        )
    return int(count), seconds


# Requests one API token may make (429 beyond, with Retry-After); the longest life a
# token may be given, in days.
API_TOKEN_RATE = _rate("API_TOKEN_RATE", "600/h")
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)

# Reports never show a figure about fewer people than this (5 at the least).
REPORTS_MIN_GROUP = env_int("REPORTS_MIN_GROUP", 5, minimum=5)
# How long a computed report is shown before its figures are counted again (0: always).
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 300)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy and Permissions-Policy ---------------------------------------
# Everything the site loads is its own: no inline script, style or event handler, no CDN,
# no frames. CSP_REPORT_ONLY=true sends the policy as report-only (to try a change first);
# CSP_REPORT_URI names where browsers report what it blocked.
_CSP: dict[str, object] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [env_str("CSP_REPORT_URI")]} if env_str("CSP_REPORT_URI") else {}),
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# The interactive API docs (/api/docs): on in development, off in production unless asked.
API_DOCS = env_bool("API_DOCS", DEBUG)
if not DEBUG:
    # TLS ends at the load balancer or reverse proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The mentor search's covering index (INCLUDE columns) is a PostgreSQL optimisation;
# SQLite builds the index without them, which is fine for a development database.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

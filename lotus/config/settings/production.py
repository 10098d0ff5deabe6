"""Production settings: everything in base, plus the rules a live service must follow.

    DJANGO_SETTINGS_MODULE=lotus.config.settings.production

Required in the environment (or as NAME_FILE):
    SECRET_KEY      at least 50 characters, not the development default
    ALLOWED_HOSTS   the host names the service answers to, comma-separated
    LOTUS_AUDIT_KEY the key that signs the audit chain, at least 32 characters; keep a
                    copy somewhere safe, apart from the database and its backups

Optional:
    LOTUS_HSTS_SECONDS     default 31536000 (one year)
    LOTUS_HSTS_PRELOAD     default True: allow browsers' HSTS preload lists to include
                           the domain (every subdomain must serve HTTPS). Set False to
                           opt out; the deploy check's preload warning is then silenced,
                           as a recorded choice.
    LOTUS_SSL_REDIRECT     default True; the reverse proxy must set X-Forwarded-Proto
    LOTUS_PROXY_SSL_HEADER default True: trust X-Forwarded-Proto from the proxy. Set
                           False only if LOTUS is reached directly over HTTPS.

DEBUG is always off here, the demo-data app (lotus.nonprod) is not installed, and demo
accounts never skip two-step verification (LOTUS_DEMO_SIGN_IN is off, whatever the
database says); `check --deploy` fails on a database that holds demo data (accounts.E001).
"""

from lotus.config.env import SettingError, env_bool, env_int, env_list, env_str
from lotus.config.settings.base import *  # noqa: F403
from lotus.config.settings.base import INSTALLED_APPS, LOTUS_AUDIT_KEY, LOTUS_METRICS_TOKEN

DEVELOPMENT_SECRET_KEY = "lotus-insecure-development-key-change-me"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 50

DEBUG = False
LOTUS_PRODUCTION = True  # start-up checks that only apply to a live service (lotus.ops.checks)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    raise SettingError(
        "SECRET_KEY must be set for production: 50 or more random characters, for example "
        "from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise SettingError("SECRET_KEY is the development default; set a new random key for production")
if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or len(set(SECRET_KEY)) < 5:
    raise SettingError(
        f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} random characters"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise SettingError(
        "ALLOWED_HOSTS must list the service's host names for production, "
        "for example ALLOWED_HOSTS=lotus.example.nhs.uk"
    )

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "lotus.nonprod"]
# Not read from the environment: no setting can turn the demo's sign-in shortcut on here.
LOTUS_DEMO_SIGN_IN = False

# HTTPS only, behind a reverse proxy that terminates TLS.
SECURE_SSL_REDIRECT = env_bool("LOTUS_SSL_REDIRECT", True)
# Probes and the metrics scraper talk to the app server directly, often over plain HTTP
# inside the platform's network: they are answered rather than redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)$", r"^metrics$"]
if env_bool("LOTUS_PROXY_SSL_HEADER", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("LOTUS_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("LOTUS_HSTS_PRELOAD", True)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The __Host- prefix binds the cookie to this exact host over HTTPS (no Domain, Path /).
SESSION_COOKIE_NAME = "__Host-lotus_session"
CSRF_COOKIE_NAME = "__Host-lotus_csrf"

# The audit chain is never signed with the public development key here. Without a key the
# service refuses to start; `check --deploy` (audit.E001-E003) also rejects a weak one.
LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY = False
LOTUS_ALLOW_FLUSH = False  # flush would erase the audit trail
MINIMUM_AUDIT_KEY_LENGTH = 32
if not LOTUS_AUDIT_KEY or len(LOTUS_AUDIT_KEY) < MINIMUM_AUDIT_KEY_LENGTH:
    raise SettingError(
        f"LOTUS_AUDIT_KEY (or LOTUS_AUDIT_KEY_FILE) must be set for production: {MINIMUM_AUDIT_KEY_LENGTH} or "
        "more random characters, kept outside the database, for example from: "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    )

# A metrics token, when set, is a secret too: long enough not to be guessed.
MINIMUM_METRICS_TOKEN_LENGTH = 24
if LOTUS_METRICS_TOKEN and len(LOTUS_METRICS_TOKEN) < MINIMUM_METRICS_TOKEN_LENGTH:
    raise SettingError(
        f"LOTUS_METRICS_TOKEN (or LOTUS_METRICS_TOKEN_FILE) must be at least {MINIMUM_METRICS_TOKEN_LENGTH} "
        "random characters, for example from: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )

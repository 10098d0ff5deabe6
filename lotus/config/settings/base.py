"""LOTUS settings, read from the environment.

With no environment at all LOTUS runs on one SQLite file under var/ (the embedded
default). DATABASE_URL switches to PostgreSQL; everything else has a safe default.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
import nhsuk_frontend_jinja

from lotus.config.env import SettingError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("LOTUS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
LOTUS_PRODUCTION = False  # True in lotus.config.settings.production
SECRET_KEY = env_str("SECRET_KEY") or "lotus-insecure-development-key-change-me"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "lotus.core",
    "lotus.audit",
    "lotus.accounts",
    "lotus.practitioners",
    "lotus.cases",
    "lotus.triage",
    "lotus.insights",
    "lotus.support",  # issue 6: support for the person under investigation
    "lotus.improvement",  # issue 6: five-step compassionate performance plans
    "lotus.learning",  # issue 12: lessons-learnt reviews, improvement actions, assurance
    "lotus.toolkit",
    "lotus.panels",
    "lotus.letters",
    "lotus.portal",
    "lotus.nonprod",
    # --- Sign-in and sessions (accounts; see docs/adr/0008-mfa.md) ---
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys, as a second factor only
    "axes",
    # --- end sign-in and sessions ---
    "django_tasks",  # background tasks (ops); queue in lotus.ops
    "lotus.ops",  # backup, restore, serve, worker
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lotus.core.uploads.RawUploadNameMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # --- Sign-in and sessions (accounts): idle/absolute timeouts, then who verified
    # with a second factor, then the one place that insists on it ---
    "lotus.accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotus.accounts.middleware.MFARequiredMiddleware",
    # --- end sign-in and sessions ---
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lotus.core.middleware.LoginRequiredByDefaultMiddleware",
    # --- Sign-in and sessions (accounts): axes turns a lockout into our lockout page;
    # it must be last ---
    "axes.middleware.AxesMiddleware",
    # --- end sign-in and sessions ---
]

ROOT_URLCONF = "lotus.config.urls"
WSGI_APPLICATION = "lotus.config.wsgi.application"

AUTH_USER_MODEL = "accounts.User"
# --- Sign-in and sessions (accounts): the axes backend comes first so a locked-out
# email address is refused before its password is checked ---
AUTHENTICATION_BACKENDS = [
    "lotus.accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# --- end sign-in and sessions ---
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(nhsuk_frontend_jinja.__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "lotus.core.jinja2.environment",
            "extensions": ["jinja2.ext.do"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "lotus.core.context_processors.service",
            ],
        },
    },
    {
        # Django's own templates (kept for contrib apps); LOTUS pages use Jinja2.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "lotus.sqlite3"),
            "OPTIONS": {
                # Every write transaction takes the write lock at BEGIN, so two
                # writers queue instead of one failing half-way ("database is locked").
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
# DATABASE_REPLICA_URL: a read replica of the PostgreSQL primary for the insights pages'
# reads of case data (lotus.core.replica; docs/adr/0029). Never for access control.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL") or ""
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise SettingError("DATABASE_REPLICA_URL needs DATABASE_URL: the embedded SQLite database has no replica")
    try:
        _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError:
        raise SettingError("DATABASE_REPLICA_URL must be a database URL, such as postgres://user@host:5432/lotus"
                           ) from None
    if _replica.get("ENGINE") != DATABASES["default"].get("ENGINE"):
        raise SettingError("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL")
    # Tests use the primary's test database through a second connection.
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["lotus.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- SHARED CACHE (lotus.config.backing, lotus.core.cache; ADR 0022) -------------------
# REDIS_URL: one cache for every process (API rate limits). Unset: Django's local memory
# cache in each process, as the embedded default always had. A Redis outage never stops
# a page: the cache then answers as an empty one (lotus.core.cache).
REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL:
    from lotus.config.backing import redis_cache  # noqa: E402

    CACHES = {"default": redis_cache(REDIS_URL, key_prefix=env_str("LOTUS_CACHE_PREFIX", "lotus") or "lotus")}
# LOTUS_API_RATE_LIMIT_FAIL_CLOSED=True: while the shared cache cannot be reached, the API
# answers 503 instead of serving requests it cannot count. Pages are never refused.
LOTUS_API_RATE_LIMIT_FAIL_CLOSED = env_bool("LOTUS_API_RATE_LIMIT_FAIL_CLOSED", False)
# --- end SHARED CACHE --------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # --- Sign-in and sessions (accounts): long passphrases are welcome, up to 128 ---
    {"NAME": "lotus.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    # --- end sign-in and sessions ---
]

# --- Sign-in and sessions (accounts; docs/adr/0008-mfa.md) ---------------------------
# Argon2id for new and changed passwords; older hashes still verify and are upgraded
# the next time their owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Sessions: ended after LOTUS_SESSION_IDLE_MINUTES without a request, and in any case
# LOTUS_SESSION_ABSOLUTE_HOURS after signing in (lotus.accounts.middleware).
LOTUS_SESSION_IDLE_MINUTES = env_int("LOTUS_SESSION_IDLE_MINUTES", 30, minimum=1)
LOTUS_SESSION_ABSOLUTE_HOURS = env_int("LOTUS_SESSION_ABSOLUTE_HOURS", 12, minimum=1)
if LOTUS_SESSION_IDLE_MINUTES > LOTUS_SESSION_ABSOLUTE_HOURS * 60:
    raise SettingError("LOTUS_SESSION_IDLE_MINUTES must not be longer than LOTUS_SESSION_ABSOLUTE_HOURS")
SESSION_COOKIE_AGE = LOTUS_SESSION_ABSOLUTE_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Login throttling (django-axes): LOTUS_SIGN_IN_FAILURE_LIMIT wrong passwords for one
# email address lock it for LOTUS_SIGN_IN_LOCKOUT_MINUTES. Failures are counted per
# email address, not per IP address, because many NHS staff share one outbound address.
AXES_FAILURE_LIMIT = env_int("LOTUS_SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOTUS_SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for 'ip_address' in the lockout parameters, because IP-based lockout
# can be dodged by changing cookies or user agent. Counting per email address cannot be
# dodged that way, and locking by IP would lock out a whole trust behind one NAT address.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]
AXES_USERNAME_CALLABLE = "lotus.accounts.throttling.username_for_axes"
AXES_LOCKOUT_CALLABLE = "lotus.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # LOTUS's audit trail records every sign-in already
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Two-step verification (django-otp): the name shown in authenticator apps, and the
# back-off after wrong codes (2, 4, 8, ... seconds).
OTP_TOTP_ISSUER = "LOTUS"
OTP_TOTP_THROTTLE_FACTOR = 2
OTP_STATIC_THROTTLE_FACTOR = 2
# Demo accounts (User.mfa_exempt_in_demo) may skip two-step verification only where this
# is True *and* the database says it holds demo data. Development, test and demo
# installations use these settings; production settings force it off, whatever the
# database says (issue 19).
LOTUS_DEMO_SIGN_IN = True
# Passkeys (django-otp-webauthn) as a second factor beside the authenticator app, never
# instead of the password. The relying party and the expected origin come from the
# request's host, which Django has already checked against ALLOWED_HOSTS
# (lotus.accounts.webauthn); the list below only satisfies the library's start-up check.
OTP_WEBAUTHN_RP_NAME = "LOTUS"
OTP_WEBAUTHN_RP_ID_CALLABLE = "lotus.accounts.webauthn.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "lotus.accounts.webauthn.LotusWebAuthnHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")] or ["https://localhost"]
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "lotus.passkeys"
# --- end sign-in and sessions --------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# LOTUS_STATIC_ROOT: where collectstatic put the files, when not in LOTUS_VAR_DIR (the
# container image collects them at build time into /opt/lotus/static).
STATIC_ROOT = Path(env_str("LOTUS_STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STATICFILES_DIRS = [("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded case documents live here, outside the static and media roots, under random
# names; they are only ever served by the permission-checked download view.
DOCUMENT_ROOT = Path(env_str("LOTUS_DOCUMENT_ROOT", str(VAR_DIR / "documents")))
DOCUMENT_MAX_BYTES = env_int("LOTUS_DOCUMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
# LOTUS_DOCUMENT_STORAGE=s3: documents in an S3-compatible bucket that every server shares
# (lotus.config.backing, lotus.cases.storage; ADR 0022). Unset or local: DOCUMENT_ROOT.
from lotus.config.backing import document_storage_kind, s3_document_storage  # noqa: E402

LOTUS_DOCUMENT_STORAGE = document_storage_kind(env_str("LOTUS_DOCUMENT_STORAGE"))
if LOTUS_DOCUMENT_STORAGE == "s3":
    STORAGES["documents"] = s3_document_storage(
        bucket=env_str("LOTUS_S3_BUCKET"),
        endpoint_url=env_str("LOTUS_S3_ENDPOINT_URL"),
        region=env_str("LOTUS_S3_REGION"),
        access_key=env_str("LOTUS_S3_ACCESS_KEY_ID"),
        secret_key=env_str("LOTUS_S3_SECRET_ACCESS_KEY"),
        prefix=env_str("LOTUS_S3_PREFIX"),
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOTUS_SERVICE_NAME = "LOTUS"
# Email (letters' reminders, consent answers): printed to the console unless set.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lotus@localhost")
LOTUS_CASES_PER_PAGE = env_int("LOTUS_CASES_PER_PAGE", 25, minimum=5)

# --- TASKS (owned by lotus.ops) ---------------------------------------------------------
# Background tasks (django-tasks) are queued in the database and run by `lotus worker`,
# through LOTUS's own database backend: django-tasks-db has no leases, so a task whose
# worker was killed would stay RUNNING for ever (ADR 0028).
TASKS = {
    "default": {
        "BACKEND": "lotus.ops.tasks_backend.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Readiness says "delayed" for the task queue once a due task has waited this long.
LOTUS_TASK_BACKLOG_MINUTES = env_int("LOTUS_TASK_BACKLOG_MINUTES", 15, minimum=1)
# A worker holds the task it runs for this many seconds at a time, renewed every third of
# it. A task whose worker died is retried once by another worker after the lease runs out.
LOTUS_TASK_LEASE_SECONDS = env_int("LOTUS_TASK_LEASE_SECONDS", 60, minimum=2)
# --- end TASKS ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- SECURITY HEADERS AND ERRORS (owned by core hardening; issue 3) ----------------------
# Added to the lists above by name, so other sections can edit those lists freely.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

# Content Security Policy (django-csp 4): own origin only, no 'unsafe-inline' anywhere;
# the NHS.UK template's one inline script carries the per-request nonce (`cspNonce`, from
# lotus.core.security.csp_nonce). The NHS.UK Frutiger font comes from assets.nhs.uk.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
# Every log record made while a request is handled has its posted values taken out.
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
                  "lotus.core.middleware.RedactLogsMiddleware")
# After WhiteNoise, so static files keep their cache headers; early, so the outage
# middleware's process_exception has the last word on a database error in a view.
MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
                  "lotus.core.middleware.SecurityHeadersMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("lotus.core.middleware.SecurityHeadersMiddleware") + 1,
                  "lotus.core.middleware.DatabaseOutageMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("lotus.core.security.csp_nonce")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no LOTUS script reads it; forms carry the token
CSRF_FAILURE_VIEW = "lotus.core.views.csrf_failure"
# Error emails: ADMINS="Name <email>, other@example.org" (none by default). They carry
# POST field names only, no values and no traceback variables (lotus.core.security).
ADMINS = [(a.split("<")[0].strip() or a, a.split("<")[-1].rstrip(">").strip())
          for a in env_list("ADMINS", [])]
SERVER_EMAIL = env_str("SERVER_EMAIL", "lotus@localhost")
DEFAULT_EXCEPTION_REPORTER_FILTER = "lotus.core.security.RedactingExceptionReporterFilter"
# Logging never carries what people typed: every handler, and the loggers Django hands
# the request to, take posted values out of each record; SQL with its parameters is
# never logged, even with DEBUG on. The "django" logger is redefined so Django's default
# error-email handler (which would show posted values) is replaced by ours.
LOGGING.setdefault("filters", {})["redact_request_data"] = {
    "()": "lotus.core.security.RedactRequestDataFilter"
}
LOGGING["handlers"]["mail_admins"] = {
    "level": "ERROR",
    "class": "django.utils.log.AdminEmailHandler",
    "include_html": False,
    "reporter_class": "lotus.core.security.RedactingExceptionReporter",
}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("redact_request_data")
LOGGING.setdefault("loggers", {})
LOGGING["loggers"]["django"] = {
    "handlers": ["mail_admins"],
    "level": env_str("LOG_LEVEL", "WARNING"),
}
for _name in ("django.request", "django.security.csrf"):
    LOGGING["loggers"].setdefault(_name, {}).setdefault("filters", []).append("redact_request_data")
LOGGING["loggers"]["django.db.backends"] = {"level": "INFO"}
# --- end SECURITY HEADERS AND ERRORS -----------------------------------------------------

# --- OBSERVABILITY (lotus.core.request_id, lotus.core.metrics, lotus.ops.metrics; ADR 0022)
# Every request gets an id (X-Request-ID, checked, or a new one) that reaches its log
# lines, its audit events and the tasks it enqueues; request counts and latencies are
# counted for /metrics. Both come first, so they cover everything after them.
MIDDLEWARE.insert(0, "lotus.core.metrics.RequestMetricsMiddleware")
MIDDLEWARE.insert(0, "lotus.core.request_id.RequestIdMiddleware")
LOGGING["filters"]["request_id"] = {"()": "lotus.core.request_id.RequestIdFilter"}
for _handler in LOGGING["handlers"].values():
    _handler["filters"].append("request_id")
# LOTUS_LOG_FORMAT=json: one JSON object a line (time, level, logger, message,
# request_id), for a log collector. The default, text, prints the message as before.
LOTUS_LOG_FORMAT = env_str("LOTUS_LOG_FORMAT", "text") or "text"
if LOTUS_LOG_FORMAT not in ("text", "json"):
    raise SettingError(f"LOTUS_LOG_FORMAT must be text or json, not {LOTUS_LOG_FORMAT!r}")
if LOTUS_LOG_FORMAT == "json":
    LOGGING.setdefault("formatters", {})["json"] = {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    }
    LOGGING["handlers"]["console"]["formatter"] = "json"
# /metrics (Prometheus) answers only a scraper that sends `Authorization: Bearer` with
# this token (or LOTUS_METRICS_TOKEN_FILE); without one it is 404 for everybody.
LOTUS_METRICS_TOKEN = env_str("LOTUS_METRICS_TOKEN") or ""
# --- end OBSERVABILITY -------------------------------------------------------------------

# --- AUDIT (lotus/audit; ADR 0005) ---------------------------------------------------
# The audit chain is HMAC-SHA256 with a key from the environment, never the database:
# LOTUS_AUDIT_KEY, or LOTUS_AUDIT_KEY_FILE naming a file that holds it. Without one, a
# public development key is used while LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY is True;
# production settings set it to False and refuse to start without LOTUS_AUDIT_KEY.
LOTUS_AUDIT_KEY = env_str("LOTUS_AUDIT_KEY") or None
LOTUS_AUDIT_ALLOW_DEVELOPMENT_KEY = True
# `manage.py flush` erases every table, the audit trail included (the test suite uses it
# between transactional tests). Production settings switch it off.
LOTUS_ALLOW_FLUSH = True

# --- REST API (lotus/api; ADR 0009) -------------------------------------------------
# /api/v1/ with an OpenAPI 3 document. Only personal bearer tokens authenticate there
# (never the session cookie), so the API needs no CSRF token and the session's MFA
# middleware can leave /api/v1/ alone. Rates: LOTUS_API_RATE_USER per token owner,
# LOTUS_API_RATE_ANON per address for unauthenticated requests ("N/second|minute|hour|day").
# Counts live in the cache: set REDIS_URL with several processes, so limits are shared.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "lotus.api"]
LOTUS_API_THROTTLE_RATES = {
    "user": env_str("LOTUS_API_RATE_USER", "600/minute"),
    "anon": env_str("LOTUS_API_RATE_ANON", "60/minute"),
}
LOTUS_API_PAGE_SIZE = env_int("LOTUS_API_PAGE_SIZE", 25, minimum=1)
LOTUS_API_TIMELINE_LIMIT = 1000  # newest timeline entries the API pages through
LOTUS_API_TOKEN_TOUCH_SECONDS = 60  # how often a token's "last used" time is written
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lotus.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["lotus.api.parsers.RedactableJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "lotus.api.negotiation.AlwaysFirstRenderer",
    "DEFAULT_THROTTLE_CLASSES": [
        "lotus.api.throttling.TokenUserRateThrottle",
        "lotus.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lotus.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LOTUS API",
    "DESCRIPTION": "The same records, rules and audit trail as the LOTUS pages, for integrations and scripts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "lotus.api.serializers.STATUS_CHOICES",
        "YesNoEnum": "lotus.api.views.triage.YES_NO_CHOICES",
        "ToolkitActionStatusEnum": "lotus.toolkit.models.ActionItem.Status",
        "ReviewStatusEnum": "lotus.learning.models.ReviewStatus",
        "LearningActionStatusEnum": "lotus.learning.models.ActionStatus",
        "AnnualReportStatusEnum": "lotus.insights.reports.models.ReportStatus",
    },
}
# --- end REST API -------------------------------------------------------------------

# --- Leadership toolkit (lotus.toolkit; docs/adr/0011-toolkit-privacy.md) ---
# A team session shows its answers together only from this many responses (never fewer than 3).
LOTUS_TOOLKIT_TEAM_MIN_RESPONSES = env_int("LOTUS_TOOLKIT_TEAM_MIN_RESPONSES", 5, minimum=3)
# The service's public address, for links in reminder emails (for example https://lotus.example.nhs.uk).
LOTUS_BASE_URL = env_str("LOTUS_BASE_URL", "")

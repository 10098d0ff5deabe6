"""Production settings (issue 3): `manage.py check --deploy --fail-level WARNING` passes,
and the settings refuse to start without a real secret key and host names.

Each case runs in a fresh Python process, because settings are read once per process.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "lotus.config.settings.production"


def production_env(**overrides) -> dict[str, str]:
    """Production settings over an empty database of their own: the checkout's var/ may hold
    the demo, which the deploy check rightly refuses (accounts.E001)."""
    ignored = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DATABASE_URL_FILE", "REDIS_URL", "LOTUS_WORKERS")
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        LOTUS_VAR_DIR=tempfile.mkdtemp(prefix="lotus-production-test-"),
        SECRET_KEY=secrets.token_urlsafe(48)[:50],
        ALLOWED_HOSTS="lotus.example.nhs.uk",
        LOTUS_AUDIT_KEY=secrets.token_urlsafe(48),
        # One gunicorn worker needs no shared cache (ops.W001); tests of that warning
        # set LOTUS_WORKERS and REDIS_URL themselves.
        LOTUS_WORKERS="1",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_at_warning_level():
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/0", LOTUS_WORKERS="3")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_several_workers_without_a_shared_cache_are_warned_about_at_start_up():
    result = run(["manage.py", "check"], production_env(REDIS_URL=None, LOTUS_WORKERS="3"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(ops.W001) 3 worker processes (LOTUS_WORKERS) run without a shared cache" in result.stderr
    single = run(["manage.py", "check"], production_env(REDIS_URL=None, LOTUS_WORKERS="1"))
    assert "ops.W001" not in single.stdout + single.stderr


def test_production_settings_values():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE','CSRF_COOKIE_SAMESITE','SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_HSTS_PRELOAD','SECURE_SSL_REDIRECT',"
        "'SECURE_PROXY_SSL_HEADER','ALLOWED_HOSTS','INSTALLED_APPS','X_FRAME_OPTIONS','LOTUS_ALLOW_FLUSH',"
        "'LOTUS_DEMO_SIGN_IN']}))"
    )
    result = run(["-c", script], production_env(DEBUG="True"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False  # even when the environment asks for it
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == ["lotus.example.nhs.uk"]
    assert "lotus.nonprod" not in values["INSTALLED_APPS"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["LOTUS_ALLOW_FLUSH"] is False
    assert values["LOTUS_DEMO_SIGN_IN"] is False  # demo accounts never skip the second factor


def test_preload_can_be_switched_off_and_the_check_still_passes():
    env = production_env(LOTUS_HSTS_PRELOAD="False")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set for production"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set for production"),
        ({"SECRET_KEY": "lotus-insecure-development-key-change-me"}, "development default"),
        ({"SECRET_KEY": "too-short"}, "at least 50 random characters"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list"),
        ({"LOTUS_AUDIT_KEY": None}, "LOTUS_AUDIT_KEY (or LOTUS_AUDIT_KEY_FILE) must be set"),
        ({"LOTUS_AUDIT_KEY": "short-audit-key"}, "LOTUS_AUDIT_KEY (or LOTUS_AUDIT_KEY_FILE) must be set"),
    ],
    ids=["no-key", "empty-key", "development-key", "short-key", "no-hosts", "any-host", "no-audit-key",
         "short-audit-key"],
)
def test_production_refuses_to_start_without_real_settings(overrides, message):
    result = run(["manage.py", "check"], production_env(**overrides))
    assert result.returncode != 0
    assert message in result.stderr

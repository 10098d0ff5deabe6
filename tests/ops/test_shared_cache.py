"""The shared cache (issue 17): REDIS_URL switches Django's cache to Redis for every
process; without it the local default stays; a wrong value stops start-up naming the
variable; Redis going away never stops a page."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings
from prometheus_client import REGISTRY

from lotus.config.backing import redis_cache
from lotus.config.env import SettingError
from lotus.core.cache import CacheUnavailable, FailSoftRedisCache, get_strict
from lotus.ops.checks import check_shared_cache

ROOT = Path(__file__).resolve().parents[2]


def settings_in_a_new_process(script: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "LOTUS_CACHE"))}
    environment.update(DJANGO_SETTINGS_MODULE="lotus.config.settings.base", **env)
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


BACKEND = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def test_without_redis_url_each_process_keeps_the_local_memory_cache():
    result = settings_in_a_new_process(BACKEND)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_switches_the_cache_to_redis():
    result = settings_in_a_new_process(BACKEND, REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "lotus.core.cache.FailSoftRedisCache"
    assert issubclass(FailSoftRedisCache, RedisCache)  # Django's own backend underneath


@pytest.mark.parametrize(
    "value",
    [
        "127.0.0.1:6379",
        "http://127.0.0.1:6379/0",
        "redis://",
        "redis://127.0.0.1:port/0",
        "redis://127.0.0.1:6379/zero",
    ],
)
def test_a_wrong_redis_url_is_refused_naming_the_variable(value):
    with pytest.raises(SettingError, match="^REDIS_URL"):
        redis_cache(value)


def test_the_message_never_shows_the_password():
    with pytest.raises(SettingError) as refused:
        redis_cache("redis://:s3cret-password@cache.example:6379/cache")
    assert "s3cret-password" not in str(refused.value)
    assert "REDIS_URL" in str(refused.value)


def test_a_wrong_redis_url_stops_start_up_with_the_message():
    result = settings_in_a_new_process(BACKEND, REDIS_URL="localhost:6379")
    assert result.returncode != 0
    assert "SettingError: REDIS_URL must start with redis://" in result.stderr


def test_a_value_set_in_one_process_is_read_in_another(redis_url, redis_prefix):
    here = FailSoftRedisCache(redis_url, redis_cache(redis_url, key_prefix=redis_prefix))
    here.set("greeting", {"from": "the test process"}, 60)
    result = settings_in_a_new_process(
        "from django.core.cache import cache; import json; print(json.dumps(cache.get('greeting')))",
        REDIS_URL=redis_url, LOTUS_CACHE_PREFIX=redis_prefix,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"from": "the test process"}


def test_clear_removes_only_lotus_keys(redis_url, redis_prefix):
    raw = redis.Redis.from_url(redis_url)
    neighbour = f"{redis_prefix}-neighbour:kept"
    raw.set(neighbour, b"another service's value", ex=60)
    try:
        cache = FailSoftRedisCache(redis_url, redis_cache(redis_url, key_prefix=redis_prefix))
        cache.set_many({"a": 1, "b": 2}, 60)
        assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
        assert cache.clear() is True
        assert cache.get_many(["a", "b"]) == {}
        assert raw.get(neighbour) == b"another service's value"
    finally:
        raw.delete(neighbour)


def test_with_redis_gone_the_cache_answers_as_an_empty_one_and_warns_once(dead_redis_url, caplog, monkeypatch):
    monkeypatch.setattr(FailSoftRedisCache, "_last_warning", 0.0)
    cache = FailSoftRedisCache(dead_redis_url, redis_cache(dead_redis_url))
    failures = REGISTRY.get_sample_value("lotus_cache_failures_total")
    with caplog.at_level(logging.WARNING, logger="lotus.cache"):
        cache.set("key", "value")
        assert cache.get("key", "fallback") == "fallback"
        assert cache.add("key", "value") is False
        assert cache.get_many(["key"]) == {}
        assert cache.has_key("key") is False
        assert cache.delete("key") is False
        assert cache.ping() is False
    warnings = [r for r in caplog.records if r.name == "lotus.cache"]
    assert len(warnings) == 1
    assert "Shared cache unavailable" in warnings[0].getMessage()
    assert REGISTRY.get_sample_value("lotus_cache_failures_total") == failures + 7  # counted for /metrics
    with pytest.raises(CacheUnavailable):
        get_strict(cache, "key")


def test_the_local_cache_is_read_as_usual_by_strict_reads():
    local = caches["default"]
    local.set("strict-read", 5)
    assert get_strict(local, "strict-read") == 5


@pytest.mark.django_db
def test_pages_still_serve_with_redis_gone(dead_redis_url):
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        assert isinstance(caches["default"], FailSoftRedisCache)
        response = Client().get("/account/sign-in/")
    assert response.status_code == 200


# -- the start-up warning (ops.W001) -------------------------------------------------


@pytest.mark.parametrize(
    ("production", "redis_set", "workers", "warned"),
    [
        (True, False, "3", True),
        (True, False, "1", False),
        (True, True, "3", False),
        (False, False, "3", False),
    ],
)
def test_production_warns_when_several_workers_have_no_shared_cache(
    settings, monkeypatch, production, redis_set, workers, warned
):
    settings.LOTUS_PRODUCTION = production
    settings.REDIS_URL = "redis://127.0.0.1:6379/0" if redis_set else ""
    monkeypatch.setenv("LOTUS_WORKERS", workers)
    found = check_shared_cache(None)
    assert [message.id for message in found] == (["ops.W001"] if warned else [])
    if warned:
        assert "3 worker processes (LOTUS_WORKERS)" in found[0].msg
        assert "REDIS_URL" in found[0].hint


def test_a_malformed_worker_count_is_an_error_naming_it(settings, monkeypatch):
    settings.LOTUS_PRODUCTION = True
    settings.REDIS_URL = ""
    monkeypatch.setenv("LOTUS_WORKERS", "many")
    (error,) = check_shared_cache(None)
    assert error.id == "ops.E001"
    assert "LOTUS_WORKERS" in error.msg

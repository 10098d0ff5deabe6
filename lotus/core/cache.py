"""The shared cache (Redis, when REDIS_URL is set) and how LOTUS behaves when it is gone.

Django's own Redis backend raises whenever Redis cannot be reached, which would turn a
cache outage into an outage of every page that touches the cache (the API's rate limits
do on every request). LOTUS keeps nothing in the cache that it cannot rebuild or do
without, so `FailSoftRedisCache` answers as an empty cache instead: a read finds
nothing, a write is dropped, and a warning is logged (at most once a minute per process,
so an outage does not flood the log). Readiness (lotus.ops.health) reports the outage.

`clear()` removes only LOTUS's own keys (those under its KEY_PREFIX), never the whole
Redis database, which another service may share.

The API's rate limits can be told to refuse requests rather than let them through while
the cache is down (LOTUS_API_RATE_LIMIT_FAIL_CLOSED); `get_strict` is what they read with.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from lotus.core.metrics import CACHE_FAILURES

logger = logging.getLogger("lotus.cache")

WARNING_INTERVAL_SECONDS = 60


class CacheUnavailable(Exception):
    """The shared cache could not be reached (raised only by the strict reads)."""


class FailSoftRedisCache(RedisCache):
    _last_warning = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        CACHE_FAILURES.inc()  # exported by /metrics
        now = time.monotonic()
        if now - type(self)._last_warning >= WARNING_INTERVAL_SECONDS:
            type(self)._last_warning = now
            # The error's class and message say refused, timed out or authentication;
            # the URL (which may hold a password) is never logged.
            logger.warning(
                "Shared cache unavailable (%s: %s: %s); carrying on without it",
                operation, type(error).__name__, error,
            )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._failed("get", error)
            return default

    def get_strict(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._failed("get", error)
            raise CacheUnavailable(str(error)) from error

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._failed("set", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._failed("add", error)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._failed("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._failed("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._failed("has_key", error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._failed("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._failed("delete_many", error)

    def clear(self):
        """Remove LOTUS's keys only (SCAN, then DEL in batches), not the whole database."""
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        try:
            client = self._cache.get_client(None, write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) >= 500:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        except RedisError as error:
            self._failed("clear", error)
            return False
        return True

    def ping(self) -> bool:
        """Whether Redis answers now (used by readiness)."""
        try:
            return bool(self._cache.get_client(None, write=True).ping())
        except RedisError as error:
            self._failed("ping", error)
            return False


def get_strict(cache, key, default=None):
    """Read `key`, raising CacheUnavailable if the shared cache cannot be reached. Any
    other cache (the local one by default) is read as usual."""
    strict = getattr(cache, "get_strict", None)  # also through django.core.cache.cache, a proxy
    if strict is not None:
        return strict(key, default)
    return cache.get(key, default)

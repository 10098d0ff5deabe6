"""API rate limits in the shared cache (issue 17): with REDIS_URL the counts live in Redis,
where every process reads them; with Redis gone the API still answers (or, when told to
fail closed, refuses with 503 and says why)."""

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from lotus.config.backing import redis_cache
from tests.api.conftest import API, bearer_client


@pytest.fixture
def shared_cache(redis_url, redis_prefix):
    with override_settings(CACHES={"default": redis_cache(redis_url, key_prefix=redis_prefix)}):
        yield redis.Redis.from_url(redis_url), redis_prefix


def test_the_counts_are_kept_in_redis_and_every_process_sees_them(world, token_for, settings, shared_cache):
    raw, prefix = shared_cache
    settings.LOTUS_API_THROTTLE_RATES = {"user": "2/minute", "anon": "100/minute"}
    api = bearer_client(token_for("case_manager"))
    assert [api.get(f"{API}/organisations/").status_code for _ in range(2)] == [200, 200]
    keys = [key.decode() for key in raw.scan_iter(match=f"{prefix}:*")]
    assert any("throttle_user" in key for key in keys), keys
    # A new process starts with no memory of its own: drop this one's connections and
    # cache objects, and the count read back from Redis still refuses the third request.
    caches["default"].close()
    del caches["default"]
    assert api.get(f"{API}/organisations/").status_code == 429


def test_with_redis_gone_the_api_still_answers(world, token_for, settings, dead_redis_url):
    settings.LOTUS_API_THROTTLE_RATES = {"user": "1/minute", "anon": "1/minute"}
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        api = bearer_client(token_for("case_manager"))
        # Nothing can be counted, so nothing is refused: the limits are off until Redis is back.
        assert [api.get(f"{API}/organisations/").status_code for _ in range(3)] == [200, 200, 200]


def test_fail_closed_refuses_with_503_while_redis_is_gone(world, token_for, settings, dead_redis_url):
    settings.LOTUS_API_RATE_LIMIT_FAIL_CLOSED = True
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        response = bearer_client(token_for("case_manager")).get(f"{API}/organisations/")
    assert response.status_code == 503
    assert response.json() == {
        "errors": {"detail": ["The service cannot check its rate limits just now. Try again in a few minutes"]}
    }


def test_fail_closed_changes_nothing_while_redis_answers(world, token_for, settings, shared_cache):
    settings.LOTUS_API_RATE_LIMIT_FAIL_CLOSED = True
    settings.LOTUS_API_THROTTLE_RATES = {"user": "1/minute", "anon": "100/minute"}
    api = bearer_client(token_for("case_manager"))
    assert [api.get(f"{API}/organisations/").status_code for _ in range(2)] == [200, 429]

"""Rate limits for the API, read from settings when each request is checked (not at import),
so an operator's LOTUS_API_RATE_* and a test's override both take effect.

The counts live in Django's default cache: per process without REDIS_URL, shared by every
process with it (lotus.core.cache). While a shared cache is down the limits are not
counted and requests go through, unless LOTUS_API_RATE_LIMIT_FAIL_CLOSED is True: then
the API answers 503 until the cache is back.
"""

from django.conf import settings
from django.core.cache import cache as default_cache
from rest_framework import exceptions, status
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from lotus.core.cache import CacheUnavailable, get_strict


class RateLimitUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service cannot check its rate limits just now. Try again in a few minutes"
    default_code = "rate_limit_unavailable"


class _StrictCache:
    """The default cache, with reads that raise when the shared cache is out of reach."""

    def get(self, key, default=None):
        try:
            return get_strict(default_cache, key, default)
        except CacheUnavailable as error:
            raise RateLimitUnavailable from error

    def set(self, key, value, timeout=None):
        default_cache.set(key, value, timeout)


class _RatesFromSettings:
    def get_rate(self):
        return settings.LOTUS_API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.cache = _StrictCache() if settings.LOTUS_API_RATE_LIMIT_FAIL_CLOSED else default_cache
        return super().allow_request(request, view)


class TokenUserRateThrottle(_RatesFromSettings, UserRateThrottle):
    scope = "user"


class AnonymousRateThrottle(_RatesFromSettings, AnonRateThrottle):
    scope = "anon"

"""Rate limits for the API, read from settings when each request is checked (not at import),
so an operator's LOTUS_API_RATE_* and a test's override both take effect."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RatesFromSettings:
    def get_rate(self):
        return settings.LOTUS_API_THROTTLE_RATES.get(self.scope)


class TokenUserRateThrottle(_RatesFromSettings, UserRateThrottle):
    scope = "user"


class AnonymousRateThrottle(_RatesFromSettings, AnonRateThrottle):
    scope = "anon"

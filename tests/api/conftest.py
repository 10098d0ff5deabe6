"""API fixtures: a bearer token per role in the shared `world`, and a client that sends it.

Rate-limit counts live in the cache; it is cleared before every test so no test is
throttled by another's requests, and the limits are raised except where a test sets them.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from lotus.api.services import api_token_create

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.LOTUS_API_THROTTLE_RATES = {"user": "100000/minute", "anon": "100000/minute"}
    cache.clear()
    yield
    cache.clear()


def bearer_client(raw_token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}
    return Client(headers=headers)


@pytest.fixture
def token_for(world):
    made = {}

    def make(role: str) -> str:
        if role not in made:
            made[role] = api_token_create(actor=None, user=world.users[role], name=f"{role} test", expires_days=30).raw
        return made[role]

    return make


@pytest.fixture
def api_for(token_for):
    def make(role: str) -> Client:
        return bearer_client(None if role == "anonymous" else token_for(role))

    return make

"""Performance plan fixtures: the API's token clients, for the tests that read the API."""

from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: F401 - API fixtures

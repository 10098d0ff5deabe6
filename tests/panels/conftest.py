"""The shared panel fixtures (tests/panel_fixtures.py), and the API fixtures for the panel API tests."""

from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: F401 - API fixtures
from tests.panel_fixtures import awaiting, item, meeting, panel_members  # noqa: F401

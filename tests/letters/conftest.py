"""The shared panel fixtures (tests/panel_fixtures.py): a meeting, an item, a decision and its letter;
and the API fixtures for the letter API tests."""

from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: F401 - API fixtures
from tests.panel_fixtures import (  # noqa: F401
    awaiting,
    decision,
    item,
    letter,
    meeting,
    panel_members,
    second_manager,
)

"""Fixtures for the insights tests: the panel's meeting and agenda item (tests/panel_fixtures.py),
for the consistency prompt on the decision form."""

from tests.api.conftest import token_for  # noqa: F401, E402 - the API token fixture, for the equity API checks
from tests.panel_fixtures import awaiting, item, meeting, panel_members  # noqa: F401 - fixtures

"""The shared panel fixtures (tests/panel_fixtures.py): a meeting, an item, a decision and its letter."""

from tests.panel_fixtures import (  # noqa: F401
    awaiting,
    decision,
    item,
    letter,
    meeting,
    panel_members,
    second_manager,
)

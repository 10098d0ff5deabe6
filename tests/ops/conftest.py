"""Fixtures of the ops tests: real LOTUS processes (tests.ops.processes)."""

from tests.ops.processes import processes  # noqa: F401 - a fixture

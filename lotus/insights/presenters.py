"""Helpers for the insights templates."""

from markupsafe import Markup


def chart_markup(svg: str) -> Markup:
    """A chart from lotus.insights.charts, to include as it is. It was built with
    ElementTree, which escaped every label and value (tests/insights/test_charts.py)."""
    return Markup(svg)  # noqa: S704  # nosec B704  # built and escaped by ElementTree

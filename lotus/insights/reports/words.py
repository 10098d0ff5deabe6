"""The words of the annual reports and the ICB's view, from
lotus/insights/content/reports.yaml. Pure: no Django import."""

from __future__ import annotations

import functools
import pathlib

import yaml

CONTENT = pathlib.Path(__file__).resolve().parents[1] / "content" / "reports.yaml"


@functools.cache
def content() -> dict:
    with CONTENT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def words(*path: str, **values) -> str:
    """The text at `path` (for example "parts", "learning", "none"), on one line, with
    its {placeholders} filled from `values`."""
    node = content()
    for key in path:
        node = node[key]
    return " ".join(str(node).split()).format(**values)

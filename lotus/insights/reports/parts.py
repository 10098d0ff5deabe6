"""The parts of an annual report, and how a new kind of report or a new part is added.
Pure: no Django import.

A kind of report is the parts registered for it, in order. The lessons-learnt report
(lotus/insights/reports/lessons.py) has three: the themes and trends figures, the
learning summaries shared in the year, and the improvement actions with their assurance.
The report adds its own introduction before them and its sign-off after them.

Each part has three functions:

- `build(context)`: the part's figures and words for the year, as plain JSON values
  (dicts, lists, strings, numbers). Called once, when an administrator approves the
  report; what it returns is kept in the report's snapshot and never computed again. It
  reads the organisation `context.organisation_id` in a fixed number of queries.
- `lines(data)`: the part laid out for paper and for the API, as lotus.core.documents
  `Line`s, from its kept data only.
- `template`: the Jinja template that shows the part on a page, from its kept data only,
  as `present(data)` prepares it (by default the data as it is).

The annual equity report (issue 13, lotus/insights/reports/equity.py) is the second
kind: its kind is in `ReportKind`, and its parts are registered with `kinds={"equity"}`
from a module listed in `PART_MODULES`. Adding a part to the lessons-learnt report is the
same with `kinds={"lessons_learnt"}`. A part's data, once a
report holding it has been issued, is read for as long as the report is kept: change how
it is shown freely, but keep reading the data that was stored (or give the data a new
`slug`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: Modules that register parts, imported when the app is ready (lotus.insights.apps).
PART_MODULES: tuple[str, ...] = ("lotus.insights.reports.lessons", "lotus.insights.reports.equity")


@dataclass(frozen=True)
class ReportContext:
    """What a part's `build` needs: whose figures, which year, as at when."""

    organisation_id: int
    year: int
    #: The year as aware date-times: from the first moment of 1 January to the first of the next.
    start: dt.datetime
    end: dt.datetime
    as_at: dt.datetime
    threshold: int


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    #: Parts are shown in this order (then by slug).
    order: int
    #: The kinds of report (ReportKind values) this part belongs to.
    kinds: frozenset[str]
    build: Callable[[ReportContext], dict]
    lines: Callable[[dict], Sequence[Any]]
    template: str
    present: Callable[[dict], Any] = lambda data: data


_REGISTRY: dict[str, Part] = {}


def register(part: Part) -> Part:
    """Add `part`; registering the same slug twice with a different part is refused."""
    existing = _REGISTRY.get(part.slug)
    if existing is not None and existing != part:
        raise ValueError(f"A report part called {part.slug!r} is already registered")
    _REGISTRY[part.slug] = part
    return part


def parts_for(kind: str) -> list[Part]:
    """The parts of a kind of report, in order."""
    return sorted((p for p in _REGISTRY.values() if kind in p.kinds), key=lambda p: (p.order, p.slug))


def part(slug: str) -> Part | None:
    return _REGISTRY.get(slug)

"""The sections of the themes and trends page, and how a new one is added. Pure: no
Django import.

A section is a heading on the page with one or more blocks (a chart and its table). Its
loader takes the scope (lotus.insights.selectors.Scope: the organisation whose figures
are shown, and today) and a period of whole calendar years, and returns blocks of records
(lotus.insights.themes.CountBlock or MedianBlock); this app does the rest: suppression,
charts, tables, the CSV download, the audit event and the filters. So a section cannot
forget to suppress small numbers, and the page, its CSV and its query count behave the
same for every section.

Adding a section, for example the lessons-learnt reviews of `learning` (issue 12):

1. In `learning`, a selector that returns the rows to count, for one organisation, in a fixed number of queries whatever the data size. `learning` never
   imports `insights`: DESIGN.md puts `insights` above the case apps, so it is the one
   that reaches down.
2. Here, a module (say `lotus/insights/learning_sections.py`) whose loader calls that
   selector, builds the blocks, and passes a `Section` to `register`; add the module to
   `SECTION_MODULES` so the app loads it at start-up. Its words go in
   `lotus/insights/content/themes.yaml`.
3. Give every new block's CSV a row in the access matrix (tests/test_access_matrix.py).

A loader must return records for every group (profession), not only the one chosen: the
tables are protected per quarter across all groups (ADR 0020).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: Modules that register sections, imported when the app is ready (lotus.insights.apps).
SECTION_MODULES: tuple[str, ...] = ("lotus.insights.loaders", "lotus.insights.learning_sections")


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    #: Sections are shown in this order (then by slug).
    order: int
    #: load(scope, period) -> blocks, for scope.organisation_id and the whole years of
    #: `period`. It must check nothing itself: the selector that calls it has checked the
    #: figures may be seen, and it must use a fixed number of queries.
    load: Callable[[Any, Any], Sequence[Any]]


_REGISTRY: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add `section`; registering the same slug twice with a different section is refused."""
    existing = _REGISTRY.get(section.slug)
    if existing is not None and existing != section:
        raise ValueError(f"A section called {section.slug!r} is already registered")
    _REGISTRY[section.slug] = section
    return section


def registered() -> list[Section]:
    return sorted(_REGISTRY.values(), key=lambda section: (section.order, section.slug))

"""Reads for the insights pages. Every one that takes the user answers 404 to anyone who
may not see it and writes an audit event: aggregates about cases are special-category
data too, even with small numbers hidden.

`figures` builds the themes and trends figures for any organisation and period, by
quarter or by year, and checks nothing: it is for callers that have checked access
themselves (the page below; an ICB's view of its members, ADR 0023, for one year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lotus.accounts.models import Organisation, User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny
from lotus.core.suppression import MINIMUM_THRESHOLD, SUPPRESSION_THRESHOLD
from lotus.insights.models import InsightsSettings
from lotus.insights.periods import BY_QUARTER, BY_YEAR, Period, Quarter
from lotus.insights.sections import registered
from lotus.insights.themes import BlockView, Options, block_views

THEMES_PERM = "insights.view_themes"
SETTINGS_PERM = "insights.change_settings"


def threshold_for(organisation_id: int) -> int:
    """The organisation's small-numbers threshold (its setting, 8 by default), never
    below lotus.core.suppression.MINIMUM_THRESHOLD whatever is stored. One query."""
    stored = (InsightsSettings.objects.filter(organisation_id=organisation_id)
              .values_list("suppression_threshold", flat=True).first())
    return max(stored or SUPPRESSION_THRESHOLD, MINIMUM_THRESHOLD)


@dataclass(frozen=True)
class Scope:
    """Whose figures a loader reads, and what day it is (for what is overdue, and which
    quarters of this year have begun)."""

    organisation_id: int
    today: dt.date


@dataclass(frozen=True)
class SectionView:
    slug: str
    title: str
    summary: str
    blocks: tuple[BlockView, ...]


def require_themes(user: User, *, request=None) -> None:
    if not user.has_perm(THEMES_PERM):
        raise deny(user, request, "themes and trends", user.organisation_id)


def organisations_for(user: User) -> list[tuple[int, str]]:
    """The organisations whose themes `user` may see, as (id, name), their own first.
    Today that is their own; an ICB's analysts will see their member providers' too
    (ADR 0023 adds them here)."""
    own = Organisation.objects.filter(pk=user.organisation_id).values_list("pk", "name").first()
    return [own] if own else []


def figures(organisation_id: int, *, period: Period, today: dt.date, by: str = BY_QUARTER,
            profession: str | None = None, threshold: int | None = None) -> list[SectionView]:
    """Every section of the themes and trends page for one organisation, small numbers
    suppressed. Checks nothing: the caller has checked that the figures may be seen.
    A fixed number of queries, whatever the number of cases.

    Each loader reads whole calendar years (those the period touches, up to today), so
    that a year's quarters and the year are protected together whatever the period."""
    current = Quarter.of(today)
    options = Options(period=period, current=current, by=by, group=profession,
                      threshold=threshold_for(organisation_id) if threshold is None else threshold)
    scope = Scope(organisation_id, today)
    years = period.whole_years(current)
    found = []
    for section in registered():
        blocks = []
        for block in section.load(scope, years):
            blocks.extend(block_views(block, options))
        found.append(SectionView(section.slug, section.title, section.summary, tuple(blocks)))
    return found


def year_figures(organisation_id: int, year: int, *, today: dt.date) -> list[SectionView]:
    """One calendar year's figures for one organisation, by year (for the annual report
    and an ICB's view of its members, ADR 0023). Checks nothing, as `figures`."""
    return figures(organisation_id, period=Period.year(year, Quarter.of(today)), today=today, by=BY_YEAR)


def _filters(period: Period, profession: str | None, by: str, organisation_id: int) -> dict:
    return {"start": period.first.label, "end": period.last.label, "profession": profession or "", "by": by,
            "organisation": organisation_id}


def _allowed(user: User, organisation_id: int | None, request) -> int:
    chosen = user.organisation_id if organisation_id is None else organisation_id
    if chosen not in {pk for pk, _ in organisations_for(user)}:
        raise deny(user, request, "themes and trends", chosen)
    return chosen


def themes(user: User, *, period: Period, profession: str | None, today: dt.date, by: str = BY_QUARTER,
           organisation_id: int | None = None, request=None) -> list[SectionView]:
    """Every section of the themes and trends page for an organisation the user may see
    (their own by default), small numbers suppressed, audited."""
    require_themes(user, request=request)
    chosen = _allowed(user, organisation_id, request)
    found = figures(chosen, period=period, today=today, by=by, profession=profession)
    audit_append(action=Actions.VIEW, actor=user, object_type="themes and trends", object_id=chosen,
                 organisation_id=user.organisation_id, request=request,
                 details=_filters(period, profession, by, chosen))
    return found


def themes_table(user: User, slug: str, *, period: Period, profession: str | None, today: dt.date,
                 by: str = BY_QUARTER, organisation_id: int | None = None, request=None) -> BlockView:
    """One table of the page, for its CSV download; 404 for a table that is not there."""
    require_themes(user, request=request)
    chosen = _allowed(user, organisation_id, request)
    for section in figures(chosen, period=period, today=today, by=by, profession=profession):
        for block in section.blocks:
            if block.slug == slug:
                audit_append(action=Actions.EXPORT, actor=user, object_type="themes and trends", object_id=chosen,
                             organisation_id=user.organisation_id, request=request,
                             details={**_filters(period, profession, by, chosen), "table": slug})
                return block
    raise deny(user, request, "themes and trends table", slug)


def require_settings(user: User, *, request=None) -> None:
    if not user.has_perm(SETTINGS_PERM):
        raise deny(user, request, "insights settings", user.organisation_id)


def threshold_setting(user: User, *, request=None) -> int:
    require_settings(user, request=request)
    return threshold_for(user.organisation_id)

"""Reads for the equity dashboard and the workforce figures. Each takes the user, answers
404 to anyone who may not see it and writes an audit event.

`equity_figures(organisation_id, year)` builds every figure for one organisation and
year without a user, for other readers inside LOTUS that check access themselves (an
annual report, an integrated care board's view of its providers): what it returns is
already suppressed and holds no person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.selectors import deny  # noqa: F401  (re-exported for the views)
from lotus.insights.equity import loaders
from lotus.insights.equity.fairness import Fairness, build_fairness
from lotus.insights.equity.figures import POOLED_YEARS, TREND_YEARS, Dashboard, build_dashboard
from lotus.insights.equity.services import current_figures, period_label
from lotus.insights.models import WorkforceFigures
from lotus.insights.selectors import threshold_for

DASHBOARD_PERM = "insights.read_equality_aggregates"
WORKFORCE_PERM = "insights.view_workforce"


@dataclass(frozen=True)
class EquityFigures:
    organisation_id: int
    dashboard: Dashboard
    fairness: Fairness


def equity_figures(organisation_id: int, year: int, *, threshold: int | None = None) -> EquityFigures:
    """Every figure of the dashboard for one organisation and year, small numbers
    suppressed. A fixed number of queries, whatever the number of cases."""
    threshold = threshold_for(organisation_id) if threshold is None else max(threshold, threshold_for(organisation_id))
    first_year = year - max(TREND_YEARS, POOLED_YEARS) + 1
    facts = loaders.case_facts(organisation_id, first_year, year)
    workforce = loaders.workforce(organisation_id, first_year, year)
    dashboard = build_dashboard(facts, workforce, year=year, threshold=threshold)
    fairness = build_fairness([one for one in facts if one.year == year], dashboard.colour_shown, threshold=threshold)
    return EquityFigures(organisation_id, dashboard, fairness)


def require_dashboard(user: User, *, request=None) -> None:
    if not user.has_perm(DASHBOARD_PERM):
        raise deny(user, request, "equity dashboard", user.organisation_id)


def dashboard_years(user: User) -> list[int]:
    """The years the dashboard can show: from the first concern received to this year."""
    this_year = timezone.localdate().year
    years = loaders.case_years(user.organisation_id)
    earliest = min(years, default=this_year)
    return list(range(this_year, earliest - 1, -1))


def default_year(user: User) -> int:
    """The latest year with a concern received (this year when there are none)."""
    years = loaders.case_years(user.organisation_id)
    return years[0] if years else timezone.localdate().year


def equity_dashboard(user: User, *, year: int, request=None) -> EquityFigures:
    require_dashboard(user, request=request)
    figures = equity_figures(user.organisation_id, year)
    audit_append(action=Actions.VIEW, actor=user, object_type="equity dashboard", object_id=user.organisation_id,
                 request=request, details={"year": year})
    return figures


def equity_export(user: User, *, year: int, table: str, request=None) -> EquityFigures:
    """The figures behind one download; the download itself is audited as an export."""
    require_dashboard(user, request=request)
    figures = equity_figures(user.organisation_id, year)
    audit_append(action=Actions.EXPORT, actor=user, object_type="equity dashboard", object_id=user.organisation_id,
                 request=request, details={"year": year, "table": table})
    return figures


# --------------------------------------------------------------------------- workforce figures


def require_workforce(user: User, *, request=None) -> None:
    if not user.has_perm(WORKFORCE_PERM):
        raise deny(user, request, "workforce figures", user.organisation_id)


@dataclass(frozen=True)
class WorkforceSet:
    year: int
    quarter: int
    label: str
    source: str
    how: str
    entered_by: str
    entered_at: object
    headcounts: dict


def workforce_sets(user: User, *, request=None) -> list[WorkforceSet]:
    """The current figures of every period, newest first, with each profession's headcount."""
    require_workforce(user, request=request)
    sets = list(WorkforceFigures.objects.filter(organisation_id=user.organisation_id, superseded_at__isnull=True)
                .select_related("entered_by").prefetch_related("headcounts"))
    found = []
    for one in sets:
        totals: dict[str, dict[str, int]] = {}
        for row in one.headcounts.all():
            totals.setdefault(row.profession, {}).setdefault(row.characteristic, 0)
            totals[row.profession][row.characteristic] += row.headcount
        headcounts = {profession: max(by.values()) for profession, by in totals.items()}
        found.append(WorkforceSet(one.year, one.quarter, one.period_label, one.source, one.get_how_display(),
                                  one.entered_by.full_name if one.entered_by else "LOTUS", one.entered_at, headcounts))
    audit_append(action=Actions.LIST, actor=user, object_type="workforce figures", object_id=user.organisation_id,
                 request=request)
    return found


def workforce_period(user: User, *, year: int, quarter: int, request=None, export: bool = False) -> dict:
    """The current figures of one period ({(profession, characteristic, group): headcount})."""
    require_workforce(user, request=request)
    figures = current_figures(user.organisation_id, year, quarter)
    audit_append(action=Actions.EXPORT if export else Actions.VIEW, actor=user, object_type="workforce figures",
                 object_id=period_label(year, quarter), organisation_id=user.organisation_id, request=request)
    return figures


"""Writes of workforce figures: entered on the page (one profession at a time), uploaded
as a CSV file, or sent through the API. Each is checked whole (lotus.insights.equity.
workforce_csv) and saved in one transaction as a new set of figures for the period; the
set it replaces is kept, marked superseded. Nothing is saved if anything is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.insights.equity import loaders
from lotus.insights.equity.workforce_csv import (
    Key,
    Problem,
    check_figures,
    decode,
    read_csv,
    read_entries,
)
from lotus.insights.models import WHOLE_YEAR, WorkforceFigures, WorkforceHeadcount

CHANGE_PERM = "insights.change_workforce"
EARLIEST_YEAR = 2000


class WorkforceRejected(Exception):
    """The figures were not saved; `problems` says every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.text for problem in problems))
        self.problems = problems


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter == WHOLE_YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


def period_label(year: int, quarter: int) -> str:
    return str(year) if quarter == WHOLE_YEAR else f"{year} Q{quarter}"


def period_problems(year, quarter, *, today: dt.date) -> list[Problem]:
    """What is wrong with the period asked for (each naming its field as the key)."""
    problems = []
    if isinstance(year, bool) or not isinstance(year, int) or not EARLIEST_YEAR <= year <= today.year:
        problems.append(Problem(f"Enter a year from {EARLIEST_YEAR} to {today.year}", key=("year", "", "")))
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 0 <= quarter <= 4:
        problems.append(Problem("Choose the whole year or a quarter", key=("quarter", "", "")))
    elif not problems and period_bounds(year, quarter)[0] > today:
        problems.append(Problem("Choose a quarter that has started", key=("quarter", "", "")))
    return problems


def _require(actor: User) -> None:
    if not actor.has_perm(CHANGE_PERM):
        raise PermissionDenied


def current_set(organisation_id: int, year: int, quarter: int) -> WorkforceFigures | None:
    return WorkforceFigures.objects.filter(organisation_id=organisation_id, year=year, quarter=quarter,
                                           superseded_at__isnull=True).first()


def current_figures(organisation_id: int, year: int, quarter: int) -> dict[Key, int]:
    return {
        (profession, characteristic, group): headcount
        for profession, characteristic, group, headcount in WorkforceHeadcount.objects.filter(
            figures__organisation_id=organisation_id, figures__year=year, figures__quarter=quarter,
            figures__superseded_at__isnull=True,
        ).values_list("profession", "characteristic", "group", "headcount")
    }


def _save(*, actor: User, organisation_id: int, year: int, quarter: int, figures: Mapping[Key, int], how: str,
          source: str, request, details: dict) -> WorkforceFigures:
    now = timezone.now()
    WorkforceFigures.objects.select_for_update().filter(
        organisation_id=organisation_id, year=year, quarter=quarter, superseded_at__isnull=True
    ).update(superseded_at=now, superseded_by=actor)
    saved = WorkforceFigures(organisation_id=organisation_id, year=year, quarter=quarter, source=source[:200],
                             how=how, entered_by=actor, entered_at=now)
    saved.full_clean()
    saved.save()
    WorkforceHeadcount.objects.bulk_create([
        WorkforceHeadcount(figures=saved, profession=profession, characteristic=characteristic, group=group,
                           headcount=headcount)
        for (profession, characteristic, group), headcount in sorted(figures.items())
    ])
    audit_append(action=Actions.CREATE, actor=actor, object_type="workforce figures", object_id=saved.pk,
                 organisation_id=organisation_id, request=request,
                 details={"period": period_label(year, quarter), "how": how, "rows": len(figures), **details})
    return saved


def _checked(year, quarter) -> None:
    problems = period_problems(year, quarter, today=timezone.localdate())
    if problems:
        raise WorkforceRejected(problems)


@transaction.atomic
def workforce_save_profession(*, actor: User, year: int, quarter: int, profession: str,
                              figures: Mapping[tuple[str, str], int | None], source: str = "",
                              request=None) -> WorkforceFigures:
    """One profession's figures as entered on the page ({(characteristic, group): headcount
    or None}); a characteristic left wholly blank is left out. The other professions'
    figures for the period stay as they were."""
    _require(actor)
    _checked(year, quarter)
    given = {(profession, code, group): value for (code, group), value in figures.items() if value is not None}
    blanks = [(profession, code, group) for (code, group), value in figures.items() if value is None]
    problems = []
    for key in blanks:
        if any(other[:2] == key[:2] for other in given):
            problems.append(Problem("Enter a headcount (0 if there is nobody in this group), or leave every group "
                                    "of this characteristic blank", key=key))
    first, last = period_bounds(year, quarter)
    register = loaders.register_counts(actor.organisation_id, first, last)
    problems += check_figures(given, register=register, period=period_label(year, quarter))
    if problems:
        raise WorkforceRejected(problems)
    merged = {key: value for key, value in current_figures(actor.organisation_id, year, quarter).items()
              if key[0] != profession}
    merged.update(given)
    return _save(actor=actor, organisation_id=actor.organisation_id, year=year, quarter=quarter, figures=merged,
                 how="page", source=source, request=request, details={"profession": profession})


def _refused(actor: User, year: int, quarter: int, problems: list[Problem], request) -> WorkforceRejected:
    audit_append(action=Actions.UPLOAD_REFUSED, actor=actor, object_type="workforce figures",
                 object_id=period_label(year, quarter), organisation_id=actor.organisation_id, request=request,
                 details={"problems": len(problems)})
    return WorkforceRejected(problems)


def workforce_replace(*, actor: User, year: int, quarter: int, entries: list, source: str = "",
                      request=None) -> WorkforceFigures:
    """Every figure of the period from a list of {profession, characteristic, group,
    headcount} (the API), checked as a file is; it replaces the period's figures whole."""
    _require(actor)
    _checked(year, quarter)
    first, last = period_bounds(year, quarter)
    register = loaders.register_counts(actor.organisation_id, first, last)
    reading = read_entries(entries, register=register, period=period_label(year, quarter))
    if not reading.ok:
        raise _refused(actor, year, quarter, reading.problems, request)
    with transaction.atomic():
        return _save(actor=actor, organisation_id=actor.organisation_id, year=year, quarter=quarter,
                     figures=reading.figures, how="api", source=source, request=request, details={})


def workforce_upload(*, actor: User, year: int, quarter: int, data: bytes, source: str = "", how: str = "upload",
                     request=None) -> WorkforceFigures:
    """Every figure of the period from a CSV file in the template's shape. It replaces the
    period's figures whole; nothing is saved unless every row is right."""
    _require(actor)
    _checked(year, quarter)
    text, problem = decode(data)
    if problem is not None:
        raise WorkforceRejected([problem])
    first, last = period_bounds(year, quarter)
    register = loaders.register_counts(actor.organisation_id, first, last)
    reading = read_csv(text, register=register, period=period_label(year, quarter))
    if not reading.ok:
        raise _refused(actor, year, quarter, reading.problems, request)
    # The refusal above is audited outside any transaction, so raising does not undo it.
    with transaction.atomic():
        return _save(actor=actor, organisation_id=actor.organisation_id, year=year, quarter=quarter,
                     figures=reading.figures, how=how, source=source, request=request, details={})

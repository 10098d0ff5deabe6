"""The sections of the themes and trends page about cases: concerns received, time at
each stage, panel outcomes (lotus.insights.learning_sections has the lessons-learnt
one). Each loader reads one organisation's records for a period in one query, whatever
the number of cases, and returns blocks of records for lotus.insights.themes to count,
protect and draw (lotus/insights/sections.py says how to add another). Counts are made
in the database, one row per quarter, row, profession and person with how many things
that person accounts for, so what comes back grows with people, not with cases."""

from __future__ import annotations

import datetime as dt
import functools
import pathlib

import yaml
from django.db.models import Count, F, Subquery
from django.utils import timezone

from lotus.cases.models import Case, Category, Source, TimelineEvent
from lotus.cases.workflow import OPEN_STATUSES, STATUS_LABELS, Status
from lotus.core.buckets import bucket, in_range
from lotus.core.workdays import working_days_between
from lotus.insights.periods import Period, Quarter
from lotus.insights.sections import Section, register
from lotus.insights.themes import (
    CountBlock,
    CountRecord,
    MedianBlock,
    Move,
    ValueRecord,
    Wording,
    status_spells,
    title_moves,
)
from lotus.panels.models import Decision
from lotus.panels.outcomes import OUTCOME_LABELS, Outcome
from lotus.practitioners.models import Profession

CONTENT = pathlib.Path(__file__).resolve().parent / "content" / "themes.yaml"


@functools.cache
def content() -> dict:
    with CONTENT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def words(slug: str) -> Wording:
    block = content()["blocks"][slug]
    return Wording(
        title=block["title"], row_heading=block["row_heading"], unit=block["unit"],
        note=(block.get("note") or "").strip(),
    )


def professions() -> tuple[tuple[str, str], ...]:
    return tuple(Profession.choices)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_edges(quarters: list[Quarter]) -> list[dt.date]:
    """The first day of each quarter and the day after the last: edges for
    lotus.core.buckets on a date."""
    return [q.first_day for q in quarters] + [quarters[-1].last_day + dt.timedelta(days=1)]


def edges_of(quarters: list[Quarter]) -> list[dt.datetime]:
    """The same edges as aware date-times at midnight, for a date-time field."""
    return [_midnight(day) for day in day_edges(quarters)]


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware date-times: from the first day's start to the day after the last."""
    start = timezone.make_aware(dt.datetime.combine(period.first.first_day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.last.last_day + dt.timedelta(days=1), dt.time.min))
    return start, end


# --------------------------------------------------------------------------- concerns received


def concerns(scope, period: Period) -> list[CountBlock]:
    quarters = period.quarters
    edges = day_edges(quarters)
    rows = (
        Case.objects.filter(in_range("received_on", edges), organisation_id=scope.organisation_id)
        .annotate(period=bucket("received_on", edges), profession=F("practitioner__profession"))
        .values("period", "source", "categories", "profession", "practitioner_id")
        .annotate(n=Count("pk")).order_by()
        .values_list("period", "source", "categories", "practitioner_id", "profession", "n")
    )
    by_source, by_category = [], []
    for index, source, categories, person, profession, n in rows:
        quarter = quarters[index]
        by_source.append(CountRecord(quarter, source, profession, person, n))
        for category in dict.fromkeys(categories or ()):
            by_category.append(CountRecord(quarter, category, profession, person, n))
    groups = professions()
    return [
        CountBlock("concerns-by-source", words("concerns-by-source"), tuple(Source.choices), groups, by_source,
                   additive=True, chart="stacked", by_group=("concerns-by-profession", words("concerns-by-profession"))),
        CountBlock("concerns-by-category", words("concerns-by-category"), tuple(Category.choices), groups,
                   by_category, additive=False, chart="line"),
    ]


# --------------------------------------------------------------------------- time at each stage

#: The stages a case can move on from, in the order a case meets them.
STAGES = tuple(status for status in Status if status in OPEN_STATUSES)
_MOVES = title_moves({status.value: label for status, label in STATUS_LABELS.items()})


def stages(scope, period: Period) -> list[MedianBlock]:
    """Every status change of each case that left a stage in the period, with the earlier
    changes that started those stages: one query over the case timelines."""
    start, end = _bounds(period)
    moved = TimelineEvent.objects.filter(
        kind=TimelineEvent.Kind.STATUS, case__organisation_id=scope.organisation_id,
        occurred_at__gte=start, occurred_at__lt=end,
    ).values("case_id")
    rows = (
        TimelineEvent.objects.filter(kind=TimelineEvent.Kind.STATUS, case_id__in=Subquery(moved), occurred_at__lt=end)
        .order_by("case_id", "occurred_at", "id")
        .values_list("case_id", "case__received_on", "case__practitioner_id", "case__practitioner__profession",
                     "occurred_at", "title")
    )
    zone = timezone.get_current_timezone()
    cases: dict[int, tuple] = {}
    for case_id, received_on, person, profession, occurred_at, title in rows:
        case = cases.get(case_id)
        if case is None:
            case = cases[case_id] = (received_on, person, profession, [])
        source, target = _MOVES.get(title, ("", ""))
        if target:
            case[3].append(Move(occurred_at.astimezone(zone).date(), source, target))
    inside = set(period.quarters)
    quarter_of = functools.cache(Quarter.of)
    days_between = functools.cache(working_days_between)
    records = []
    for received_on, person, profession, moves in cases.values():
        for spell in status_spells(received_on, moves, first_status=Status.RECEIVED.value):
            quarter = quarter_of(spell.ended)
            if quarter in inside and spell.status in _STAGE_KEYS:
                days = max(days_between(spell.started, spell.ended), 0)
                records.append(ValueRecord(quarter, spell.status, profession, person, days))
    rows_out = tuple((status.value, STATUS_LABELS[status]) for status in STAGES)
    return [MedianBlock("days-at-each-stage", words("days-at-each-stage"), rows_out, professions(), records)]


_STAGE_KEYS = frozenset(status.value for status in STAGES)


# --------------------------------------------------------------------------- panel outcomes


def panel_outcomes(scope, period: Period) -> list[CountBlock]:
    quarters = period.quarters
    edges = day_edges(quarters)
    rows = (
        Decision.objects.filter(in_range("item__meeting__held_on", edges),
                                item__meeting__organisation_id=scope.organisation_id)
        .annotate(period=bucket("item__meeting__held_on", edges), profession=F("item__case__practitioner__profession"),
                  person=F("item__case__practitioner_id"))
        .values("period", "outcomes", "profession", "person")
        .annotate(n=Count("pk")).order_by()
        .values_list("period", "outcomes", "person", "profession", "n")
    )
    records = []
    for index, outcomes, person, profession, n in rows:
        for outcome in dict.fromkeys(outcomes or ()):
            records.append(CountRecord(quarters[index], outcome, profession, person, n))
    outcome_rows = tuple((outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome)
    return [CountBlock("panel-outcomes", words("panel-outcomes"), outcome_rows, professions(), records,
                       additive=False, chart="line")]


def _section(slug: str, order: int, load) -> Section:
    text = content()["sections"][slug]
    return register(Section(slug=slug, title=text["title"], summary=" ".join(text["summary"].split()), order=order,
                            load=load))


_section("concerns", 10, concerns)
_section("stages", 20, stages)
_section("panels", 30, panel_outcomes)

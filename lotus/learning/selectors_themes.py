"""Counts of lessons-learnt reviews, their contributory factors and their improvement
actions, for the themes and trends page (lotus.insights.learning_sections draws them).

Each function reads one organisation's records in one query, whatever their number, and
counts in the database (the first time a case names a factor is grouped there and placed
in its period here): one row per period, row of the table, profession and person,
with how many things that person accounts for there. Rows are about practitioners (the
person a figure is about, for small-number suppression), never named. Checks nothing:
the insights selector that calls these has checked the user may see themes.

A review counts from the day it was first approved (a draft is not yet a finding), in
the period of that day. Its factors are those coded against a problem in care or its
management (contributory factors, not what went well) and not removed.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When

from lotus.core.buckets import bucket, in_range
from lotus.learning.models import (
    Action,
    ActionStatus,
    CodedFactor,
    CodedKind,
    Factor,
    FactorCategory,
    Review,
)

#: An action's standing today, in the order the themes page lists them.
OPEN_NOT_DUE = "open"
OVERDUE = "overdue"
DONE = "done"
ASSURED = "assured"
NOT_DONE = "not_done"
ACTION_STANDINGS = (OPEN_NOT_DUE, OVERDUE, DONE, ASSURED, NOT_DONE)


class CountRow(NamedTuple):
    """`count` things in period `period` (an index into the edges given), in table row
    `row`, about practitioner `person` of profession `profession`."""

    period: int
    row: str
    profession: str
    person: int
    count: int


def factor_vocabulary(organisation_id: int) -> tuple[list[tuple[str, str]], list[tuple[int, str, str]]]:
    """The categories (code, title) in order, and the factors (id, title, category code):
    every standard one and the organisation's local ones, retired ones too (they may
    have been coded before they were retired). Two queries."""
    categories = list(FactorCategory.objects.order_by("position", "id").values_list("code", "title"))
    factors = list(
        Factor.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .order_by("category__position", "organisation_id", "position", "id")
        .values_list("pk", "title", "category__code")
    )
    return categories, factors


def _rows(queryset, row_field: str | None, count) -> list[CountRow]:
    fields = ["period", *([row_field] if row_field else []), "profession", "person"]
    found = queryset.values(*fields).annotate(n=count).order_by().values_list(*fields, "n")
    if row_field:
        return [CountRow(*row) for row in found]
    return [CountRow(period, "", profession, person, n) for period, profession, person, n in found]


def reviews_approved(organisation_id: int, edges: Sequence[dt.datetime]) -> list[CountRow]:
    """Reviews first approved in each period."""
    reviews = Review.objects.filter(in_range("first_approved_at", edges), organisation_id=organisation_id).annotate(
        period=bucket("first_approved_at", edges), profession=F("case__practitioner__profession"),
        person=F("case__practitioner_id"),
    )
    return _rows(reviews, None, Count("pk"))


def _factors(organisation_id: int, edges: Sequence[dt.datetime]):
    return CodedFactor.objects.filter(
        in_range("review__first_approved_at", edges), review__organisation_id=organisation_id,
        kind=CodedKind.PROBLEM, removed_at__isnull=True,
    ).annotate(
        period=bucket("review__first_approved_at", edges),
        profession=F("review__case__practitioner__profession"),
        person=F("review__case__practitioner_id"),
    )


def reviews_naming_categories(organisation_id: int, edges: Sequence[dt.datetime]) -> list[CountRow]:
    """For each category, the reviews naming at least one of its factors (a review that
    names three of them counts once)."""
    rows = _factors(organisation_id, edges).annotate(category=F("factor__category__code"))
    return _rows(rows, "category", Count("review_id", distinct=True))


def reviews_naming_factors(organisation_id: int, edges: Sequence[dt.datetime]) -> list[CountRow]:
    """For each factor, the reviews naming it (once per review, whatever the problems)."""
    return _rows(_factors(organisation_id, edges), "factor_id", Count("review_id", distinct=True))


def cases_naming_factors(organisation_id: int, edges: Sequence[dt.datetime]) -> list[CountRow]:
    """For each factor, the cases whose reviews name it, each counted once: in the period
    of the first approved review of the case that names it. So the periods add up to the
    number of cases over all of them, and a factor found in two or more cases recurs.

    One grouping finds each (case, factor)'s first approval; it is placed in its period
    here. (A correlated subquery asking, row by row, whether an earlier review named the
    factor took minutes at 100,000 cases: bench/themes.py.)"""
    firsts = (
        CodedFactor.objects.filter(review__organisation_id=organisation_id, review__first_approved_at__isnull=False,
                                   kind=CodedKind.PROBLEM, removed_at__isnull=True)
        .order_by()
        .values("review__case_id", "factor_id", "review__case__practitioner__profession",
                "review__case__practitioner_id")
        .annotate(first_at=Min("review__first_approved_at"))
        .filter(first_at__gte=edges[0], first_at__lt=edges[-1])
        .values_list("factor_id", "review__case__practitioner__profession", "review__case__practitioner_id",
                     "first_at")
    )
    counts: Counter = Counter()
    for factor_id, profession, person, first_at in firsts:
        counts[(bisect_right(edges, first_at) - 1, factor_id, profession, person)] += 1
    return [CountRow(*key, n) for key, n in counts.items()]


def actions_by_standing(organisation_id: int, edges: Sequence[dt.datetime], today: dt.date) -> list[CountRow]:
    """Improvement actions agreed in each period, by where they stand today: open and not
    yet due, overdue (still open after the due date), done awaiting assurance, done and
    assured, or not done."""
    standing = Case(
        When(status=ActionStatus.NOT_DONE, then=Value(NOT_DONE)),
        When(status=ActionStatus.DONE, assured_at__isnull=False, then=Value(ASSURED)),
        When(status=ActionStatus.DONE, then=Value(DONE)),
        When(due_on__lt=today, then=Value(OVERDUE)),
        default=Value(OPEN_NOT_DUE), output_field=CharField(),
    )
    actions = Action.objects.filter(in_range("created_at", edges), organisation_id=organisation_id).annotate(
        period=bucket("created_at", edges), standing=standing,
        profession=F("review__case__practitioner__profession"),
        person=F("review__case__practitioner_id"),
    )
    return _rows(actions, "standing", Count("pk"))

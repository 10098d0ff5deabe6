"""Counting by period in the database: which of a run of consecutive periods a date or
date-time falls in, as a CASE expression both databases evaluate natively (Django's
date extraction on SQLite calls back into Python for every row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Case, IntegerField, Q, Value, When


def bucket(field: str, edges: Sequence[dt.date | dt.datetime]) -> Case:
    """The index k of the period [edges[k], edges[k + 1]) that `field` falls in, or NULL
    outside them all. `edges` run forwards: n + 1 of them mark n periods. Filter on
    `field__gte=edges[0], field__lt=edges[-1]` as well, so an index can use the range."""
    if len(edges) < 2 or any(later <= earlier for earlier, later in zip(edges, edges[1:], strict=False)):
        raise ValueError("give at least two edges, each after the one before")
    whens = [When(Q(**{f"{field}__lt": edge}), then=Value(index)) for index, edge in enumerate(edges[1:])]
    return Case(*whens, default=None, output_field=IntegerField())


def in_range(field: str, edges: Sequence[dt.date | dt.datetime]) -> Q:
    return Q(**{f"{field}__gte": edges[0], f"{field}__lt": edges[-1]})

"""Toolkit pages do the same number of SQL queries for a new leader and for one with
years of routines and hundreds of reflections (no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotus.toolkit import services
from lotus.toolkit.models import ActionItem, JournalEntry, RoutineCheck
from tests.toolkit.helpers import complete_attempt

pytestmark = pytest.mark.django_db


def seed(leader, *, days: int, entries: int, attempts: int) -> int:
    today = timezone.localdate()
    routines = services.routines_choose(
        actor=leader, practices=["connect", "mindfulness", "self_care"], today=today - dt.timedelta(days=days)
    )
    RoutineCheck.objects.bulk_create(
        RoutineCheck(routine=r, day=today - dt.timedelta(days=n)) for r in routines for n in range(days) if n % 9
    )
    made = JournalEntry.objects.bulk_create(
        JournalEntry(owner=leader, exercise="1.3.i", responses={"strongest": f"Entry {n}"}, search_text=f"entry {n}",
                     status="saved")
        for n in range(entries)
    )
    ActionItem.objects.bulk_create(
        ActionItem(owner=leader, entry=entry, what=f"Action {n}", due_on=today + dt.timedelta(days=n % 30))
        for n, entry in enumerate(made)
    )
    last = None
    for n in range(attempts):
        last = complete_attempt(leader, "flywheel", 1 + n % 5)
    return last.pk


PAGES = ["toolkit:home", "toolkit:list_entries", "toolkit:list_actions", "toolkit:list_routines",
         "toolkit:list_assessments", "toolkit:show_assessment"]


def count_queries(client, attempt_id):
    counts = {}
    for name in PAGES:
        url = reverse(name, args=[attempt_id]) if name == "toolkit:show_assessment" else reverse(name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_data(world, client_for):
    # Two leaders with the same role, so the pages ask the same permission questions.
    small_leader, big_leader = world.users["case_manager"], world.users["off_team_case_manager"]
    small = count_queries_for(client_for("case_manager"), seed(small_leader, days=5, entries=3, attempts=2))
    big = count_queries_for(client_for("off_team_case_manager"), seed(big_leader, days=5 * 365, entries=500, attempts=12))
    assert small == big


def count_queries_for(client, attempt_id):
    count_queries(client, attempt_id)  # warm per-session caches
    return count_queries(client, attempt_id)

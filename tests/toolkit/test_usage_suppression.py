"""Toolkit use in an organisation: every figure is hidden unless at least 8 distinct
leaders contributed to it, however large the figure (issue 19, point 3)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.toolkit import selectors, services
from tests.factories import UserFactory
from tests.toolkit.helpers import complete_attempt, saved_entry

pytestmark = pytest.mark.django_db

HIDDEN = "Not shown (fewer than 8 people)"


def busy_leader(leader, *, reflections: int, routine_days: int) -> None:
    today = timezone.localdate()
    for n in range(reflections):
        saved_entry(leader, text=f"Fictional reflection {n}")
    complete_attempt(leader)
    routines = services.routines_choose(actor=leader, practices=["connect", "mindfulness"], today=today)
    ticked = 0
    for routine in routines:
        for back in range(7):
            if ticked < routine_days:
                services.routine_check(actor=leader, routine=routine, day=today - dt.timedelta(days=back),
                                       done=True, today=today)
                ticked += 1
    services.team_session_start(actor=leader, instrument="team-equity", title="Fictional team")


def cells(html: str) -> list[str]:
    return [part.split("</td>")[0] for part in html.split("<td>")[1:]]


def test_one_busy_leader_shows_no_exact_figure_at_all(world, client_for):
    busy_leader(world.users["case_manager"], reflections=12, routine_days=10)
    rows = selectors.organisation_usage(world.users["analyst"], timezone.localdate())
    assert [(row.count, row.contributors) for row in rows] == [(1, 1), (1, 1), (12, 1), (10, 1), (1, 1)]
    html = client_for("analyst").get(reverse("toolkit:show_usage")).content.decode()
    assert cells(html) == [HIDDEN] * 5
    assert "<td>12</td>" not in html and "<td>10</td>" not in html


def test_a_figure_shows_once_8_leaders_contributed_to_it(world, client_for):
    # Seven leaders write nine reflections between them: the row count is 9, the people 7.
    leaders = [UserFactory(organisation=world.organisation, roles=[Role.CASE_MANAGER]) for _ in range(7)]
    for leader in leaders:
        saved_entry(leader)
    saved_entry(leaders[0])
    saved_entry(leaders[1])
    rows = {row.label: row for row in selectors.organisation_usage(world.users["analyst"], timezone.localdate())}
    reflections = rows["Reflections written or updated"]
    assert (reflections.count, reflections.contributors) == (9, 7)
    assert reflections.figure.suppressed

    saved_entry(world.users["administrator"])  # the eighth leader
    html = client_for("analyst").get(reverse("toolkit:show_usage")).content.decode()
    assert cells(html) == ["8", "0", "10", "0", "0"]  # leaders, assessments, reflections, routines, sessions

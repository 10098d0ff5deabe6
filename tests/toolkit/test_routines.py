"""Routines: one-tap ticks over several days (time travel), streaks and gaps."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lotus.toolkit.models import Routine, RoutineCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for):
    return client_for("case_manager")


def choose(client, *practices):
    return client.post(reverse("toolkit:choose_routines"), {"practices": list(practices)})


def tick(client, routine, day, done="1", **extra):
    return client.post(
        reverse("toolkit:check_routine", args=[routine.pk]), {"day": day.isoformat(), "done": done, **extra}
    )


def test_ticking_a_routine_on_several_days_builds_a_streak_and_a_gap_is_just_a_gap(client, world):
    with time_machine.travel("2026-11-02 08:00", tick=False):
        choose(client, "mindfulness", "connect")
    routine = Routine.objects.get(owner=world.users["case_manager"], practice="mindfulness")
    for day in (2, 3, 4, 6, 7, 8):  # the 5th is missed
        with time_machine.travel(f"2026-11-{day:02d} 18:00", tick=False):
            response = tick(client, routine, dt.date(2026, 11, day))
            assert response["Location"] == reverse("toolkit:list_routines")
    with time_machine.travel("2026-11-08 19:00", tick=False):
        page = client.get(reverse("toolkit:list_routines")).content.decode()
        assert "3 days in a row" in page
        assert "Longest run: 3 days" in page
        assert "Gap" in page and "fail" not in page.lower()
        home = client.get(reverse("toolkit:home")).content.decode()
        assert "3 days in a row" in home
    # the next morning, before ticking, the run is still shown (yesterday counts)
    with time_machine.travel("2026-11-09 07:00", tick=False):
        assert "3 days in a row" in client.get(reverse("toolkit:list_routines")).content.decode()
    with time_machine.travel("2026-11-11 07:00", tick=False):
        assert "No run going at the moment" in client.get(reverse("toolkit:list_routines")).content.decode()


def test_one_tap_from_the_home_page_and_untick(client, world):
    choose(client, "self_care")
    routine = Routine.objects.get()
    today = dt.date.today()
    response = tick(client, routine, today, next="home")
    assert response["Location"] == reverse("toolkit:home")
    assert RoutineCheck.objects.filter(routine=routine, day=today).exists()
    tick(client, routine, today)  # ticking twice does not count twice
    assert RoutineCheck.objects.count() == 1
    tick(client, routine, today, done="0")
    assert not RoutineCheck.objects.exists()


@pytest.mark.parametrize("offset", [1, -7, -400])
def test_future_days_and_days_long_past_are_refused(client, offset):
    choose(client, "connect")
    routine = Routine.objects.get()
    response = tick(client, routine, dt.date.today() + dt.timedelta(days=offset))
    assert response.status_code == 302
    assert not RoutineCheck.objects.exists()


def test_a_malformed_tick_changes_nothing(client):
    choose(client, "connect")
    routine = Routine.objects.get()
    client.post(reverse("toolkit:check_routine", args=[routine.pk]), {"day": "yesterday", "done": "1"})
    assert not RoutineCheck.objects.exists()


def test_stopping_a_routine_keeps_its_history(client):
    choose(client, "connect")
    routine = Routine.objects.get()
    tick(client, routine, dt.date.today())
    choose(client)  # none chosen
    routine.refresh_from_db()
    assert not routine.active and RoutineCheck.objects.count() == 1
    choose(client, "connect")
    routine.refresh_from_db()
    assert routine.active


def test_an_unknown_practice_is_refused(client):
    response = choose(client, "connect", "juggling")
    assert "Select practices from the list" in response.content.decode()
    assert response.status_code == 200
    assert not Routine.objects.exists()


def test_another_users_routine_cannot_be_ticked(client_for, world):
    choose(client_for("administrator"), "connect")
    routine = Routine.objects.get()
    response = tick(client_for("case_manager"), routine, dt.date.today())
    assert response.status_code == 404
    assert not RoutineCheck.objects.exists()

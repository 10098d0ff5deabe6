"""Gentle email reminders: only when asked for, never quoting what the leader wrote."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from lotus.toolkit import services
from lotus.toolkit.models import ReminderPreference, RoutineCheck
from lotus.toolkit.reminders import send_reminders

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 23)


def plan(user, due_on, what="A private fictional plan"):
    services.entry_save(actor=user, exercise="5.1", responses={"past": "x"})
    return services.entry_save(
        actor=user, exercise="1.3.i", responses={"strongest": "x"},
        actions=[services.ActionRow(what=what, due_on=due_on)],
    )


def test_no_email_unless_the_leader_asked(world):
    plan(world.users["case_manager"], MONDAY)
    assert send_reminders(MONDAY).actions == 0 and mail.outbox == []


def test_choosing_reminders_on_the_page_and_the_email_on_the_day(client_for, world, settings):
    settings.LOTUS_BASE_URL = "https://lotus.example.test"
    leader = world.users["case_manager"]
    response = client_for("case_manager").post(reverse("toolkit:choose_reminders"), {"reminders": ["actions"]})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(owner=leader).email_actions
    plan(leader, MONDAY + dt.timedelta(days=1))
    assert send_reminders(MONDAY).actions == 0
    assert send_reminders(MONDAY + dt.timedelta(days=1)).actions == 1
    message = mail.outbox[0]
    assert message.to == [leader.email]
    assert "an action is ready for review" in message.subject
    assert "https://lotus.example.test/toolkit/actions/" in message.body
    assert "private fictional plan" not in message.body


def test_weekly_routine_summary_on_mondays_only(world):
    leader = world.users["panel_member"]
    services.reminders_choose(actor=leader, email_actions=False, email_routines=True)
    routine = services.routines_choose(actor=leader, practices=["connect"], today=MONDAY - dt.timedelta(days=14))[0]
    for days_ago in (1, 2, 4):
        RoutineCheck.objects.create(routine=routine, day=MONDAY - dt.timedelta(days=days_ago))
    assert send_reminders(MONDAY + dt.timedelta(days=1)).routines == 0
    with time_machine.travel("2026-11-23 07:00", tick=False):
        out = io.StringIO()
        call_command("toolkit_reminders", stdout=out)
    assert "1 about routines" in out.getvalue()
    assert "3 times" in mail.outbox[-1].body


def test_an_unknown_reminder_choice_changes_nothing(client_for, world):
    response = client_for("case_manager").post(reverse("toolkit:choose_reminders"), {"reminders": ["sms"]})
    assert response.status_code == 200
    assert "Select reminders from the list" in response.content.decode()
    assert not ReminderPreference.objects.exists()
